"""Installing a model of any family: from a folder or an archive, checked, probed, and moved into
place whole — or refused with a message saying what to do, leaving nothing behind."""

from __future__ import annotations

import io
import json
import shutil
import stat
import tarfile
import zipfile

import pytest

from babelpress.translation import model_install, model_store
from babelpress.translation.model_install import install_model
from babelpress.translation.model_store import list_models
from babelpress.translation.models_folder import ModelPackageError
from babelpress.translation.testing import (
    archive_folder,
    build_tiny_argos_package,
    build_tiny_multilingual_model,
    build_tiny_opus_mt_model,
)


@pytest.fixture
def models_dir(tmp_path):
    return tmp_path / "models"


def copy_of(folder, tmp_path, name=None):
    return shutil.copytree(folder, tmp_path / "src" / (name or folder.name))


def nothing_installed(models_dir):
    return not models_dir.exists() or sorted(p.name for p in models_dir.iterdir() if p.name != ".lock") == []


# --- What an install records ---------------------------------------------------------------------------------


@pytest.mark.parametrize("family, name, languages, licence, non_commercial", [
    ("opus-mt", "opus-mt-en-hy", ("en", "hy"), "Apache-2.0", False),  # from the model card's front matter
    ("nllb", "nllb-200-tiny", ("en", "fr", "hy", "ru"), "CC-BY-NC-4.0", True),
    ("m2m100", "m2m100-tiny", ("en", "fr", "hy", "ru"), "MIT", False),
    ("madlad", "madlad400-tiny", ("en", "fr", "hy", "ru"), "Apache-2.0", False),
])
def test_each_family_is_recognised_and_recorded(family, name, languages, licence, non_commercial,
                                                tiny_model_folders, models_dir):
    model = install_model(tiny_model_folders[family], models_dir)

    assert (model.name, model.family, model.languages, model.licence, model.non_commercial) == (
        name, family, languages, licence, non_commercial)
    manifest = json.loads((models_dir / name / "babelpress-model.json").read_text())
    assert manifest["source"] == str(tiny_model_folders[family]) and manifest["installed_at"]
    assert (models_dir / name / "model.bin").is_file()
    assert list_models(models_dir) == [model]
    assert sorted(p.name for p in models_dir.iterdir()) == [".lock", name]  # no temporary folder left


def test_opus_mt_licence_defaults_to_cc_by_without_a_card_and_licence_overrides(tmp_path, models_dir):
    bare = build_tiny_opus_mt_model(tmp_path, "en", "hy", licence=None)

    assert install_model(bare, models_dir).licence == "CC-BY-4.0"
    assert install_model(bare, models_dir, licence="cc-by-nc-4.0", name="mine").non_commercial is True


def test_the_pair_of_an_opus_mt_model_comes_from_its_name_its_card_or_pair(tmp_path, models_dir):
    folder = build_tiny_opus_mt_model(tmp_path, "en", "hy", name="converted")
    (folder / "README.md").unlink()

    with pytest.raises(ModelPackageError, match="cannot tell which languages.*--pair en-hy"):
        install_model(folder, models_dir)
    assert nothing_installed(models_dir)

    model = install_model(folder, models_dir, pair="en-hy")
    assert (model.name, model.pairs) == ("converted", (("en", "hy"),))
    card = build_tiny_opus_mt_model(tmp_path / "card", "fr", "hy", name="model")  # card: source/target languages
    assert install_model(card, models_dir, name="fr-hy-model").pairs == (("fr", "hy"),)


@pytest.mark.parametrize("suffix", [".zip", ".tar.gz", ".tgz", ".tar"])
def test_archives_install_like_folders(suffix, tiny_model_folders, tmp_path, models_dir):
    archive = archive_folder(tiny_model_folders["m2m100"], tmp_path / f"m2m100_418M-ct2{suffix}",
                             top="m2m100_418M-ct2")

    model = install_model(archive, models_dir)

    assert (model.name, model.family) == ("m2m100_418M-ct2", "m2m100")
    assert model.source == str(archive)


def test_an_archive_without_a_top_folder_is_named_after_the_archive(tiny_model_folders, tmp_path, models_dir):
    archive = archive_folder(tiny_model_folders["opus-mt"], tmp_path / "opus-mt-en-hy.zip", top="")

    assert install_model(archive, models_dir).name == "opus-mt-en-hy"


def test_argos_packages_still_install_through_the_same_function(tmp_path, models_dir):
    model = install_model(build_tiny_argos_package(tmp_path, "en", "fr"), models_dir)

    assert (model.name, model.family, model.pairs, model.version) == ("en-fr", "argos", (("en", "fr"),), "1.0")
    assert (models_dir / "en-fr" / "metadata.json").is_file()  # the layout installed folders already have


def test_an_argos_package_keeps_the_licence_it_is_given(tmp_path, models_dir):
    model = install_model(build_tiny_argos_package(tmp_path, "en", "hy"), models_dir, licence="cc-by-nc-4.0")

    assert (model.licence, model.non_commercial) == ("CC-BY-NC-4.0", True)
    assert list_models(models_dir) == [model]


def test_reinstalling_a_model_replaces_it_whole(tiny_model_folders, models_dir):
    install_model(tiny_model_folders["nllb"], models_dir)

    again = install_model(tiny_model_folders["nllb"], models_dir, version="2")

    assert [(m.name, m.version) for m in list_models(models_dir)] == [("nllb-200-tiny", "2")]
    assert again.path == models_dir / "nllb-200-tiny"


# --- Refusals ------------------------------------------------------------------------------------------------


def _drop(name):
    def make(folder):
        (folder / name).unlink()
    return make


def _vocabulary_of_another_model(folder):
    vocab = json.loads((folder / "shared_vocabulary.json").read_text())
    (folder / "shared_vocabulary.json").write_text(json.dumps(vocab[:-7]))


def _tokenizer_of_another_model(folder):
    other = build_tiny_multilingual_model(folder.parent / "other", "m2m100", ("ar", "de"))
    shutil.copy(other / "sentencepiece.bpe.model", folder / "sentencepiece.bpe.model")


def _hugging_face_unconverted(folder):
    (folder / "model.bin").rename(folder / "pytorch_model.bin")


def _truncated_weights(folder):
    data = (folder / "model.bin").read_bytes()
    (folder / "model.bin").write_bytes(data[: len(data) // 2])


def _unknown_family(folder):
    (folder / "source.spm").rename(folder / "spm.model")
    (folder / "target.spm").unlink()


@pytest.mark.parametrize("family, damage, message", [
    ("opus-mt", _drop("model.bin"), "no model.bin found: not a CTranslate2 model folder"),
    ("opus-mt", _hugging_face_unconverted, "not yet converted for CTranslate2.*ct2-transformers-converter"),
    ("nllb", _drop("shared_vocabulary.json"), "missing vocabulary next to model.bin"),
    ("nllb", _vocabulary_of_another_model, r"wrong vocabulary: shared_vocabulary.json has \d+ tokens but model.bin "
                                           r"was made for \d+"),
    ("m2m100", _tokenizer_of_another_model, "does not match the vocabulary"),
    ("opus-mt", _drop("target.spm"), "missing target.spm.*copy them from the original model"),
    ("nllb", _drop("sentencepiece.bpe.model"), "missing sentencepiece.bpe.model or spm.model.*nllb-200-distilled"),
    ("madlad", _drop("sentencepiece.model"), "missing sentencepiece.model or spiece.model"),
    ("madlad", _truncated_weights, "model.bin is cut short.*interrupted"),
    ("opus-mt", _unknown_family, "unknown model family.*OPUS-MT.*NLLB-200.*M2M-100.*MADLAD-400"),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_bad_model_folders_are_refused_with_what_to_do(family, damage, message, tiny_model_folders, tmp_path,
                                                       models_dir):
    folder = copy_of(tiny_model_folders[family], tmp_path, name="mystery" if damage is _unknown_family else None)
    damage(folder)

    with pytest.raises(ModelPackageError, match=message):
        install_model(folder, models_dir)

    assert nothing_installed(models_dir)


def test_a_model_for_languages_the_site_does_not_use_is_refused_unless_asked(tmp_path, models_dir, settings):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "en", "hy", "ru"]
    german = build_tiny_opus_mt_model(tmp_path, "de", "es")

    with pytest.raises(ModelPackageError, match=r"translates de, es, but the site publishes in fr, en, hy, ru "
                                                r"\(BABELPRESS_CONTENT_LANGUAGES\).*--any-language"):
        install_model(german, models_dir)
    assert nothing_installed(models_dir)

    assert install_model(german, models_dir, any_language=True).name == "opus-mt-de-es"


def test_a_model_into_english_only_is_useful_as_half_of_a_pivot(tmp_path, models_dir, settings):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "hy"]

    assert install_model(build_tiny_opus_mt_model(tmp_path, "en", "hy"), models_dir).pairs == (("en", "hy"),)


def test_a_multilingual_model_must_know_two_site_languages_or_one_and_english(tmp_path, models_dir, settings):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "hy"]
    folder = build_tiny_multilingual_model(tmp_path, "madlad", ("de", "es", "ru"))

    with pytest.raises(ModelPackageError, match="translates de, es, ru, but the site publishes in fr, hy"):
        install_model(folder, models_dir)


def test_a_pair_is_for_bilingual_models_only(tiny_model_folders, models_dir):
    with pytest.raises(ModelPackageError, match="multilingual NLLB-200 model.*--pair does not apply.*prefer"):
        install_model(tiny_model_folders["nllb"], models_dir, pair="en-hy")


def _zip_with(extra_name, data=b"x", *, symlink=False):
    def make(folder, dest):
        archive_folder(folder, dest.with_suffix(".zip"))
        info = zipfile.ZipInfo(extra_name)
        if symlink:
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        with zipfile.ZipFile(dest.with_suffix(".zip"), "a") as zf:
            zf.writestr(info, data)
        return dest.with_suffix(".zip")
    return make


def _tar_with(name, *, link=None):
    def make(folder, dest):
        path = dest.with_name(dest.name + ".tar.gz")
        archive_folder(folder, path)
        with tarfile.open(path, "r:gz") as tf:
            members = [(m, tf.extractfile(m).read() if m.isfile() else None) for m in tf.getmembers()]
        with tarfile.open(path, "w:gz") as tf:
            for member, data in members:
                tf.addfile(member, io.BytesIO(data) if data is not None else None)
            evil = tarfile.TarInfo(name)
            if link:
                evil.type, evil.linkname = tarfile.SYMTYPE, link
                tf.addfile(evil)
            else:
                evil.size = 5
                tf.addfile(evil, io.BytesIO(b"pwned"))
        return path
    return make


def _cut(suffix):
    def make(folder, dest):
        path = archive_folder(folder, dest.with_name(dest.name + suffix))
        data = path.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 3])
        return path
    return make


@pytest.mark.parametrize("make, message", [
    (_zip_with("opus-mt-en-hy/../../evil.txt"), "zip-slip"),
    (_zip_with("/tmp/evil.txt"), "zip-slip"),
    (_zip_with("opus-mt-en-hy/link", b"/etc/passwd", symlink=True), "symbolic link"),
    (_tar_with("../evil.txt"), "zip-slip"),
    (_tar_with("/tmp/evil.txt"), "zip-slip"),
    (_tar_with("opus-mt-en-hy/link", link="/etc/passwd"), "contains a link"),
    (_cut(".zip"), "not a zip archive, or a truncated one"),
    (_cut(".tar.gz"), "truncated or damaged.*download it again"),
    (_cut(".tar"), "truncated or damaged"),
], ids=["zip-dotdot", "zip-absolute", "zip-symlink", "tar-dotdot", "tar-absolute", "tar-symlink", "zip-cut",
        "targz-cut", "tar-cut"])
def test_unsafe_or_truncated_archives_are_refused(make, message, tiny_model_folders, tmp_path, models_dir):
    archive = make(tiny_model_folders["opus-mt"], tmp_path / "opus-mt-en-hy")

    with pytest.raises(ModelPackageError, match=message):
        install_model(archive, models_dir)

    assert nothing_installed(models_dir)
    assert not (tmp_path / "evil.txt").exists() and not (models_dir.parent / "evil.txt").exists()


def test_a_file_that_is_no_model_says_what_to_give(tmp_path, models_dir):
    page = tmp_path / "model.html"
    page.write_text("<html>Not found</html>")

    with pytest.raises(ModelPackageError, match="not a model. Give a CTranslate2 model folder"):
        install_model(page, models_dir)
    with pytest.raises(ModelPackageError, match="no such file or folder"):
        install_model(tmp_path / "missing", models_dir)


# --- Nothing half-installed ----------------------------------------------------------------------------------


def test_an_install_interrupted_at_the_last_check_leaves_nothing(tiny_model_folders, models_dir, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(model_install, "probe", interrupted)

    with pytest.raises(KeyboardInterrupt):
        install_model(tiny_model_folders["nllb"], models_dir)

    assert nothing_installed(models_dir)


def test_what_a_killed_install_left_is_never_listed_and_is_cleaned_by_the_next(tiny_model_folders, models_dir):
    left = models_dir / ".tmp-install-killed" / "unpacked"
    shutil.copytree(tiny_model_folders["nllb"], left)
    (left / "babelpress-model.json").write_text(json.dumps({"family": "nllb"}))

    assert list_models(models_dir) == []

    install_model(tiny_model_folders["opus-mt"], models_dir)
    assert sorted(p.name for p in models_dir.iterdir()) == [".lock", "opus-mt-en-hy"]


def test_removing_a_model_forgets_the_choices_that_named_it(tiny_model_folders, models_dir):
    install_model(tiny_model_folders["opus-mt"], models_dir)
    install_model(tiny_model_folders["nllb"], models_dir)
    model_store.set_preference("en", "hy", "nllb-200-tiny", models_dir)

    removed, dropped = model_store.remove_model("nllb-200-tiny", models_dir)

    assert (removed.name, dropped) == ("nllb-200-tiny", ["en-hy"])
    assert model_store.read_preferences(models_dir) == {}
    with pytest.raises(ModelPackageError, match="no model named 'nllb-200-tiny'.*installed: opus-mt-en-hy"):
        model_store.remove_model("nllb-200-tiny", models_dir)


def test_a_choice_must_name_an_installed_model_that_serves_the_pair(tiny_model_folders, models_dir):
    install_model(tiny_model_folders["opus-mt"], models_dir)

    with pytest.raises(ModelPackageError, match="no model named 'nllb' is installed"):
        model_store.set_preference("en", "hy", "nllb", models_dir)
    with pytest.raises(ModelPackageError, match=r"opus-mt-en-hy \(opus-mt\) cannot translate fr→hy: it serves en→hy"):
        model_store.set_preference("fr", "hy", "opus-mt-en-hy", models_dir)
