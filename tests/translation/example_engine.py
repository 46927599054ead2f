"""The example engine of docs/engines.md, run from the documentation itself.

The code block after the ``<!-- example-engine`` marker is compiled into this module, so the
tests exercise exactly what a reader copies, and ``AcmeEngine`` has a dotted path
(``dotted(AcmeEngine)``) for ``BABELPRESS_TRANSLATION_ENGINES`` like any third-party engine.
"""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "engines.md"


def example_source(text: str | None = None) -> str:
    """The Python code block that follows the example-engine marker in docs/engines.md."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    found = re.search(r"<!-- example-engine\b.*?-->\s*```python\n(.*?)\n```", text, re.DOTALL)
    if found is None:
        raise LookupError(f"{DOC}: no ```python block after an <!-- example-engine --> marker")
    return found.group(1) + "\n"


SOURCE = example_source()
# Compiled under the document's name, so a traceback points at docs/engines.md.
exec(compile(SOURCE, str(DOC), "exec"), globals())
