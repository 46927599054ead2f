"""Turn an article page into the pieces of an attributed draft.

trafilatura finds the main text (and metadata); we map its XML body into our article body format
(``newsroom.sanitize.clean_body``), make links absolute, and add what a newsroom needs on top:
a cleaned byline, an aware publication datetime, the page's declared language (detected when it
declares none) and warnings an editor should see before publishing.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from babelpress import language_detection
from babelpress.absolute_urls import resolve
from babelpress.binary import looks_binary
from babelpress.html_text import html_to_text
from babelpress.newsroom.sanitize import clean_body, clean_text

from .fetch import decode_bytes

SHORT_BODY_CHARS = 400
#: Below this, detecting a language from the text is guesswork.
MIN_DETECT_CHARS = 40
MIN_DETECT_CONFIDENCE = 0.6


class ExtractionError(ValueError):
    """No article could be found in the document; the message says why and what to try."""


@dataclass
class Extracted:
    headline: str  # "" when none was found (see warnings)
    author: str | None  # cleaned byline: "Jane Doe, John Roe"
    published_at: datetime | None  # aware; a date without a time is 12:00 UTC (with a warning)
    body_html: str  # our article body format (clean_body), links and images absolute
    text: str  # plain text of the body's prose: paragraphs split by a blank line, captions left out
    lead_image_url: str | None
    lead_image_alt: str | None
    canonical_url: str | None
    language: str | None  # two-letter code where one exists: declared, else detected
    sitename: str | None
    description: str | None
    warnings: list[str] = field(default_factory=list)  # for the editor, in plain words


# --- Bylines -------------------------------------------------------------------------------------

_BYLINE_PREFIX = re.compile(
    r"^(?:"
    r"(?:written|posted|story|words|reported|text|photos?(?: and text)?|compiled|edited)\s+by|by"
    r"|author(?:s|\(s\))?|byline|"
    r"écrit\s+par|ecrit\s+par|publié\s+par|propos\s+recueillis\s+par|rédigé\s+par|par|auteur(?:e|s)?|texte|"
    r"geschrieben\s+von|text\s+von|ein\s+(?:beitrag|artikel)\s+von|von|autor(?:in|en)?|"
    r"автор(?:ы|\s+текста)?|текст|материал\s+подготовил[аи]?|подготовил[аи]?|"
    r"հեղինակ(?:ը|ներ)?|տեքստ(?:ը)?|"
    r"escrito\s+por|por|door"
    r")(?:\s*[:：՝\-–—]\s*|\s+)",
    re.IGNORECASE,
)
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_EMAIL_THEN_NAME = re.compile(rf"^\s*(?:mailto:)?{_EMAIL}\s*\(([^)]+)\)\s*$")  # RSS: jane@x.org (Jane)
_EMAIL_RE = re.compile(rf"[<(\[]?\s*(?:mailto:)?{_EMAIL}\s*[>)\]]?")
_HANDLE_RE = re.compile(r"(?<!\w)@\w+")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "januar|jänner|februar|märz|juni|juli|oktober|dezember|"
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    "январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь|"
    "հունվարի|փետրվարի|մարտի|ապրիլի|մայիսի|հունիսի|հուլիսի|օգոստոսի|սեպտեմբերի|հոկտեմբերի|նոյեմբերի|դեկտեմբերի"
)
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
)
# Where the byline stops and the dateline starts: stamps, dates, times, "3 hours ago".
_BYLINE_CUT = re.compile(
    r"(?:\b(?:last\s+)?(?:updated|published|posted|modified|on)\b\s*(?:on|at|:)?\s*(?=\d|(?:" + _MONTHS + r"|" + _WEEKDAYS
    + r")\b)"
    r"|\b(?:last\s+updated|updated|published|mis\s+à\s+jour|publié\s+le|publié|modifié\s+le|modifié|aktualisiert|"
    r"veröffentlicht|zuletzt\s+aktualisiert|обновлено|опубликовано|обновлен[оа]?|թարմացվել|հրապարակվել)\b"
    r"|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b"
    r"|\b\d{1,2}\.?\s+(?:" + _MONTHS + r")\b"
    r"|\b(?:" + _MONTHS + r")\.?\s+\d{1,2}\b"
    r"|\b(?:" + _WEEKDAYS + r")\b,?\s+(?=\d|(?:" + _MONTHS + r")\b)"
    r"|\b\d{1,2}[:h]\d{2}\b"
    r"|\b\d+\s+(?:minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\b"
    r"|\bil\s+y\s+a\s+\d+"
    r"|\b(?:stand|as\s+of|date|dated|datum|от|le|am)\s*:"
    r"|\bvor\s+\d+\s+(?:minuten|stunden|tagen)\b"
    r"|\b\d+\s+(?:минут|час|дн)\w*\s+назад\b"
    r").*$",
    re.IGNORECASE,
)
_TRAILING_MONTH = re.compile(r"(?<=\S)\s+(?:" + _MONTHS + r")\.?\s*$", re.IGNORECASE)
_ROLE = re.compile(
    r"\b(?:(?:senior|chief|staff|contributing|special|political|foreign|national|auto|business|sports?|"
    r"science|tech(?:nology)?|security|investigative|local|news|managing|deputy|associate)\s+)*"
    r"(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|photographer|journaliste|"
    r"rédact(?:eur|rice)|envoyée?\s+spécial(?:e)?|korrespondent(?:in)?|redakteur(?:in)?|"
    r"корреспондент|обозреватель|редактор|журналист(?:ка)?|լրագրող|թղթակից)\b",
    re.IGNORECASE,
)
_AGENCIES = (
    "associated press|the associated press|ap|reuters|thomson reuters|afp|agence france-presse|bloomberg|"
    "bloomberg news|dpa|epd|kna|apa|sda|ansa|efe|pti|ani|ians|xinhua|kyodo|yonhap|upi|tass|ria novosti|"
    "sputnik|sputnik international|interfax|armenpress|arka|news\\.am|cnn|cnn business|bbc|bbc news|"
    "business insider|nj advance media|тасс|риа новости|интерфакс|спутник|арменпресс|արմենպրես|"
    "staff and agencies|wire services|agencies|agences|agenturen|агентства"
)
_AGENCY_ONLY = re.compile(rf"^(?:{_AGENCIES})$", re.IGNORECASE)
_AGENCY_SUFFIX = re.compile(
    rf"(?:\s*[,/]\s*|\s+(?:for|with|via|pour|avec|für|für\s+die|mit|для|с)\s+|\s+)(?:{_AGENCIES})\s*$", re.IGNORECASE
)
# Conjunctions in lower case (or all capitals) only: "Sarah E Needleman" has an initial, not "e".
_NAME_SPLIT = re.compile(
    r"\s*(?:;|,|&|\b(?:and|AND|et|ET|und|UND|y|e|и|И|եւ|և|ԵՎ)\b)\s*"
)
_SEGMENT_SPLIT = re.compile(r"\s*(?:\||•|·|/|\n|\s[–—-]\s)\s*")
_CREDENTIALS = re.compile(r"^(?:[A-Z]{2,4}|Ph\.?D\.?|M\.?D\.?|MBA|MPH|MSc|BSc|Jr\.?|Sr\.?)$")
_GENERIC = re.compile(
    r"admin|administrat|webmaster|^root$|^user\d*$|^guest$|^anonymous$|^unknown$|^n/?a$|"
    r"\.(?:com|org|net)\b|\s(?:com|org|net)$|^(?:by|par|von|автор|հեղինակ)$",
    re.IGNORECASE,
)


def _segment_names(segment: str) -> tuple[list[str], list[str]]:
    """(names, agencies) found in one byline segment."""
    names: list[str] = []
    agencies: list[str] = []
    previous = None
    while previous != segment:  # "By: Author: Jane" and the like
        previous = segment
        segment = _BYLINE_PREFIX.sub("", segment).strip(" ,:;–—-")
    segment = _BYLINE_CUT.sub("", segment).strip(" ,:;–—-")
    role = _ROLE.search(segment)
    if role and role.start() > 0 and segment[: role.start()].rstrip().endswith(","):
        segment = segment[: role.start()]  # "Jane Doe, Staff Writer"
    for part in _NAME_SPLIT.split(segment):
        part = _BYLINE_PREFIX.sub("", part.strip(" .,:;–—-\"'«»“”")).strip(" .,:;–—-\"'«»“”")
        if not part:
            continue
        if _AGENCY_ONLY.match(part):
            agencies.append(part)
            continue
        suffix = _AGENCY_SUFFIX.search(part)
        if suffix and len(part[: suffix.start()].split()) >= 2:
            agencies.append(part[suffix.start():].strip(" ,/"))
            part = part[: suffix.start()].strip()
        part = _TRAILING_MONTH.sub("", part) if len(part.split()) > 2 else part
        if _ROLE.search(part) or _CREDENTIALS.match(part) or _GENERIC.search(part):
            continue
        if any(ch.isdigit() for ch in part) or not any(ch.isalpha() for ch in part):
            continue
        names.append(part)
    return names, agencies


def _nice_case(name: str) -> str:
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) > 3 and all(ch.isupper() for ch in letters):
        # "STEVE PEOPLES" -> "Steve Peoples", "DANIEL MCDONALD" -> "Daniel McDonald"
        return re.sub(r"\bMc([a-z])", lambda m: "Mc" + m.group(1).upper(), name.title())
    return name


def clean_byline(value: str | None) -> str | None:
    """A byline reduced to the people's names, e.g. "By Jane Doe and John Roe | Reuters" ->
    "Jane Doe, John Roe". Prefixes (By, Par, Von, Автор:, Հեղինակ՝ ...), datelines, "Updated ...",
    e-mail addresses, handles and job titles go; a wire agency is kept only when it is the sole
    author. None when nothing name-like remains."""
    if not value:
        return None
    text = unicodedata.normalize("NFC", html_to_text(str(value), paragraphs=True)).replace("\u00a0", " ")
    text = "\n".join(clean_text(line) for line in text.splitlines())
    email_name = _EMAIL_THEN_NAME.match(text)
    if email_name:
        text = email_name.group(1)
    text = _EMAIL_RE.sub(" ", text)
    text = _HANDLE_RE.sub(" ", text)
    text = re.sub(r"\(\s*\)|\[\s*\]|<\s*>", " ", text)
    names: list[str] = []
    agencies: list[str] = []
    for segment in _SEGMENT_SPLIT.split(text):
        segment = segment.strip()
        if not segment:
            continue
        found, wires = _segment_names(segment)
        names += found
        agencies += wires
    if not names:
        names = agencies[:1]
    unique: list[str] = []
    for name in names:
        name = " ".join(_nice_case(name).split())
        if len(name) > 80:  # a sentence, not a name
            continue
        if name.casefold() not in {n.casefold() for n in unique}:
            unique.append(name)
    return ", ".join(unique[:8]) or None


# --- Languages -----------------------------------------------------------------------------------

_ISO639_2 = {
    "eng": "en", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "rus": "ru", "hye": "hy", "arm": "hy",
    "spa": "es", "ita": "it", "por": "pt", "ara": "ar", "zho": "zh", "chi": "zh", "jpn": "ja", "ukr": "uk",
    "tur": "tr", "nld": "nl", "dut": "nl", "pol": "pl", "fas": "fa", "per": "fa", "kor": "ko", "heb": "he",
    "kat": "ka", "geo": "ka", "ell": "el", "gre": "el", "ary": "ar", "arz": "ar", "azj": "az",
}
_LEGACY = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv"}


def normalize_language(value: str | None) -> str | None:
    """'en-US' -> 'en', 'hy_AM' -> 'hy', 'fra' -> 'fr'; None for unusable values ('und', 'x-default')."""
    if not value:
        return None
    primary = re.split(r"[-_\s,;]", str(value).strip().lower(), maxsplit=1)[0]
    if len(primary) == 2 and primary.isascii() and primary.isalpha():
        return _LEGACY.get(primary, primary)
    return _ISO639_2.get(primary)


def detect_language(text: str) -> tuple[str | None, float]:
    """(code, confidence) from py3langid; (None, 0) for text too short to tell."""
    sample = " ".join((text or "").split())[:3000]
    if len(sample) < MIN_DETECT_CHARS:
        return None, 0.0
    code, confidence = language_detection.identifier().classify(sample)
    return normalize_language(code) or code, float(confidence)


# --- Dates ---------------------------------------------------------------------------------------

_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date.issued",
    "dcterms.issued", "dcterms.created", "dc.date", "sailthru.date", "parsely-pub-date",
    "originalpublicationdate", "date",
)


def parse_datetime(value: str | None) -> tuple[datetime | None, str | None]:
    """(aware datetime, note) from ISO 8601 or RFC 2822 text; the note says what was assumed."""
    if not value:
        return None, None
    value = value.strip()
    parsed = None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None, None
    if parsed is None:
        return None, None
    note = None
    if len(value) <= 10 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        # A date without a time: noon UTC is the same calendar day in every time zone.
        parsed = parsed.replace(hour=12, tzinfo=timezone.utc)
        note = "the publication date has no time; 12:00 UTC assumed"
    elif parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
        note = "the publication time has no time zone; UTC assumed"
    return parsed, note


def _json_ld_objects(tree: HtmlElement):
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _page_metadata(tree: HtmlElement) -> dict:
    """The few metadata trafilatura does not hand back: full publication timestamp, declared
    language, canonical link, image alt text."""
    meta: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop")
               or element.get("http-equiv") or "").strip().lower()
        content = element.get("content")
        if key and content and key not in meta:
            meta[key] = content.strip()
    found = {"meta": meta, "published": None, "ld_language": None}
    for item in _json_ld_objects(tree):
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and (k.endswith(("Article", "Posting")) or k in ("Report", "WebPage")) for k in kinds):
            if not found["published"] and isinstance(item.get("datePublished"), str):
                found["published"] = item["datePublished"]
            if not found["ld_language"] and isinstance(item.get("inLanguage"), str):
                found["ld_language"] = item["inLanguage"]
    if not found["published"]:
        for key in _DATE_META:
            if meta.get(key):
                found["published"] = meta[key]
                break
    if not found["published"]:
        times = tree.xpath('//time[@itemprop="datePublished" or @pubdate][@datetime]/@datetime')
        if times:
            found["published"] = str(times[0])
    canonical = tree.xpath('//link[@rel="canonical"][@href]/@href') or ([meta["og:url"]] if meta.get("og:url") else [])
    found["canonical"] = str(canonical[0]).strip() if canonical else None
    found["html_lang"] = (tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or "").strip()
    return found


# --- Body ----------------------------------------------------------------------------------------

_HI_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup"}
_BLOCK_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "blockquote", "figure", "figcaption", "pre"}


class _BodyWriter:
    """Writes trafilatura's XML body (head, p, list/item, quote, hi, ref, graphic, lb, code) as an
    lxml tree of our body format. Block-level containers get blocks; stray inline content at block
    level is gathered into a paragraph, so structure survives without invalid nesting."""

    def __init__(self, base_url: str | None):
        self.base = base_url
        self.root = etree.Element("div")
        self.images: list[tuple[str, str]] = []

    # content of a block-level container: blocks, with stray inline content wrapped in <p>
    def blocks(self, src, dst) -> None:
        self._text_into_block(dst, src.text)
        for child in src:
            self.block(child, dst)
            self._text_into_block(dst, child.tail)

    def _paragraph(self, dst):
        last = dst[-1] if len(dst) else None
        if last is not None and last.get("data-implicit") is not None:
            return last
        return etree.SubElement(dst, "p", {"data-implicit": ""})

    def _text_into_block(self, dst, text) -> None:
        if text and text.strip():
            _append_text(self._paragraph(dst), text)

    def block(self, el, dst) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == "p":
            self.inlines(el, etree.SubElement(dst, "p"))
        elif tag == "head":
            level = (el.get("rend") or "h3").lower()
            self.inlines(el, etree.SubElement(dst, "h2" if level in ("h1", "h2") else "h3"))
        elif tag == "list":
            out = etree.SubElement(dst, "ol" if el.get("rend") == "ol" else "ul")
            for item in el:
                if isinstance(item.tag, str):
                    self.flow(item, etree.SubElement(out, "li"))
                    # tails between items are whitespace in practice
        elif tag == "item":
            self.flow(el, etree.SubElement(dst, "p"))
        elif tag == "quote":
            self.flow(el, etree.SubElement(dst, "blockquote"))
        elif tag == "graphic":
            img = self.image(el)
            if img is not None:
                etree.SubElement(dst, "figure").append(img)
        elif tag == "figure":
            figure = etree.SubElement(dst, "figure")
            self.figure(el, figure)
        elif tag == "code":
            code = etree.SubElement(etree.SubElement(dst, "pre"), "code")
            code.text = "".join(el.itertext())
        elif tag in ("table", "row", "cell", "lb", "note", "fw"):
            return  # tables are left out by design; a bare line break between blocks means nothing
        elif tag in ("hi", "ref", "del", "span", "a", "b", "i", "em", "strong"):
            self.inline(el, self._paragraph(dst))
        else:  # div, section, body and the like: their content, in place
            self.blocks(el, dst)

    # content of li/blockquote: inline content and blocks may both appear
    def flow(self, src, dst) -> None:
        _append_text(dst, src.text)
        for child in src:
            if isinstance(child.tag, str) and child.tag in ("p", "list", "quote", "figure", "code", "head"):
                if child.tag == "head":
                    self.inlines(child, etree.SubElement(dst, "strong"))
                else:
                    self.block(child, dst)
            else:
                self.inline(child, dst)
            _append_text(dst, child.tail)

    def figure(self, src, figure) -> None:
        for child in src.iter("graphic"):
            img = self.image(child)
            if img is not None:
                figure.append(img)
        captions = [c for c in src.iter("figcaption", "p") if "".join(c.itertext()).strip()]
        if captions:
            self.inlines(captions[0], etree.SubElement(figure, "figcaption"))
        if not len(figure):
            figure.getparent().remove(figure)

    # inline content
    def inlines(self, src, dst) -> None:
        _append_text(dst, src.text)
        for child in src:
            self.inline(child, dst)
            _append_text(dst, child.tail)

    def inline(self, el, dst) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == "hi":
            name = _HI_TAGS.get(el.get("rend") or "")
            self.inlines(el, etree.SubElement(dst, name) if name else dst)
        elif tag == "ref":
            href = resolve(el.get("target"), self.base, ("http", "https", "mailto"))
            self.inlines(el, etree.SubElement(dst, "a", {"href": href}) if href else dst)
        elif tag == "lb":
            etree.SubElement(dst, "br")
        elif tag == "graphic":
            img = self.image(el)
            if img is not None:
                dst.append(img)
        elif tag == "code":
            self.inlines(el, etree.SubElement(dst, "code"))
        elif tag == "head":
            self.inlines(el, etree.SubElement(dst, "strong"))
        elif tag in ("p", "item", "list", "quote", "figure", "div"):
            # a block inside inline content: keep its words apart from the neighbours
            if len(dst) or (dst.text and dst.text.strip()):
                etree.SubElement(dst, "br")
            self.inlines(el, dst)
        elif tag in ("table", "row", "cell"):
            return
        else:
            self.inlines(el, dst)

    def image(self, el):
        src = resolve(el.get("src") or el.get("data-src"), self.base)
        if not src:
            return None
        alt = clean_text(el.get("alt") or "")
        img = etree.Element("img", {"src": src, "alt": alt})
        title = clean_text(el.get("title") or "")
        if title and title != alt:
            img.set("title", title)
        self.images.append((src, alt))
        return img


def _append_text(dst, text) -> None:
    if not text:
        return
    if len(dst):
        dst[-1].tail = (dst[-1].tail or "") + text
    else:
        dst.text = (dst.text or "") + text


def _prune(root) -> None:
    """Drop the implicit-paragraph markers and blocks left without words or images."""
    for element in list(root.iter()):
        if element.get("data-implicit") is not None:
            del element.attrib["data-implicit"]
    for element in reversed(list(root.iter(*_BLOCK_TAGS))):
        if not "".join(element.itertext()).strip() and not any(True for _ in element.iter("img")):
            parent = element.getparent()
            if parent is not None:
                _drop_keep_tail(element)


def _drop_keep_tail(element) -> None:
    parent = element.getparent()
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


_UI_CRUFT = {
    "less", "more", "more less", "read more", "show more", "show less", "see more", "expand", "collapse",
    "continue reading", "story continues below", "advertisement", "ad", "sponsored", "lire la suite",
    "voir plus", "publicité", "weiterlesen", "mehr", "mehr lesen", "anzeige", "werbung", "подробнее",
    "читать далее", "реклама", "ավելին", "կարդալ ավելին", "գովազդ",
}
_URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", (text or "").casefold())


def _is_cruft(text: str) -> bool:
    """Widget leftovers trafilatura keeps around images and teasers: "less", "... more", a bare URL."""
    words = " ".join(_tokens(text))
    return words in _UI_CRUFT or bool(_URL_ONLY.match(text))


def _caption_like(text: str, caption_words: set[str]) -> bool:
    words = _tokens(text)
    if not words or not caption_words:
        return False
    inside = sum(1 for w in words if w in caption_words or w in ("less", "more", "photo", "credit"))
    return inside >= 0.8 * len(words)


def _tidy(root) -> None:
    """Fold image captions into their figure, drop widget cruft.

    With images on, trafilatura keeps the text around them: captions repeated from the alt text,
    "less/... more" toggles, print-edition URLs. A block whose words are (nearly) all in the
    preceding image's alt/title is that image's caption: it becomes the figure's <figcaption>
    (once) instead of a paragraph of the article.
    """
    blocks = [el for el in root if isinstance(el.tag, str)]
    caption_words: set[str] = set()
    figure = None
    since_image = 99
    for block in blocks:
        text = "".join(block.itertext())
        images = list(block.iter("img"))
        if images:
            img = images[-1]
            caption_words = set(_tokens(f"{img.get('alt', '')} {img.get('title', '')}"))
            figure = block if block.tag == "figure" else None
            since_image = 0
            if block.tag in ("p", "ul", "ol") and _caption_like(text, caption_words):
                # an image with its caption repeated around it: just the image
                replacement = etree.Element("figure")
                replacement.append(etree.Element("img", dict(img.attrib)))
                replacement.tail = block.tail
                block.getparent().replace(block, replacement)
                figure = replacement
            continue
        since_image += 1
        if _is_cruft(text):
            _drop_keep_tail(block)
            continue
        if since_image <= 3 and block.tag in ("p", "ul", "ol") and _caption_like(text, caption_words):
            if figure is not None and figure.find("figcaption") is None:
                caption = etree.SubElement(figure, "figcaption")
                img = figure.find("img")
                title = clean_text(re.sub(r"<[^>]*>", "", html_lib.unescape(img.get("title", "")))) if img is not None else ""
                if title and len(_tokens(title)) >= len(_tokens(text)):
                    caption.text = title  # the full caption, not the fragment trafilatura kept
                    del img.attrib["title"]
                else:
                    caption.text = " ".join(text.split())
            _drop_keep_tail(block)


def _text_of(root) -> str:
    """Plain text of the article's prose: blocks separated by a blank line, list items and <br>
    by a line break. Figure captions are left out: they describe images, and keeping them out
    keeps language detection and duplicate detection on the story itself."""
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag
        if tag == "figcaption":
            return
        if tag == "br":
            out.append("\n")
        elif tag in _BLOCK_TAGS and tag not in ("ul", "ol", "blockquote", "figure"):
            out.append("\n\n" if tag != "li" else "\n")
        if el.text:
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if tag in _BLOCK_TAGS:
            out.append("\n\n" if tag != "li" else "\n")

    walk(root)
    text = "".join(out)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


def _shorten(text: str, limit: int) -> str:
    # Some sites put the whole article in their meta description.
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _same_text(a: str, b: str) -> bool:
    def norm(s):
        return re.sub(r"\W+", " ", s or "").strip().casefold()

    return bool(norm(a)) and norm(a) == norm(b)


# --- The whole page ------------------------------------------------------------------------------


def _load(html: str | bytes) -> HtmlElement:
    if html is None or (isinstance(html, (bytes, str)) and not html.strip()):
        raise ExtractionError("The page is empty: there is no text to import.")
    if isinstance(html, bytes):
        head = html[:1024]
        if head.startswith(b"%PDF"):
            raise ExtractionError("This is a PDF document, not a web page; import the article's web page.")
        if looks_binary(head):
            raise ExtractionError("This is a binary file (an image, archive or the like), not a web page.")
        html, _encoding = decode_bytes(html)
    elif looks_binary(html[:1024].encode("utf-8", "surrogatepass")):
        raise ExtractionError("This is binary data, not a web page.")
    if "<" not in html[:65536]:
        raise ExtractionError("This is plain text, not an HTML page: there is no markup to find an article in.")
    tree = load_html(html)
    if tree is None or len(tree) == 0:
        raise ExtractionError("This document could not be read as an HTML page.")
    return tree


def extract_article(html: str | bytes, url: str | None = None, *, declared_language: str | None = None) -> Extracted:
    """Extract the article of one page. ``url`` is where it came from (for absolute links);
    ``declared_language`` overrides what the page declares (e.g. the partner's configured language).

    Pass ``FetchResult.text`` when you have it (decoded with the HTTP charset); bytes are decoded
    here from BOM, <meta charset> or sniffing.
    """
    tree = _load(html)
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=False,
        # Only dates the page states (meta, <time>, URL): the extensive search also reads free
        # text and takes "© 2024" for a publication date. No date beats a wrong one on a draft.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or document.body is None or not "".join(document.body.itertext()).strip():
        raise ExtractionError(
            "No article text was found on this page: it may be a home page, a list of links, a "
            "login or consent wall, or built by JavaScript. Import the address of the article itself, "
            "or paste its text."
        )
    page = _page_metadata(tree)
    meta = page["meta"]
    warnings: list[str] = []

    base = url or document.url or None
    canonical = resolve(page["canonical"], base) or resolve(document.url, None) or resolve(url, None)
    headline = clean_text(document.title or "") or clean_text(meta.get("og:title", ""))
    if not headline:
        warnings.append("no headline found")

    writer = _BodyWriter(base)
    writer.blocks(document.body, writer.root)
    _prune(writer.root)
    _tidy(writer.root)
    for block in list(writer.root)[:3]:
        if block.tag in ("h2", "h3", "p") and _same_text("".join(block.itertext()), headline):
            _drop_keep_tail(block)  # the headline has its own field
            break
    text = _text_of(writer.root)
    if not text:
        raise ExtractionError("The page has an article structure but no text in it (images or video only?).")
    link_chars = sum(len("".join(a.itertext())) for a in writer.root.iter("a"))
    if len(_tokens(text)) < 3 or (len(text) < 1000 and link_chars >= 0.8 * len(text.replace("\n", ""))):
        raise ExtractionError(
            "No article text was found on this page, only links (a menu, a list of headlines). "
            "Import the address of the article itself, or paste its text."
        )
    body_html = clean_body("".join(etree.tostring(child, encoding="unicode", method="html") for child in writer.root))
    if len(text) < SHORT_BODY_CHARS:
        warnings.append(f"body very short ({len(text)} characters): check that the whole article was found")

    author = clean_byline(document.author) or clean_byline(meta.get("author")) or clean_byline(meta.get("article:author"))
    if not author:
        warnings.append("no author found")

    published_at, note = parse_datetime(page["published"])
    if published_at is None and document.date:
        published_at, note = parse_datetime(document.date)
    if published_at is not None and published_at > datetime.now(timezone.utc) + timedelta(days=2):
        warnings.append(f"publication date {published_at.isoformat()} is in the future; ignored")
        published_at, note = None, None
    if published_at is None:
        warnings.append("no publication date found")
    elif note:
        warnings.append(note)

    language = normalize_language(declared_language)
    if language is None:
        for candidate in (page["html_lang"], meta.get("content-language"), page["ld_language"],
                          meta.get("og:locale"), meta.get("language"), meta.get("dc.language")):
            language = normalize_language(candidate)
            if language:
                break
    detected, confidence = detect_language(text)
    if language is None:
        if detected and confidence >= MIN_DETECT_CONFIDENCE:
            language = detected
            warnings.append(f"language detected, not declared: {detected} ({confidence:.0%} confidence)")
        else:
            warnings.append("language not declared and could not be detected: set it by hand")
    elif detected and detected != language and confidence >= 0.95 and len(text) >= 200:
        warnings.append(
            f"the page declares language {language!r} but the text looks like {detected!r}: check it"
        )

    lead_image = resolve(document.image, base) or resolve(meta.get("og:image") or meta.get("twitter:image"), base)
    lead_alt = clean_text(meta.get("og:image:alt") or meta.get("twitter:image:alt") or "")
    if lead_image and not lead_alt:
        lead_alt = next((alt for src, alt in writer.images if src == lead_image and alt), "")

    return Extracted(
        headline=headline,
        author=author,
        published_at=published_at,
        body_html=body_html,
        text=text,
        lead_image_url=lead_image,
        lead_image_alt=lead_alt or None,
        canonical_url=canonical,
        language=language,
        sitename=clean_text(document.sitename or "") or None,
        description=_shorten(clean_text(document.description or ""), 500) or None,
        warnings=warnings,
    )
