"""`babelpress translation install PAIR|PACKAGE`: download from the index (resumably, checked), install,
or say how to do it by hand when offline. Against a fake index on 127.0.0.1 serving tiny packages."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command

from babelpress.translation import index_commands, registry
from babelpress.translation.argos_packages import get_installed, list_installed
from babelpress.translation.engines.local import LocalEngine
from babelpress.translation.testing import (
    archive_folder,
    build_tiny_argos_package,
    build_tiny_multilingual_model,
    build_tiny_opus_mt_model,
)

from .fake_model_index import index_packages, model_index, serve_index  # noqa: F401  (fixtures)

FILE = "translate-en_fr-1_0.argosmodel"


def run(*args) -> str:
    out = io.StringIO()
    call_command("translation", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def fails(*args) -> str:
    with pytest.raises(CommandError) as error:
        run(*args)
    return str(error.value)


@pytest.fixture
def models(settings, tmp_path):
    settings.BABELPRESS_MODELS_DIR = tmp_path / "models"  # the same folder as model_index's
    return settings.BABELPRESS_MODELS_DIR


@pytest.fixture
def downloads(models):
    return models / ".downloads"


def leftover_names(downloads) -> set[str]:
    return {p.name for p in downloads.iterdir()} - {"index.json"} if downloads.exists() else set()


# --- The whole way --------------------------------------------------------------------------------


def test_the_index_installs_every_model_family(model_index, models, tmp_path, settings):
    """An OPUS-MT archive for en→hy and a multilingual M2M-100 archive, listed by a mirror's index."""
    settings.BABELPRESS_CONTENT_LANGUAGES = ["en", "fr", "hy", "ru"]
    built = tmp_path / "built"
    opus = archive_folder(build_tiny_opus_mt_model(built, "en", "hy"), tmp_path / "opus-mt-en-hy.tar.gz")
    m2m = archive_folder(build_tiny_multilingual_model(built, "m2m100", name="m2m100_418M", licence="mit"),
                         tmp_path / "m2m100_418M.zip")
    model_index.add_archive(opus, code="opus-mt-en-hy", package_version="2024-01", from_code="en", to_code="hy",
                            format="ctranslate2", license="apache-2.0")
    model_index.add_archive(m2m, code="m2m100_418M", package_version="1", from_code="", to_code="",
                            languages=["en", "fr", "hy", "ru"], format="ctranslate2", license="MIT")

    out = run("install", "en-hy", "m2m100_418M")

    assert "Installed opus-mt-en-hy: OPUS-MT (Marian), en→hy, licence Apache-2.0, version 2024-01" in out
    assert "Installed m2m100_418M: M2M-100" in out
    engine = LocalEngine(models_dir=str(models), max_decoding_length=8)
    assert [step.model for step in engine.route("en", "hy")] == ["opus-mt-en-hy"]
    assert [step.model for step in engine.route("fr", "hy")] == ["m2m100_418M"]  # direct, no pivot
    (translated,) = engine.translate_batch(["Le fleuve a monté."], "fr", "hy")
    assert translated.strip()


def test_install_downloads_checks_installs_and_the_model_then_translates(model_index, index_packages, models,
                                                                       downloads):
    model_index.add_package(index_packages["en", "fr"])
    generation = registry.generation()

    out = run("install", "en-fr")

    assert f"Downloading translate-en_fr 1.0 ({index_packages['en', 'fr'].stat().st_size // 1000} kB), " \
           "from the start" in out
    assert f"Downloaded {FILE} from {model_index.url}/files/{FILE}" in out
    assert f"Installed en-fr: Argos Translate package, en→fr, licence unknown, version 1.0, in {models / 'en-fr'}." in out
    assert registry.generation() > generation  # engines built before see the new model
    assert leftover_names(downloads) == set()
    (translated,) = LocalEngine(models_dir=str(models), max_decoding_length=16).translate_batch(
        ["The river rose today."], "en", "fr")
    assert translated.strip()


def test_several_pairs_or_package_names_in_one_command(model_index, index_packages, models):
    for pair in [("en", "ru"), ("ru", "en")]:
        model_index.add_package(index_packages[pair])

    run("install", "en-ru", "translate-ru_en")

    assert {m.pair for m in list_installed(models)} == {"en-ru", "ru-en"}


def test_a_model_already_installed_is_not_downloaded_again(model_index, index_packages):
    model_index.add_package(index_packages["en", "fr"])
    run("install", "en-fr")

    out = run("install", "en-fr")

    assert out.strip() == "en→fr 1.0 is already installed (the index has 1.0)."
    assert len(model_index.served()) == 1


def test_a_pair_the_index_lacks_is_refused_before_anything_is_downloaded(model_index, index_packages):
    model_index.add_package(index_packages["en", "fr"])

    message = fails("install", "en-fr", "en-hy")

    assert "no model for en→hy" in message and "OPUS-MT and NLLB" in message
    assert model_index.served() == []


def test_the_next_link_is_tried_when_one_fails(model_index, index_packages, models):
    package = model_index.add_package(index_packages["en", "fr"])
    package["links"].insert(0, f"{model_index.url}/files/gone.argosmodel")

    run("install", "en-fr")

    assert [(r.path, r.status) for r in model_index.served()] == [("/files/gone.argosmodel", 404),
                                                                 (f"/files/{FILE}", 200)]
    assert get_installed("en", "fr", models)


def test_links_that_are_not_http_are_skipped_and_redirects_are_followed_a_few_times(model_index, index_packages,
                                                                                 models):
    package = model_index.add_package(index_packages["en", "fr"])
    model_index.redirects = {"/loop": "/loop", "/moved": f"/files/{FILE}"}
    package["links"] = ["ipfs://QmV5bmf8iqKpoGoyuTzEppaSWdceuW6zgiePaUr5ThPCpW", f"{model_index.url}/loop",
                        f"{model_index.url}/moved"]

    run("install", "en-fr")

    paths = [r.path for r in model_index.requests if r.path != "/index.json"]
    assert paths == ["/loop"] * 6 + ["/moved", f"/files/{FILE}"]  # the first try and 5 redirects, then the next link
    assert get_installed("en", "fr", models)


def test_when_every_link_fails_each_one_is_named_with_its_reason(model_index, index_packages, models):
    package = model_index.add_package(index_packages["en", "fr"])
    model_index.redirects = {"/loop": "/loop"}
    package["links"] = [f"{model_index.url}/loop", f"{model_index.url}/files/missing.argosmodel"]

    message = fails("install", "en-fr")

    assert message.startswith(f"Could not download translate-en_fr 1.0: {model_index.url}/loop: Exceeded maximum "
                              f"allowed redirects; {model_index.url}/files/missing.argosmodel: HTTP 404 Not Found.")
    assert get_installed("en", "fr", models) is None


# --- Interrupted downloads -------------------------------------------------------------------------


def test_an_interrupted_download_is_resumed_with_a_range_request(model_index, index_packages, models, downloads):
    model_index.add_package(index_packages["en", "fr"])
    size = index_packages["en", "fr"].stat().st_size
    model_index.file(FILE).drop_after = 100_000

    message = fails("install", "en-fr")

    assert message.startswith("The download of translate-en_fr 1.0 stopped after 100 kB")
    assert f"100 kB are kept in {downloads / (FILE + '.part')}: run the same command again to resume" in message
    assert (downloads / (FILE + ".part")).stat().st_size == 100_000
    assert get_installed("en", "fr", models) is None  # nothing half-installed

    out = run("install", "en-fr")

    first, second = model_index.served()
    assert "range" not in first.headers and first.sent == 100_000
    assert second.headers["range"] == "bytes=100000-" and second.headers["if-range"] == model_index.file(FILE).etag
    assert (second.status, second.sent) == (206, size - 100_000)
    assert f"({(size - 100_000) // 1000} kB fetched, resumed at 100 kB)" in out
    assert get_installed("en", "fr", models) and leftover_names(downloads) == set()


def test_a_server_that_ignores_range_sends_it_all_again_and_the_file_is_rewritten(model_index, index_packages, models):
    model_index.add_package(index_packages["en", "fr"])
    size = index_packages["en", "fr"].stat().st_size
    model_index.file(FILE).drop_after = 100_000
    fails("install", "en-fr")
    model_index.file(FILE).ignore_range = True

    run("install", "en-fr")

    second = model_index.served()[-1]
    assert second.headers["range"] == "bytes=100000-" and (second.status, second.sent) == (200, size)
    assert get_installed("en", "fr", models)  # the sha256 held: nothing was appended twice


def test_a_file_that_changed_on_the_server_is_downloaded_again_from_the_start(model_index, index_packages, models,
                                                                               tmp_path):
    model_index.add_package(index_packages["en", "fr"], sha256=False, size=False)  # as in the Argos index
    model_index.file(FILE).drop_after = 100_000
    fails("install", "en-fr")
    rebuilt = build_tiny_argos_package(tmp_path / "rebuilt", "en", "fr", seed=7).read_bytes()
    model_index.file(FILE).data, model_index.file(FILE).etag = rebuilt, '"new"'

    run("install", "en-fr")

    second = model_index.served()[-1]
    assert second.headers["if-range"] != '"new"' and (second.status, second.sent) == (200, len(rebuilt))
    assert get_installed("en", "fr", models)


def test_a_kept_part_of_a_file_whose_size_changed_is_dropped_even_if_the_server_sends_the_range(
        model_index, index_packages, models, tmp_path):
    model_index.add_package(index_packages["en", "fr"], sha256=False, size=False)
    model_index.file(FILE).drop_after = 100_000
    fails("install", "en-fr")
    bigger = build_tiny_argos_package(tmp_path / "rebuilt", "en", "fr", vocab_size=400).read_bytes()
    model_index.file(FILE).data, model_index.file(FILE).if_range = bigger, False

    run("install", "en-fr")

    assert [(r.headers.get("range"), r.status) for r in model_index.served()] == [
        (None, 200), ("bytes=100000-", 206), (None, 200)]
    assert model_index.served()[-1].sent == len(bigger)
    assert get_installed("en", "fr", models)


def test_ctrl_c_keeps_a_resumable_part_and_installs_nothing(model_index, index_packages, models, downloads):
    model_index.add_package(index_packages["en", "fr"])

    def impatient(entry):
        def progress(done, total):
            if done >= 60_000:
                raise KeyboardInterrupt
        return progress

    with pytest.raises(index_commands.InstallStopped) as stopped:
        index_commands.install(print, ["en-fr"], progress_for=impatient)

    assert stopped.value.returncode == 130
    assert str(stopped.value).startswith("Interrupted: the download of translate-en_fr 1.0 stopped.")
    kept = (downloads / (FILE + ".part")).stat().st_size
    assert kept >= 60_000 and get_installed("en", "fr", models) is None
    run("install", "en-fr")
    assert model_index.served()[-1].headers["range"] == f"bytes={kept}-"


def test_clean_deletes_partial_downloads_and_a_later_install_removes_stale_ones(model_index, index_packages, downloads):
    model_index.add_package(index_packages["en", "fr"])
    model_index.file(FILE).drop_after = 100_000
    fails("install", "en-fr")

    assert run("install", "--clean").startswith(f"Removed 2 leftover download file(s) from {downloads}.")
    assert leftover_names(downloads) == set()

    (downloads / "translate-en_fr-0_9.argosmodel.part").write_bytes(b"from a run long ago")
    run("install", "en-fr")
    assert leftover_names(downloads) == set()


# --- Checks ------------------------------------------------------------------------------------------


def test_a_checksum_mismatch_deletes_the_file_and_says_so(model_index, index_packages, models, downloads):
    model_index.add_package(index_packages["en", "fr"], sha256="0" * 64)

    message = fails("install", "en-fr")

    assert "its SHA-256 is " in message and f"the index says {'0' * 64}" in message and "was deleted" in message
    assert leftover_names(downloads) == set()
    assert get_installed("en", "fr", models) is None


def test_a_file_whose_size_differs_from_the_index_is_not_downloaded(model_index, index_packages, downloads):
    size = index_packages["en", "fr"].stat().st_size
    model_index.add_package(index_packages["en", "fr"], size=size + 100)

    message = fails("install", "en-fr")

    assert f"the server's file has {size} bytes, the index says {size + 100}" in message
    assert not (downloads / (FILE + ".part")).exists()


def test_a_download_bigger_than_announced_is_stopped(model_index, index_packages, downloads):
    size = index_packages["en", "fr"].stat().st_size
    model_index.add_package(index_packages["en", "fr"], size=size - 1000, sha256=False)
    model_index.file(FILE).no_length = True  # the server does not say; only the index does

    message = fails("install", "en-fr")

    assert f"the server sent more than the {size - 1000} bytes announced; the file was deleted" in message
    assert not (downloads / (FILE + ".part")).exists()


def test_not_enough_disk_space_is_said_with_the_numbers_before_downloading(model_index, index_packages):
    model_index.add_package(index_packages["en", "fr"], size=100_000_000, sha256=False)
    full_disk = lambda path: SimpleNamespace(free=150_000_000, total=10**12, used=0)  # noqa: E731

    with pytest.raises(index_commands.InstallStopped) as stopped:
        index_commands.install(print, ["en-fr"], disk_usage=full_disk)

    assert "Not enough disk space in " in str(stopped.value)
    assert ("translate-en_fr 1.0 needs about 220.0 MB (100.0 MB to download, 120.0 MB to unpack) and 150.0 MB "
            "are free. Free some space, or set BABELPRESS_MODELS_DIR") in str(stopped.value)
    assert model_index.served() == []


# --- Offline -------------------------------------------------------------------------------------


def test_offline_with_a_copy_of_the_index_it_names_the_file_where_to_put_it_and_the_command(
        settings, index_packages, downloads):
    with serve_index() as index:
        settings.BABELPRESS_MODEL_INDEX_URL = index.index_url
        package = index.add_package(index_packages["en", "fr"])
        run("available")  # the index is kept …
    # … and the server is gone: connection refused

    message = fails("install", "en-fr")

    assert message.startswith("This machine cannot download the model (")
    assert "connection refused" in message
    assert f"1. On a machine that is online, download {package['links'][0]} (231 kB, SHA-256 {package['sha256']})" \
        in message.replace(f"{index_packages['en', 'fr'].stat().st_size // 1000} kB", "231 kB")
    assert f"2. Copy it to this machine, to {downloads / FILE}" in message
    assert f"3. Run: babelpress translation install-model {downloads / FILE}" in message


def test_offline_with_an_old_copy_of_the_index_the_links_come_from_that_copy(settings, index_packages, downloads):
    with serve_index() as index:
        settings.BABELPRESS_MODEL_INDEX_URL = index.index_url
        package = index.add_package(index_packages["en", "fr"])
        run("available")

    message = fails("install", "--refresh", "en-fr")

    assert "(links from the copy of the index fetched " in message
    assert f"download {package['links'][0]}" in message


def test_offline_a_pair_the_copy_of_the_index_lacks_is_said_so(settings, index_packages, models):
    with serve_index() as index:
        settings.BABELPRESS_MODEL_INDEX_URL = index.index_url
        index.add_package(index_packages["en", "fr"])
        run("available")

    message = fails("install", "--refresh", "en-hy")

    assert message.startswith("Offline (connection refused), so this comes from the copy of the index fetched ")
    assert message.endswith(f"the index {index.index_url} has no model for en→hy. It has no model at all for hy: see "
                            "docs/engines.md for OPUS-MT and NLLB models, installed with "
                            "`babelpress translation install-model`.")


def test_offline_without_any_copy_of_the_index_it_says_to_fetch_the_index(settings, models):
    from ..commands import free_port

    settings.BABELPRESS_MODEL_INDEX_URL = url = f"http://127.0.0.1:{free_port()}/index.json"

    message = fails("install", "en-fr")

    assert message.startswith(f"This machine cannot reach the model index {url} (connection refused")
    assert "and has no copy of it." in message
    assert f"1. On a machine that is online, open {url}" in message
    assert "3. Run: babelpress translation install-model" in message


def test_the_cached_index_is_plain_json_of_the_packages(model_index, index_packages, downloads):
    model_index.add_package(index_packages["en", "fr"])
    run("available")

    saved = json.loads((downloads / "index.json").read_text())

    assert saved["url"] == model_index.index_url and saved["packages"] == model_index.packages
