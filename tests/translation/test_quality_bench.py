"""bench/translation_quality.py: chrF++ and BLEU per engine and pair, as sacrebleu computes them.

The bench runs here on three-sentence test sets: with the real local engine on tiny random models
(gibberish out, scores near 0: what matters is that they are sacrebleu's figures for that output),
and with an engine that answers the references (chrF++ and BLEU 100). Nothing is timed.
"""

from __future__ import annotations

import html
import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest
from rich.console import Console
from sacrebleu.metrics import BLEU, CHRF

from babelpress.translation.engines.base import EngineError, RouteStep

from .fake_engines import PhrasebookEngine

ROOT = Path(__file__).resolve().parents[2]

SENTENCES = {
    "en": ["The council voted on the water price today.", "Fish & chips cost <5 euros> now.",
           "Rain fell on the city for a third day."],
    "fr": ["Le conseil a voté le prix de l'eau aujourd'hui.", "Le poisson & les frites coûtent <5 euros> désormais.",
           "La pluie est tombée sur la ville pour le troisième jour."],
    "hy": ["Խորհուրդն այսօր քվեարկեց ջրի գնի մասին։", "Ձուկն ու կարտոֆիլը հիմա արժեն <5 եվրո>։",
           "Անձրևը երրորդ օրն է, ինչ տեղում է քաղաքում։"],
}
FLORES = {"en": "eng_Latn", "fr": "fra_Latn", "hy": "hye_Armn"}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("translation_quality", ROOT / "bench" / "translation_quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture
def run(bench, settings, capsys):
    """run(*argv) → (exit status, the printed report, what went to stderr); ``run.json`` what went to stdout."""
    settings.BABELPRESS_CONTENT_LANGUAGES = ["en", "fr", "hy"]

    def main(*argv):
        report = io.StringIO()
        status = bench.main([str(a) for a in argv], console=Console(file=report, width=250))
        captured = capsys.readouterr()
        main.json = json.loads(captured.out) if captured.out else None
        return status, report.getvalue(), captured.err

    return main


class MultilingualEngine(PhrasebookEngine):
    """Says its pairs are served by one non-commercial model, as an NLLB-200 folder is."""

    def route(self, source, target):
        return [RouteStep(source, target, model="nllb-200-distilled-600M", family="nllb", licence="CC-BY-NC-4.0",
                          non_commercial=True)] if self.supports(source, target) else None


def write_lines(path: Path, lines) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def flores_folder(root: Path, name=lambda code, split: f"{code}.{split}", split="devtest") -> Path:
    for lang, code in FLORES.items():
        write_lines(root / split / name(code, split), SENTENCES[lang])
    return root


def echo_engine(use_engines, pairs, name="reference", **options):
    """An engine answering each source sentence with its reference translation (escaped as segments are)."""
    phrases = {html.escape(SENTENCES[p[:2]][i], quote=False): html.escape(SENTENCES[p[3:]][i], quote=False)
               for p in pairs for i in range(3)}
    return use_engines({name: (PhrasebookEngine, {"pairs": pairs, "phrases": phrases, **options})})[name]


def sacrebleu_figures(hypotheses, references):
    return (CHRF(word_order=2).corpus_score(hypotheses, [references]).score,
            BLEU(tokenize="13a").corpus_score(hypotheses, [references]).score)


def test_the_local_engine_is_scored_with_sacrebleus_own_figures_for_its_output(run, local_engine, tmp_path):
    folder = flores_folder(tmp_path / "flores200_dataset")
    status, report, _ = run("--flores", folder, "--json", tmp_path / "r.json", "--translations", tmp_path / "out")

    assert status == 0
    result = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    rows = {row["pair"]: row for row in result["rows"]}
    # The tiny models: en→fr, fr→en and en→hy; fr→hy goes through English; nothing reads Armenian.
    assert sorted(rows) == ["en-fr", "en-hy", "fr-en", "fr-hy"]
    assert result["unsupported"] == {"local": ["hy-en", "hy-fr"]}
    assert rows["en-hy"]["route"] == "direct (en-hy)"
    assert rows["fr-hy"]["route"] == "via en (fr-en, en-hy)"
    for pair, row in rows.items():
        hypotheses = (tmp_path / "out" / f"local.{pair}.txt").read_text(encoding="utf-8").splitlines()
        assert len(hypotheses) == row["sentences"] == 3
        assert (row["chrf"], row["bleu"]) == pytest.approx(sacrebleu_figures(hypotheses, SENTENCES[pair[3:]]))
        assert row["problem"] == "" and row["segments_per_second"] > 0
    assert "via en (fr-en, en-hy)" in report and "local does not support: hy→en, hy→fr" in report


def test_an_engine_answering_the_references_scores_100_with_segments_escaped_as_the_pipeline_sends_them(
        run, use_engines, tmp_path):
    engine = echo_engine(use_engines, ["en-hy"])
    source = write_lines(tmp_path / "news.en", SENTENCES["en"])
    reference = write_lines(tmp_path / "news.hy", SENTENCES["hy"])

    status, report, _ = run("--source", source, "--reference", reference, "--pair", "en-hy", "--batch-size", 2,
                            "--json", tmp_path / "r.json", "--translations", tmp_path / "out")

    assert status == 0
    [row] = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["rows"]
    assert (row["engine"], row["pair"]) == ("reference", "en-hy")
    assert (row["chrf"], row["bleu"]) == pytest.approx((100, 100))
    # One warm-up sentence, then batches of two; "&" and "<" arrive escaped, and come back unescaped.
    assert engine.calls == [[SENTENCES["en"][0]], [SENTENCES["en"][0], "Fish &amp; chips cost &lt;5 euros&gt; now."],
                            [SENTENCES["en"][2]]]
    assert (tmp_path / "out" / "reference.en-hy.txt").read_text(encoding="utf-8").splitlines() == SENTENCES["hy"]
    assert "│ reference │ en→hy │  100.0 │ 100.0 │" in report


@pytest.mark.parametrize("layout", [
    pytest.param(lambda root: flores_folder(root), id="FLORES-200: devtest/eng_Latn.devtest"),
    pytest.param(lambda root: flores_folder(root, lambda code, split: f"{split}.{code}"),
                 id="FLORES+ release: devtest/devtest.eng_Latn"),
    pytest.param(lambda root: flores_folder(root, lambda code, split: f"{code}.txt"), id="devtest/eng_Latn.txt"),
    pytest.param(lambda root: flores_folder(root / "floresp-v2.0-rc.3") and root, id="the folder holding it"),
])
def test_flores_folders_are_read_in_each_published_layout(run, use_engines, tmp_path, layout):
    echo_engine(use_engines, ["en-fr", "fr-hy"])

    status, _, _ = run("--flores", layout(tmp_path / "data"), "--pairs", "en-fr,fr-hy", "--json", "-")

    assert status == 0
    rows = run.json["rows"]
    assert [(r["pair"], r["sentences"]) for r in rows] == [("en-fr", 3), ("fr-hy", 3)]
    assert [r["chrf"] for r in rows] == pytest.approx([100, 100])


def test_the_dev_split_and_a_limit_choose_the_sentences(run, use_engines, tmp_path):
    echo_engine(use_engines, ["en-fr"])
    flores_folder(tmp_path / "flores", split="dev")

    status, report, _ = run("--flores", tmp_path / "flores", "--split", "dev", "--pairs", "en-fr", "--limit", 2)

    assert status == 0 and "│ reference │ en→fr │  100.0 │ 100.0 │         2 │" in report


def test_an_engine_that_fails_gets_a_row_saying_why_and_the_others_are_still_scored(run, use_engines, tmp_path):
    engines = use_engines({
        "broken": (PhrasebookEngine, {"pairs": ["en-fr"]}),
        "paid": (PhrasebookEngine, {"pairs": ["en-fr"], "paid": True}),
        "reference": (PhrasebookEngine, {"pairs": ["en-fr"], "phrases": {
            html.escape(s, quote=False): html.escape(r, quote=False) for s, r in zip(SENTENCES["en"], SENTENCES["fr"])}}),
    })
    engines["broken"].fail_with = EngineError("broken", "monthly quota used up until the 1st.")

    status, _, _ = run("--flores", flores_folder(tmp_path / "f"), "--pairs", "en-fr", "--json", "-")

    assert status == 0
    rows = {r["engine"]: r for r in run.json["rows"]}
    assert rows["broken"]["chrf"] is None and rows["broken"]["problem"] == "[broken] monthly quota used up until the 1st."
    assert rows["paid"]["chrf"] is None and "paid engine, not run" in rows["paid"]["problem"]
    assert "--allow-paid" in rows["paid"]["problem"] and engines["paid"].calls == []
    assert rows["reference"]["chrf"] == pytest.approx(100)


def test_engine_names_choose_which_engines_are_scored(run, use_engines, tmp_path):
    use_engines({"one": (PhrasebookEngine, {"pairs": ["en-fr"]}), "two": (PhrasebookEngine, {"pairs": ["en-fr"]})})
    folder = flores_folder(tmp_path / "f")

    status, report, _ = run("--flores", folder, "--pairs", "en-fr", "--engine", "two")
    assert status == 0 and "│ two " in report and "│ one " not in report

    status, _, err = run("--flores", folder, "--engine", "deepl")
    assert status == 2 and "No engine named deepl: configured engines are one, two" in err


def test_nothing_to_score_exits_1(run, use_engines, tmp_path):
    use_engines({"one": (PhrasebookEngine, {"pairs": ["ru-fr"]})})
    status, report, _ = run("--flores", flores_folder(tmp_path / "f"), "--pairs", "en-fr")
    assert status == 1 and "Nothing to score: no engine supports these pairs." in report
    assert "one does not support: en→fr" in report and "chrF++ │" not in report


def test_files_whose_line_counts_differ_are_refused(run, use_engines, tmp_path):
    echo_engine(use_engines, ["en-hy"])
    source = write_lines(tmp_path / "a.en", SENTENCES["en"])
    reference = write_lines(tmp_path / "a.hy", SENTENCES["hy"][:2])

    status, report, err = run("--source", source, "--reference", reference, "--pair", "en-hy")

    assert (status, report) == (2, "")
    assert f"{source} has 3 lines but {reference} has 2: the files must be aligned" in err


@pytest.mark.parametrize(("pair", "message"), [
    ("en-xx", "Unknown language code 'xx': use ISO 639-1 codes"),
    ("english-hy", "Unknown language code 'english'"),
    ("eng-arm", "'eng': write 'en', the ISO 639-1 code Babelpress and the engines use."),
    ("en", "'en' is not a language pair: write SOURCE-TARGET, e.g. en-hy."),
    ("hy-hy", "source and target are the same language"),
])
def test_a_pair_must_name_two_known_languages(run, use_engines, tmp_path, pair, message):
    source = write_lines(tmp_path / "a.en", SENTENCES["en"])
    reference = write_lines(tmp_path / "a.hy", SENTENCES["hy"])
    status, _, err = run("--source", source, "--reference", reference, "--pair", pair)
    assert status == 2 and message in err


def test_a_missing_flores_folder_or_language_file_is_refused_saying_what_to_give(run, use_engines, tmp_path):
    status, _, err = run("--flores", tmp_path / "nowhere")
    assert status == 2 and f"{tmp_path / 'nowhere'}: no such folder. Unpack FLORES-200 or FLORES+" in err

    (tmp_path / "empty").mkdir()
    status, _, err = run("--flores", tmp_path / "empty")
    assert status == 2 and "has no 'devtest/' folder" in err

    folder = flores_folder(tmp_path / "f")
    status, _, err = run("--flores", folder, "--pairs", "en-ru")
    assert status == 2 and "devtest has no file for ru (looked for rus_Cyrl.devtest, devtest.rus_Cyrl and rus_Cyrl.txt)" in err

    (folder / "devtest" / "rus_Cyrl.parquet").write_bytes(b"PAR1")
    status, _, err = run("--flores", folder, "--pairs", "en-ru")
    assert "It holds Parquet files (rus_Cyrl.parquet…): export them to text" in err


def test_a_missing_or_empty_file_is_refused(run, tmp_path):
    reference = write_lines(tmp_path / "a.hy", SENTENCES["hy"])
    status, _, err = run("--source", tmp_path / "none.en", "--reference", reference, "--pair", "en-hy")
    assert status == 2 and "none.en: no such file" in err

    empty = write_lines(tmp_path / "empty.en", [])
    status, _, err = run("--source", empty, "--reference", write_lines(tmp_path / "e.hy", []), "--pair", "en-hy")
    assert status == 2 and "empty.en is empty" in err


def test_the_command_line_needs_one_complete_test_set(bench, capsys):
    for argv in ([], ["--source", "a.en"], ["--reference", "a.hy"], ["--flores", "f", "--source", "a"]):
        with pytest.raises(SystemExit) as exit:
            bench.main(argv)
        assert exit.value.code == 2
    assert "--source needs --reference FILE and --pair SRC-TGT" in capsys.readouterr().err


def test_with_json_on_stdout_the_table_goes_to_stderr(bench, settings, use_engines, tmp_path, capsys):
    settings.BABELPRESS_CONTENT_LANGUAGES = ["en", "fr", "hy"]
    echo_engine(use_engines, ["en-fr"])

    assert bench.main(["--flores", str(flores_folder(tmp_path / "f")), "--pairs", "en-fr", "--json", "-"]) == 0

    out, err = capsys.readouterr()
    assert [row["pair"] for row in json.loads(out)["rows"]] == ["en-fr"]
    assert "Translation quality" in err and "reference" in err


def test_the_route_names_the_model_and_says_when_its_licence_is_non_commercial(run, use_engines, tmp_path):
    use_engines({"local": (MultilingualEngine, {"pairs": ["fr-hy"]})})

    status, report, _ = run("--flores", flores_folder(tmp_path / "f"), "--pairs", "fr-hy")

    assert status == 0 and "direct (nllb-200-distilled-600M NON-COMMERCIAL)" in report
