"""Parallel test sets for bench/translation_quality.py: two aligned files, or a FLORES-style folder.

FLORES-200 (facebookresearch/flores, flores200_dataset/) names its files DIR/devtest/eng_Latn.devtest;
the FLORES+ release archives (openlanguagedata/flores, floresp-v2.0-rc.3/) DIR/devtest/devtest.eng_Latn;
some exports DIR/devtest/eng_Latn.txt. All three are read, from DIR or from the one unpacked folder
DIR holds. Language codes are Babelpress's ISO 639-1 codes, mapped to FLORES codes by
babelpress.translation.language_tokens. Every refusal is a BadInput whose message says what to fix.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

# FLORES+ renamed a few FLORES-200 files (its CHANGELOG, 2.0-rc.1/rc.2): try both names.
FLORES_PLUS_NAMES = {"zho_Hans": "cmn_Hans", "est_Latn": "ekk_Latn", "tgl_Latn": "fil_Latn"}


class BadInput(Exception):
    """The test set or the options cannot be used; the message says how to fix them."""


@dataclass
class ParallelSet:
    source_language: str
    target_language: str
    sources: list[str]
    references: list[str]
    origin: str  # where it was read from, for the report

    @property
    def pair(self) -> str:
        return f"{self.source_language}-{self.target_language}"


def read_lines(path: Path) -> list[str]:
    """One sentence per line (UTF-8, \\n or \\r\\n); a final newline does not make an empty sentence."""
    if not path.is_file():
        raise BadInput(f"{path}: no such file. Give a UTF-8 text file with one sentence per line.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start}): convert it, "
                       f"e.g. iconv -f LATIN1 -t UTF-8.") from None
    # Not str.splitlines(): it also splits on U+2028, form feeds and other separators inside a sentence.
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def language_code(code: str) -> str:
    """A language code as Babelpress and the engines write it ("hy", "fr"), or BadInput."""
    from babel import Locale, UnknownLocaleError

    from babelpress.translation.language_tokens import flores_code

    code = code.strip()
    if flores_code(code) is not None:
        return code
    try:
        canonical = Locale.parse(code.replace("-", "_")).language
    except (UnknownLocaleError, ValueError):
        canonical = None
    if canonical is None:
        raise BadInput(f"Unknown language code {code!r}: use ISO 639-1 codes as in BABELPRESS_CONTENT_LANGUAGES "
                       "(en, fr, hy, ru, ar…).")
    if canonical != code.lower():  # "arm", "eng": CLDR knows them as aliases, engines do not
        raise BadInput(f"{code!r}: write {canonical!r}, the ISO 639-1 code Babelpress and the engines use.")
    return code


def parse_pair(text: str) -> tuple[str, str]:
    parts = text.strip().split("-", 1) if text.count("-") == 1 else []
    if len(parts) != 2 or not all(parts):
        raise BadInput(f"{text!r} is not a language pair: write SOURCE-TARGET, e.g. en-hy.")
    source, target = language_code(parts[0]), language_code(parts[1])
    if source == target:
        raise BadInput(f"{text!r}: source and target are the same language.")
    return source, target


def aligned(sources: list[str], references: list[str], source_name, reference_name, limit: int | None):
    if len(sources) != len(references):
        raise BadInput(f"{source_name} has {len(sources)} lines but {reference_name} has {len(references)}: "
                       "the files must be aligned, line N of one translating line N of the other.")
    if not sources:
        raise BadInput(f"{source_name} is empty: give at least one sentence.")
    blank = [n for n, (s, r) in enumerate(zip(sources, references), 1) if not s.strip() or not r.strip()]
    if blank:
        raise BadInput(f"{source_name} / {reference_name}: line {blank[0]} is empty on one side "
                       f"({len(blank)} such lines): remove them from both files.")
    return sources[:limit], references[:limit]


def file_set(source: Path, reference: Path, pair: str, limit: int | None) -> ParallelSet:
    source_language, target_language = parse_pair(pair)
    sources, references = aligned(read_lines(source), read_lines(reference), source, reference, limit)
    return ParallelSet(source_language, target_language, sources, references, f"{source} → {reference}")


def flores_split_dir(folder: Path, split: str) -> Path:
    """DIR/<split>, or <split> inside the one unpacked folder DIR holds (flores200_dataset/, floresp-…/)."""
    if not folder.is_dir():
        raise BadInput(f"{folder}: no such folder. Unpack FLORES-200 or FLORES+ and give the folder holding "
                       f"'{split}/' (see docs/translation.md, \"Measuring quality\").")
    if (folder / split).is_dir():
        return folder / split
    inner = [child / split for child in sorted(folder.iterdir()) if (child / split).is_dir()]
    if len(inner) == 1:
        return inner[0]
    raise BadInput(f"{folder} has no '{split}/' folder (nor one in a single subfolder): give the unpacked "
                   f"FLORES folder, e.g. flores200_dataset/ or floresp-v2.0-rc.3/.")


def flores_file(split_dir: Path, split: str, language: str) -> Path | None:
    from babelpress.translation.language_tokens import flores_code

    code = flores_code(language)
    if code is None:
        raise BadInput(f"No FLORES-200 code is known for {language!r} "
                       "(babelpress/translation/language_tokens.py): score it with --source/--reference.")
    for name in dict.fromkeys([code, FLORES_PLUS_NAMES.get(code, code)]):
        for candidate in (f"{name}.{split}", f"{split}.{name}", f"{name}.txt"):
            if (split_dir / candidate).is_file():
                return split_dir / candidate
    return None


def flores_sets(folder: Path, split: str, pairs: list[tuple[str, str]], explicit: bool,
                limit: int | None) -> tuple[list[ParallelSet], list[str]]:
    """One ParallelSet per pair whose two files exist, and notes about the languages missing."""
    from babelpress.translation.language_tokens import flores_code

    split_dir = flores_split_dir(folder, split)
    files = {lang: flores_file(split_dir, split, lang) for lang in dict.fromkeys(itertools.chain(*pairs))}
    missing = sorted(lang for lang, path in files.items() if path is None)
    if missing and (explicit or len(missing) == len(files)):
        parquet = sorted(p.name for p in split_dir.glob("*.parquet"))[:1]
        hint = (f" It holds Parquet files ({parquet[0]}…): export them to text, one sentence per line."
                if parquet else "")
        code = flores_code(missing[0])
        raise BadInput(f"{split_dir} has no file for {', '.join(missing)} (looked for {code}.{split}, "
                       f"{split}.{code} and {code}.txt).{hint}")
    lines = {lang: read_lines(path) for lang, path in files.items() if path is not None}
    sets = []
    for source, target in pairs:
        if source in lines and target in lines:
            sources, references = aligned(lines[source], lines[target], files[source], files[target], limit)
            sets.append(ParallelSet(source, target, sources, references, f"{split_dir} ({split})"))
    notes = [f"no FLORES file for {lang} in {split_dir}: its pairs are left out" for lang in missing]
    return sets, notes
