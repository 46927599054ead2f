"""Quality checks on one translated segment: what a reviewer should look at before publishing.

``check_segment`` compares a rebuilt source segment with its rebuilt translation (plain text, or
the HTML of one body block) and returns Issues: errors (numbers, links, glossary terms or markup
lost, text left untranslated or in the wrong language) and warnings (quotations, odd length,
unexpected language). Pure Python: no database. The glossary check is glossary enforcement's
own (``glossary.check_terms``, which accepts a term's inflected forms and stems); this module
runs it with the others.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from babelpress import language_detection
from babelpress.translation.glossary import check_terms
from babelpress.translation.placeholders import TAG_LOOKALIKE
from babelpress.translation.qa_messages import render
# One definition of what a web or e-mail address is, for protecting them and for checking them.
from babelpress.translation.segmenter.protect import EMAIL, URL, trim_url

ERROR, WARNING = "error", "warning"

#: Languages the detector may answer besides the source and target: enough to notice a
#: translation into the wrong language, few enough to keep short texts from looking like Latin.
DETECTION_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "ru", "uk", "hy", "ar", "tr", "pl")


@dataclass
class Issue:
    """What a check found: a code and named parameters (stored as they are on the segment row),
    rendered in the viewer's language when shown (``qa_messages``)."""

    check: str
    level: str  # "error" | "warning"
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in the active language."""
        return render(self.code, self.params)

    def as_dict(self) -> dict:
        return {"check": self.check, "level": self.level, "code": self.code, "params": dict(self.params)}


def summarise(issues) -> tuple[int, int]:
    """(errors, warnings)."""
    levels = Counter(issue.level for issue in issues)
    return levels[ERROR], levels[WARNING]


# --- Reading a segment ----------------------------------------------------------------------------

_LOOKS_LIKE_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
# A number in thousands groups ("1 200", "1,200", "10.000.000") or a run of digits.
_NUMBER = re.compile(r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f\u2009,.'’]\d{3})+(?!\d)|\d+")


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self.quotations = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "cite") and value and not value.startswith("#"):
                self.links.append(value.strip())
        if tag in ("q", "blockquote"):
            self.quotations += 1
        if tag in ("br", "p", "li", "h2", "h3", "blockquote", "figcaption", "caption", "tr", "th", "td"):
            self.text.append(" ")

    def handle_data(self, data):
        self.text.append(data)


@dataclass
class _Read:
    text: str
    links: list[str]
    markup_quotations: int


def _read(value: str) -> _Read:
    if not _LOOKS_LIKE_HTML.search(value):
        return _Read(value, [], 0)
    reader = _Reader()
    reader.feed(value)
    reader.close()
    return _Read("".join(reader.text), reader.links, reader.quotations)


def _urls(text: str) -> list[str]:
    return [u for u in (trim_url(m.group(0)) for m in URL.finditer(text)) if u]


def _without_addresses(text: str) -> str:
    return EMAIL.sub(" ", URL.sub(" ", text))


def _number_tokens(text: str) -> list[tuple[str, str]]:
    out = []
    for m in _NUMBER.finditer(_without_addresses(text)):
        raw = m.group(0)
        # Digit by digit, so Arabic-Indic digits compare with 0-9 and "03" with "3".
        digits = "".join(str(unicodedata.digit(ch)) for ch in raw if ch.isdigit() and unicodedata.digit(ch, None) is not None)
        out.append((raw, digits.lstrip("0") or "0"))
    return out


# Quotation marks. ’ is left out: it is far more often an apostrophe (l’ONU, don’t).
_DOUBLE_MARKS = "«»“”„\"‟"
_SINGLE_GUILLEMETS = "‹›"


def _quotations(read: _Read) -> int:
    text = read.text
    double = sum(text.count(ch) for ch in _DOUBLE_MARKS)
    guillemets = sum(text.count(ch) for ch in _SINGLE_GUILLEMETS)
    # ‘x’ (English) and ‚x‘ (German) are one quotation each.
    single = max(text.count("‘"), text.count("‚"))
    return (double + 1) // 2 + (guillemets + 1) // 2 + single + read.markup_quotations


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def _only_names_or_numbers(text: str) -> bool:
    words = _words(text)
    # Proper names, acronyms and short labels are the same in every language.
    return len(words) <= 3 or all(w[0].isupper() for w in words)


# --- Language identification ----------------------------------------------------------------------

def detect_language(text: str, candidates) -> tuple[str, float]:
    """(language, probability) among ``candidates`` (codes py3langid does not know are ignored)."""
    known = frozenset(_primary(c) for c in candidates) & language_detection.known_languages()
    if len(known) < 2:
        return (next(iter(known)) if known else "und"), 1.0
    return language_detection.identifier_among(known).classify(text)


def _primary(code: str) -> str:
    return (code or "").replace("_", "-").split("-")[0].lower()


# --- The checks -----------------------------------------------------------------------------------


def check_segment(
    source: str,
    target: str,
    source_language: str,
    target_language: str,
    *,
    glossary_terms=(),
    markup_problems=(),
    length_ratio: tuple[float, float] = (0.4, 2.5),
    min_length_for_ratio: int = 20,
    min_length_for_language: int = 40,
    detection_languages=DETECTION_LANGUAGES,
) -> list[Issue]:
    """Issues of one translated segment. ``source`` and ``target`` are rebuilt texts (plain, or a
    body block's HTML); ``glossary_terms`` are (source form, ``glossary.TermForms`` or preferred target
    form) pairs; ``markup_problems``
    come from ``SegmentedArticle.problems``."""
    src, tgt = _read(source or ""), _read(target or "")
    issues: list[Issue] = [Issue("markup", ERROR, p.code, dict(p.params)) for p in markup_problems]
    if not src.text.strip():
        return issues
    if not tgt.text.strip():
        issues.append(Issue("empty", ERROR, "empty"))
        return issues
    issues += _check_leftovers(source or "", target or "")
    issues += _check_numbers(src.text, tgt.text)
    issues += _check_urls(src, tgt)
    issues += _check_glossary(src.text, tgt.text, glossary_terms, target_language)
    issues += _check_quotations(src, tgt)
    issues += _check_untranslated(src.text, tgt.text, source_language, target_language)
    issues += _check_language(tgt.text, source_language, target_language, min_length_for_language, detection_languages)
    issues += _check_length(src.text, tgt.text, length_ratio, min_length_for_ratio)
    return issues


def _check_numbers(source: str, target: str) -> list[Issue]:
    src_tokens, tgt_tokens = _number_tokens(source), _number_tokens(target)
    want, got = Counter(n for _, n in src_tokens), Counter(n for _, n in tgt_tokens)
    src_shown = {n: raw for raw, n in reversed(src_tokens)}
    tgt_shown = {n: raw for raw, n in reversed(tgt_tokens)}
    issues = []
    for number, count in (want - got).items():
        issues.append(Issue("numbers", ERROR, "numbers.missing", {"number": src_shown[number], "count": count}))
    # An extra number is usually a spelled-out one written in digits ("deux" → "2"): worth a look.
    for number in (got - want):
        issues.append(Issue("numbers", WARNING, "numbers.extra", {"number": tgt_shown[number]}))
    return issues


def _check_urls(src: _Read, tgt: _Read) -> list[Issue]:
    target_links = set(tgt.links) | set(_urls(tgt.text))
    target_blob = tgt.text + " " + " ".join(tgt.links)
    issues, seen = [], set()
    for url in [*src.links, *_urls(src.text), *EMAIL.findall(src.text)]:
        if url in seen:
            continue
        seen.add(url)
        if url not in target_links and url not in target_blob:
            code = "urls.email" if "@" in url and "://" not in url else "urls.link"
            issues.append(Issue("urls", ERROR, code, {"address": url}))
    return issues


def _check_glossary(source: str, target: str, terms, target_language: str) -> list[Issue]:
    issues = []
    for problem in check_terms(source, target, terms, target_language):
        term = problem.term
        params = {"source": problem.source, "target": term.preferred, "forms": list(term.accepted[1:]), "stem": term.stem}
        if problem.kind == "unlisted":  # most likely a correct inflection nobody listed: worth a look
            issues.append(Issue("glossary", WARNING, "glossary.unlisted", {**params, "found": problem.found}))
        elif problem.kind == "mangled":
            issues.append(Issue("glossary", ERROR, "glossary.mangled", {**params, "found": problem.found}))
        else:
            issues.append(Issue("glossary", ERROR, "glossary.missing", params))
    return issues


def _check_quotations(src: _Read, tgt: _Read) -> list[Issue]:
    want, got = _quotations(src), _quotations(tgt)
    if want == got:
        return []
    return [Issue("quotations", WARNING, "quotations", {"count": want, "got": got})]


def _check_untranslated(source: str, target: str, source_language: str, target_language: str) -> list[Issue]:
    if _primary(source_language) == _primary(target_language):
        return []
    if " ".join(source.split()) != " ".join(target.split()) or _only_names_or_numbers(source):
        return []
    return [Issue("untranslated", ERROR, "untranslated")]


def _check_language(target: str, source_language: str, target_language: str, min_length: int, candidates) -> list[Issue]:
    text = " ".join(_without_addresses(target).split())
    if len(text) < min_length:
        return []
    source_code, target_code = _primary(source_language), _primary(target_language)
    if target_code not in language_detection.known_languages():
        return []  # py3langid cannot recognise the target: no opinion
    detected, _probability = detect_language(text, {source_code, target_code, *candidates})
    if detected == target_code or detected == "und":
        return []
    if detected == source_code:
        return [Issue("language", ERROR, "language.source", {"language": source_code})]
    return [Issue("language", WARNING, "language.other", {"detected": detected, "expected": target_code})]


def _check_length(source: str, target: str, bounds: tuple[float, float], min_length: int) -> list[Issue]:
    src, tgt = " ".join(source.split()), " ".join(target.split())
    if len(src) < min_length:
        return []
    ratio = len(tgt) / len(src)
    low, high = bounds
    if ratio < low:
        return [Issue("length", WARNING, "length.short", {"percent": round(ratio * 100)})]
    if ratio > high:
        return [Issue("length", WARNING, "length.long", {"times": round(ratio, 1)})]
    return []


def _check_leftovers(source: str, target: str) -> list[Issue]:
    """Text that looks like one of our placeholder tags ("<x1/>", "&lt;g2&gt;" written out) where the
    source has none: an engine's leftover, which readers must never see."""
    if TAG_LOOKALIKE.search(html.unescape(target)) and not TAG_LOOKALIKE.search(html.unescape(source)):
        return [Issue("leftover", ERROR, "leftover")]
    return []
