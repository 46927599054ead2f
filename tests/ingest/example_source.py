"""The example source of docs/architecture.md, run from the documentation itself.

The code block after the ``<!-- example-source`` marker is compiled into this module, so the tests
exercise exactly what a reader copies, and ``EmailSource`` has a dotted path
(``tests.ingest.example_source.EmailSource``) for BABELPRESS_IMPORT_SOURCES like any source
Babelpress does not ship.
"""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def example_source(text: str | None = None) -> str:
    """The Python code block that follows the example-source marker in docs/architecture.md."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    found = re.search(r"<!-- example-source\b.*?-->\s*```python\n(.*?)\n```", text, re.DOTALL)
    if found is None:
        raise LookupError(f"{DOC}: no ```python block after an <!-- example-source --> marker")
    return found.group(1) + "\n"


SOURCE = example_source()
# Compiled under the document's name, so a traceback points at docs/architecture.md.
exec(compile(SOURCE, str(DOC), "exec"), globals())
