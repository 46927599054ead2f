"""BABELPRESS_IMPORT_SOURCES from the environment: the importer's sources, the built-in ones and any
given as JSON (docs/settings.md, "Import"; docs/architecture.md shows how to write one).

    BABELPRESS_IMPORT_SOURCES='{"email": {"CLASS": "mypackage.sources.EmailSource", "OPTIONS": {}}}'

Entries given here come first, in the order written, then the built-in sources they do not name.
An entry named like a built-in source replaces it when it gives a ``CLASS``, and otherwise passes
its ``OPTIONS`` to the built-in class.
"""

from __future__ import annotations

from babelpress.settings.environment import env_class_entries

SOURCES = "BABELPRESS_IMPORT_SOURCES"
EXAMPLE = '{"email": {"CLASS": "mypackage.sources.EmailSource", "OPTIONS": {}}}'
BUILT_IN = {
    "page": "babelpress.ingest.sources.page.PageSource",
    "upload": "babelpress.ingest.sources.upload.UploadSource",
    "feed": "babelpress.ingest.sources.feed.FeedSource",
}


def import_sources() -> dict[str, dict]:
    """{name: {"CLASS": dotted path, "OPTIONS": {...}}}, those given first."""
    defined = env_class_entries(SOURCES, EXAMPLE, built_in=tuple(BUILT_IN), singular="a source", plural="sources",
                                class_example="mypackage.sources.EmailSource")
    sources = {}
    for name in dict.fromkeys([*defined, *BUILT_IN]):
        spec = defined.get(name, {})
        sources[name] = {"CLASS": spec.get("CLASS") or BUILT_IN[name], "OPTIONS": dict(spec.get("OPTIONS", {}))}
    return sources
