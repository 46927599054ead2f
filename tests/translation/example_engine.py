"""The example engine of docs/engines.md, run from the documentation itself.

The code block after the ``<!-- example-engine`` marker is compiled into this module, so the
tests exercise exactly what a reader copies, and ``AcmeEngine`` has a dotted path
(``dotted(AcmeEngine)``) for ``BABELPRESS_TRANSLATION_ENGINES`` like any third-party engine.
"""

from __future__ import annotations

from ..doc_examples import run_example

SOURCE = run_example("engines.md", "example-engine", globals())
