"""The model index (babelpress/translation/model_index.py) and `babelpress translation available`:
what the index offers for the site's content languages, against a fake index on 127.0.0.1."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from babelpress.translation.argos_packages import install_package
from babelpress.translation.model_index import (
    CACHE_SECONDS,
    DEFAULT_INDEX_URL,
    Index,
    ModelIndexError,
    load_index,
    parse_index,
)

from ..commands import free_port
from ..doc_examples import DOCS
from .fake_model_index import IndexReply, index_packages, model_index  # noqa: F401  (fixtures)

URL = "https://mirror.example.org/index.json"


def run(*args) -> str:
    out = io.StringIO()
    call_command("translation", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def entry(**fields) -> dict:
    return {"package_version": "1.9", "argos_version": "1.9.0", "from_code": "en", "from_name": "English",
            "to_code": "fr", "to_name": "French", "code": "translate-en_fr",
            "links": ["https://argos-net.com/v1/translate-en_fr-1_9.argosmodel"], **fields}


def parsed(*entries) -> list:
    return parse_index(json.dumps(list(entries)).encode(), URL)


# --- Reading the format --------------------------------------------------------------------------


def test_an_argos_entry_reads_as_its_pair_version_links_and_file_name():
    (model,) = parsed(entry())

    assert (model.name, model.version, model.pair, model.from_name, model.to_name) == (
        "translate-en_fr", "1.9", "en-fr", "English", "French")
    assert model.filename == "translate-en_fr-1_9.argosmodel"
    assert (model.sha256, model.size, model.licence, model.format) == ("", None, "", "argos")


def test_babelpress_fields_give_checksum_size_licence_format_and_the_languages_of_a_multilingual_model():
    digest = "ab" * 32
    (bilingual, multilingual) = parsed(
        entry(checksum=f"sha256:{digest.upper()}", size=1234, license="CC-BY-4.0"),
        {"package_version": "1", "code": "nllb-200-distilled-600M", "format": "ct2-nllb", "licence": "CC-BY-NC-4.0",
         "languages": [{"code": "hy"}, "fr", "ru"], "links": ["https://mirror.example.org/nllb.tar"]},
    )

    assert (bilingual.sha256, bilingual.size, bilingual.licence) == (digest, 1234, "CC-BY-4.0")
    assert multilingual.languages == ("hy", "fr", "ru") and multilingual.format == "ct2-nllb"
    assert multilingual.serves("fr", "hy") and multilingual.serves("hy", "ru") and not multilingual.serves("en", "hy")


def test_the_example_of_the_documentation_is_a_valid_index():
    text = (DOCS / "engines.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- index-example\b.*?-->\s*```json\n(.*?)\n```", text, re.DOTALL).group(1)

    one_pair, multilingual = parse_index(block.encode(), "docs/engines.md")

    assert one_pair.serves("en", "fr") and one_pair.size == 92418521 and len(one_pair.links) == 2
    assert multilingual.serves("hy", "fr") and multilingual.licence == "CC-BY-NC-4.0"


def test_packages_of_other_kinds_are_left_out():
    assert [e.name for e in parsed(entry(), entry(type="sbd", code="sbd-en"))] == ["translate-en_fr"]


@pytest.mark.parametrize("body, content_type, says", [
    (b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html", "returned an HTML page"),
    (b"[{\"package_version\": ", "application/json", "is not valid JSON"),
    (b"{\"packages\": []}", "application/json", "is a JSON dict, not a list of packages"),
])
def test_what_is_not_an_index_is_refused_naming_the_url_and_the_setting(body, content_type, says):
    with pytest.raises(ModelIndexError) as error:
        parse_index(body, URL, content_type)

    assert says in str(error.value)
    assert URL in str(error.value) and "BABELPRESS_MODEL_INDEX_URL" in str(error.value)
    assert DEFAULT_INDEX_URL in str(error.value)  # where to go back to


def test_entries_missing_fields_are_listed_with_what_is_wrong():
    broken = [entry(), entry(code="translate-en_ru", links=[]), entry(code="x", to_code=None), "text",
              entry(code="y", sha256="not-hex"), entry(code="z", size=-1)]

    with pytest.raises(ModelIndexError) as error:
        parse_index(json.dumps(broken).encode(), URL)

    message = str(error.value)
    assert f"the model index {URL} has 5 broken entries" in message
    assert "entry 2 (translate-en_ru) has no \"links\"" in message
    assert "entry 3 (x) has no valid \"to_code\"" in message
    assert "entry 4 is a JSON str, not an object" in message
    assert "and 2 more" in message and "fix those entries" in message


def test_a_pair_or_a_package_name_finds_the_newest_version_preferring_a_one_pair_model():
    index = Index(URL, parsed(
        entry(package_version="1.0"), entry(package_version="1.10"), entry(package_version="1.9"),
        {"package_version": "9", "code": "m2m", "languages": ["en", "fr"], "links": ["https://x.example/m2m"]},
    ), 0)

    assert index.find("en-fr").version == "1.10"
    assert index.find("en_fr").version == "1.10"
    assert index.find("translate-en_fr").version == "1.10"
    assert index.find("m2m").multilingual


def test_asking_for_a_pair_the_index_lacks_says_what_it_has_instead():
    index = Index(URL, parsed(entry(), entry(code="translate-fr_en", from_code="fr", to_code="en"),
                              entry(code="translate-en_ru", to_code="ru")), 0)

    with pytest.raises(ModelIndexError, match=r"has no model for fr→ru\. It has fr→en and en→ru, which translate "
                                              r"fr→ru through English: `babelpress translation install fr-en en-ru`"):
        index.find("fr-ru")
    with pytest.raises(ModelIndexError, match=r"no model for en→hy\. It has no model at all for hy: see "
                                              r"docs/engines.md for OPUS-MT and NLLB"):
        index.find("en-hy")
    with pytest.raises(ModelIndexError, match="neither a language pair"):
        index.find("english to french")


def test_by_default_the_index_is_the_one_argos_translate_reads(monkeypatch):
    from ..test_settings_layers import base_settings

    monkeypatch.delenv("BABELPRESS_MODEL_INDEX_URL", raising=False)

    assert base_settings(monkeypatch)["BABELPRESS_MODEL_INDEX_URL"] == DEFAULT_INDEX_URL == (
        "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json")


# --- Fetching and keeping it ------------------------------------------------------------------------


def test_the_index_is_kept_in_the_models_folder_and_fetched_again_when_old(model_index, index_packages, tmp_path):
    model_index.add_package(index_packages["en", "fr"])
    now = [1_000_000.0]

    first = load_index(models_dir=tmp_path, clock=lambda: now[0])
    now[0] += CACHE_SECONDS - 1
    second = load_index(models_dir=tmp_path, clock=lambda: now[0])
    now[0] += 2
    third = load_index(models_dir=tmp_path, clock=lambda: now[0])

    assert (first.from_cache, second.from_cache, third.from_cache) == (False, True, False)
    assert len(model_index.served("/index.json")) == 2
    assert (tmp_path / ".downloads" / "index.json").is_file()
    assert [e.pair for e in second.entries] == ["en-fr"]


def test_a_404_index_fails_the_command_with_the_url_and_what_to_do(model_index):
    model_index.index_reply = IndexReply(404, b"Not Found", "text/plain")

    with pytest.raises(CommandError) as error:
        run("available")

    assert str(error.value).startswith(f"The model index {model_index.index_url} answered HTTP 404 (Not Found). "
                                       "Check BABELPRESS_MODEL_INDEX_URL")
    assert "mirror" in str(error.value)


def test_an_html_page_instead_of_the_index_fails_the_command(model_index):
    model_index.index_reply = IndexReply(200, b"<html><body>Welcome to our portal</body></html>", "text/html")

    with pytest.raises(CommandError, match="returned an HTML page, not the JSON list of packages"):
        run("available")


def test_an_unreachable_index_with_no_copy_says_to_fetch_it_elsewhere(settings, tmp_path):
    settings.BABELPRESS_MODEL_INDEX_URL = url = f"http://127.0.0.1:{free_port()}/index.json"
    settings.BABELPRESS_MODELS_DIR = tmp_path

    with pytest.raises(CommandError) as error:
        run("available")

    assert f"cannot reach the model index {url} (connection refused" in str(error.value)
    assert f"On a machine that is online, open {url}" in str(error.value)


# --- babelpress translation available -----------------------------------------------------------


def test_available_lists_the_models_for_the_content_languages_and_what_the_index_cannot_do(
        model_index, index_packages, settings):
    for archive in index_packages.values():
        model_index.add_package(archive, licence="CC0-1.0")
    install_package(index_packages["en", "fr"], settings.BABELPRESS_MODELS_DIR)

    out = run("available")

    lines = out.splitlines()
    assert lines[0] == f"Model index {model_index.index_url} (fetched now)"
    assert lines[1] == "For the content languages French (fr), English (en), Armenian (hy), Russian (ru):"
    rows = [line.split() for line in lines[2:6]]
    assert [(r[0], r[1], r[2]) for r in rows] == [("fr→en", "translate-fr_en", "1.0"), ("en→fr", "translate-en_fr", "1.0"),
                                                  ("en→ru", "translate-en_ru", "1.0"), ("ru→en", "translate-ru_en", "1.0")]
    assert [r[-1] for r in rows] == ["CC0-1.0", "installed", "CC0-1.0", "CC0-1.0"]
    assert "Through English: fr→ru (fr→en, en→ru), ru→fr (ru→en, en→fr)." in lines
    assert "Not possible with this index:" in lines
    assert ("  Armenian (hy): the index has no model for Armenian; see docs/engines.md for OPUS-MT and NLLB models, "
            "installed with `babelpress translation install-model`.") in lines
    assert lines[-1] == "Install them with: babelpress translation install fr-en en-ru ru-en"


def test_available_names_the_english_legs_when_english_is_not_a_content_language(model_index, index_packages, settings):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "ru"]
    for archive in index_packages.values():
        model_index.add_package(archive)

    out = run("available")

    assert "fr→en (English leg)" in out and "en→ru (English leg)" in out and "ru→en (English leg)" in out
    assert "Through English: fr→ru (fr→en, en→ru), ru→fr (ru→en, en→fr)." in out
    assert "Not possible" not in out


def test_available_all_lists_every_model_of_the_index(model_index, index_packages):
    for archive in index_packages.values():
        model_index.add_package(archive)
    model_index.packages.append(entry(code="translate-de_en", from_code="de", to_code="en", package_version="1.0"))

    out = run("available", "--all")

    assert "All 5 models:" in out
    assert "de→en" in out and "translate-de_en 1.0" in out


def test_available_then_install_fetches_the_index_once(model_index, index_packages):
    model_index.add_package(index_packages["en", "fr"])

    run("available")
    run("install", "en-fr")

    assert len(model_index.served("/index.json")) == 1
