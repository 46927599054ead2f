"""Translation engines: one small class each, chosen in settings.

``BABELPRESS_TRANSLATION_ENGINES`` is a dict of name -> {"CLASS": dotted path, "OPTIONS": {...}},
loaded with import_string (as wagtail-localize does for machine translators). The contract every
engine keeps is ``base.TranslationEngine``; docs/engines.md explains it with a complete example,
and ``testing.check_engine_contract`` checks an engine against it.
"""
