"""Code examples of the documentation, run by the tests so the docs cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def run_example(doc: str, marker: str, namespace: dict) -> str:
    """Compile and run, in ``namespace``, the ```python block after ``<!-- marker -->`` in
    docs/``doc``; returns its code. Compiled under the document's name, so a traceback points there."""
    path = DOCS / doc
    found = re.search(rf"<!-- {re.escape(marker)}\b.*?-->\s*```python\n(.*?)\n```", path.read_text(encoding="utf-8"),
                      re.DOTALL)
    if found is None:
        raise LookupError(f"{path}: no ```python block after an <!-- {marker} --> marker")
    code = found.group(1) + "\n"
    exec(compile(code, str(path), "exec"), namespace)
    return code
