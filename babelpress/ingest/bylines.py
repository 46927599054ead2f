"""Bylines reduced to people's names: "By Jane Doe and John Roe | Reuters" -> "Jane Doe, John Roe".

Pages and feeds write bylines with prefixes in several languages (By, Par, Von, Автор:, Հեղինակ՝),
datelines, "Updated …" stamps, e-mail addresses, handles, job titles and wire agencies around the
names; ``clean_byline`` keeps the names.
"""

from __future__ import annotations

import re
import unicodedata

from babelpress.html_text import html_to_text
from babelpress.newsroom.sanitize import clean_text

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
