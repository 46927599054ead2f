"""One language model per process: the importer and translation QA share py3langid's identifier."""

from __future__ import annotations

from py3langid import langid

from babelpress import language_detection
from babelpress.ingest.language import detect_language as language_of_a_page
from babelpress.translation.qa import check_segment

FRENCH = "Le conseil municipal a voté le nouveau budget après une longue semaine de discussions."


def test_the_importer_and_translation_qa_load_the_model_once_between_them(monkeypatch):
    loads = []
    real = langid.LanguageIdentifier.from_model_file

    def counted(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(langid.LanguageIdentifier, "from_model_file", counted)
    monkeypatch.setattr(language_detection, "_model", None)
    language_detection.known_languages.cache_clear()
    language_detection.identifier_among.cache_clear()
    try:
        assert language_of_a_page(FRENCH)[0] == "fr"
        issues = check_segment(FRENCH, FRENCH, "fr", "en")  # untranslated: QA asks the model too
        assert any(issue.check == "untranslated" for issue in issues)
        check_segment("The bridge reopened on Monday after two years of works.", FRENCH, "en", "fr")
    finally:
        language_detection.known_languages.cache_clear()
        language_detection.identifier_among.cache_clear()

    assert len(loads) == 1
