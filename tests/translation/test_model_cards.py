"""What Babelpress reads from a model's card and names: licences and OPUS-MT language pairs."""

from __future__ import annotations

import pytest

from babelpress.translation.model_cards import card_licence, licence_name, non_commercial, opus_pair


@pytest.mark.parametrize("given, shown, nc", [
    ("apache-2.0", "Apache-2.0", False),
    ("cc-by-nc-4.0", "CC-BY-NC-4.0", True),
    ("CC-BY-4.0", "CC-BY-4.0", False),
    ("mit", "MIT", False),
    ("Creative Commons NonCommercial", "Creative Commons NonCommercial", True),
    ("cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0", True),
])
def test_licences_are_spelled_as_spdx_and_non_commercial_ones_are_known(given, shown, nc):
    assert (licence_name(given), non_commercial(licence_name(given))) == (shown, nc)


def test_the_licence_comes_from_the_cards_front_matter(tmp_path):
    card = tmp_path / "README.md"
    card.write_text("---\nlanguage:\n- en\n- hy\nlicense: apache-2.0\ntags:\n- translation\n---\n# opus-mt-en-hy\n")
    assert card_licence(card) == "Apache-2.0"
    card.write_text("# no front matter\nlicense: mit\n")
    assert card_licence(card) == ""
    assert card_licence(tmp_path / "missing.md") == ""


@pytest.mark.parametrize("name, pair", [
    ("opus-mt-en-hy", ("en", "hy")),
    ("ct2-opus-mt-en-hy.tar.gz", ("en", "hy")),
    ("Helsinki-NLP_opus-mt-fr-ru-ct2", ("fr", "ru")),
    ("opus-mt-tc-big-en-hye", ("en", "hy")),
    ("opus-mt-en-ROMANCE", None),
    ("nllb-200-distilled-600M", None),
])
def test_an_opus_mt_pair_is_read_from_the_name(name, pair):
    assert opus_pair(name) == pair


def test_an_opus_mt_pair_is_read_from_the_card_when_the_name_does_not_say(tmp_path):
    card = tmp_path / "README.md"
    card.write_text("---\nlicense: apache-2.0\n---\n### Model\n\n* source languages: en\n* target languages: hy\n")
    assert opus_pair("converted", readme=card) == ("en", "hy")
    card.write_text("### opus-mt-de-fr\n\nA model.\n")
    assert opus_pair("converted", readme=card) == ("de", "fr")
    card.write_text("* source languages: en\n* target languages: hy ru\n")
    assert opus_pair("converted", readme=card) is None  # several targets: not a one-pair model
