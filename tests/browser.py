"""Where the browser tests find Chromium and put their screenshots (fixtures ``browser`` and ``tab``
in tests/conftest.py; tests marked ``@pytest.mark.browser``)."""

from __future__ import annotations

import os
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = os.environ.get("BABELPRESS_TEST_CHROMIUM", "/usr/bin/chromium")
