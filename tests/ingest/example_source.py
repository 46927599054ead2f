"""The example source of docs/architecture.md, run from the documentation itself.

The code block after the ``<!-- example-source`` marker is compiled into this module, so the tests
exercise exactly what a reader copies, and ``EmailSource`` has a dotted path
(``tests.ingest.example_source.EmailSource``) for BABELPRESS_IMPORT_SOURCES like any source
Babelpress does not ship.
"""

from __future__ import annotations

from ..doc_examples import run_example

SOURCE = run_example("architecture.md", "example-source", globals())
