"""`babelpress translation install-model | list-models | prefer | remove-model` with models of
every family, as an operator types them."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from babelpress.translation.testing import archive_folder, build_tiny_argos_package


def run(*args) -> str:
    out = io.StringIO()
    call_command("translation", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def models_dir(settings, tmp_path, use_engines):
    folder = tmp_path / "models"
    settings.BABELPRESS_MODELS_DIR = folder
    settings.BABELPRESS_CONTENT_LANGUAGES = ["fr", "en", "hy", "ru"]
    use_engines({"local": ("babelpress.translation.engines.local.LocalEngine", {
        "models_dir": str(folder), "max_decoding_length": 16})})
    return folder


def test_installing_nllb_says_it_is_non_commercial_and_which_model_keeps_a_shared_pair(models_dir,
                                                                                      tiny_model_folders):
    run("install-model", str(tiny_model_folders["opus-mt"]))

    said = run("install-model", str(tiny_model_folders["nllb"])).splitlines()

    assert said[0] == (f"Installed nllb-200-tiny: NLLB-200, 4 languages: en, fr, hy, ru, licence CC-BY-NC-4.0, "
                       f"in {models_dir / 'nllb-200-tiny'}.")
    assert said[1].startswith("Non-commercial: CC-BY-NC-4.0 allows no commercial use of nllb-200-tiny's translations.")
    assert said[2] == ("en→hy: also served by opus-mt-en-hy, which stays in use. To use nllb-200-tiny instead: "
                       "`babelpress translation prefer en-hy nllb-200-tiny`.")


def test_list_models_shows_family_reach_licence_and_use(models_dir, tiny_model_folders, tmp_path):
    run("install-model", str(build_tiny_argos_package(tmp_path, "fr", "en")))
    run("install-model", str(archive_folder(tiny_model_folders["nllb"], tmp_path / "nllb-200-distilled-600M.zip",
                                            top="nllb-200-distilled-600M")))
    run("install-model", str(tiny_model_folders["opus-mt"]))

    lines = run("list-models").splitlines()

    assert [line.split("  ")[:4] for line in lines if not line.startswith(" ")] == [
        ["fr-en", "argos", "fr→en", "licence unknown"],
        ["nllb-200-distilled-600M", "nllb", "4 languages: en, fr, hy, ru", "CC-BY-NC-4.0 (non-commercial use only)"],
        ["opus-mt-en-hy", "opus-mt", "en→hy", "Apache-2.0"],
    ]
    assert lines[1] == "    used for: fr→en"
    assert lines[3] == ("    used for: en→fr, en→ru, fr→hy, fr→ru, hy→en, hy→fr, hy→ru, ru→en, ru→fr, ru→hy")
    assert lines[5] == "    used for: en→hy"


def test_prefer_chooses_a_model_for_a_pair_and_clear_forgets_it(models_dir, tiny_model_folders):
    for family in ("opus-mt", "m2m100"):
        run("install-model", str(tiny_model_folders[family]))

    assert run("prefer", "en-hy", "m2m100-tiny").strip() == "en→hy is translated by m2m100-tiny (m2m100)."
    assert "    used for: en→fr, en→hy (chosen), en→ru" in run("list-models")
    assert run("prefer", "en-hy", "--clear").splitlines() == [
        "Forgot the choice for en→hy.", "en→hy is translated by opus-mt-en-hy (opus-mt)."]
    with pytest.raises(CommandError, match="opus-mt-en-hy \\(opus-mt\\) cannot translate fr→hy"):
        run("prefer", "fr-hy", "opus-mt-en-hy")
    with pytest.raises(CommandError, match="Usage: babelpress translation prefer en-hy MODEL_NAME"):
        run("prefer", "en-hy")


def test_engine_options_override_prefer_and_list_models_says_so(models_dir, tiny_model_folders, use_engines):
    for family in ("opus-mt", "m2m100"):
        run("install-model", str(tiny_model_folders[family]))
    run("prefer", "en-hy", "m2m100-tiny")
    use_engines({"local": ("babelpress.translation.engines.local.LocalEngine", {
        "models_dir": str(models_dir), "models": {"en-hy": "opus-mt-en-hy"}})})

    assert ("Your choice of m2m100-tiny for en→hy is overridden by the local engine's OPTIONS MODELS, which chooses "
            "opus-mt-en-hy.") in run("list-models")


def test_remove_model_by_name_forgets_its_choices(models_dir, tiny_model_folders):
    for family in ("opus-mt", "madlad"):
        run("install-model", str(tiny_model_folders[family]))
    run("prefer", "en-hy", "madlad400-tiny")

    assert run("remove-model", "madlad400-tiny").splitlines() == [
        "Removed madlad400-tiny (madlad).", "It was your choice for en-hy; those choices are forgotten."]
    assert run("list-models").splitlines()[0].startswith("opus-mt-en-hy  opus-mt  en→hy")


def test_install_model_refusals_reach_the_operator_as_command_errors(models_dir, tiny_model_folders, tmp_path):
    converted = shutil.copytree(tiny_model_folders["opus-mt"], tmp_path / "converted")
    (converted / "README.md").unlink()  # no model card, and a name that says nothing
    with pytest.raises(CommandError, match="cannot tell which languages.*--pair en-hy"):
        run("install-model", str(archive_folder(converted, tmp_path / "model.tgz", top="m")))

    said = run("install-model", str(tmp_path / "model.tgz"), "--pair", "en-hy", "--licence", "cc-by-4.0")

    assert said.startswith("Installed m: OPUS-MT (Marian), en→hy, licence CC-BY-4.0, in ")
