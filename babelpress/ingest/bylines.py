"""Bylines reduced to people's names: "By Jane Doe and John Roe | Reuters" -> "Jane Doe, John Roe".

Pages and feeds write bylines with prefixes in several languages (By, Par, Von, Автор:, Հեղինակ՝,
بقلم, 作者：), datelines and relative times ("3 hours ago", "il y a 2 heures", "před 2 hodinami",
"2 ժամ առաջ", "منذ ساعتين", "3小时前"), "Updated …" stamps, e-mail addresses, links, handles, job
titles and wire agencies around the names — and put site furniture where a name should be
("Username", "Share", "作者", "Authority control"). ``read_byline`` keeps the people, each once, in
the order written (co-authors too), and says when the byline credits the publication itself: its
own name (outlets.py) or its desk ("Rédaction", "Staff"), which is the article's source, not a person.

What a name is, whatever the page: letters and no digits, one to five words (particles such as
"de", "van" or "bin" aside), each capitalised where the script has capitals, not a label of a form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from babelpress.html_text import html_to_text
from babelpress.newsroom.sanitize import clean_text

from .outlets import names_outlet

_BYLINE_PREFIX = re.compile(
    r"^(?:"
    r"(?:written|posted|story|words|reported|text|photos?(?: and text)?|compiled|edited)\s+by|by"
    r"|author(?:s|\(s\))?|byline|"
    r"écrit\s+par|ecrit\s+par|publié\s+par|propos\s+recueillis\s+par|rédigé\s+par|par|auteur(?:e|s)?|texte|"
    r"geschrieben\s+von|text\s+von|ein\s+(?:beitrag|artikel)\s+von|von|autor(?:in|en|ka)?|napsal[a]?|"
    r"автор(?:ы|\s+текста)?|текст|материал\s+подготовил[аи]?|подготовил[аи]?|"
    r"հեղինակ(?:ը|ներ)?|տեքստ(?:ը)?|"
    r"بقلم|كتب(?:ه|ت|ها)?|بواسطة|إعداد|الكاتب|المؤلف|تأليف|"
    r"作者|记者|記者|撰文|"
    r"escrito\s+por|por|door"
    r")(?:\s*[:：՝\-–—]\s*|\s+)",
    re.IGNORECASE,
)
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_EMAIL_THEN_NAME = re.compile(rf"^\s*(?:mailto:)?{_EMAIL}\s*\(([^)]+)\)\s*$")  # RSS: jane@x.org (Jane)
_EMAIL_RE = re.compile(rf"[<(\[]?\s*(?:mailto:)?{_EMAIL}\s*[>)\]]?")
_URL_RE = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S+", re.IGNORECASE)
_HANDLE_RE = re.compile(r"(?<!\w)@\w+")
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|"
    "januar|jänner|februar|märz|juni|juli|oktober|dezember|"
    "ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince|"
    "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    "январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь|"
    "հունվարի|փետրվարի|մարտի|ապրիլի|մայիսի|հունիսի|հուլիսի|օգոստոսի|սեպտեմբերի|հոկտեմբերի|նոյեմբերի|դեկտեմբերի|"
    "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"
)
_WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    "montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
)
# Where the byline stops and the dateline starts: stamps, dates, times.
_BYLINE_CUT = re.compile(
    r"(?:\b(?:last\s+)?(?:updated|published|posted|modified|on)\b\s*(?:on|at|:)?\s*(?=\d|(?:" + _MONTHS + r"|" + _WEEKDAYS
    + r")\b)"
    r"|\b(?:last\s+updated|updated|published|mis\s+à\s+jour|publié\s+le|publié|modifié\s+le|modifié|aktualisiert|"
    r"veröffentlicht|zuletzt\s+aktualisiert|aktualizováno|publikováno|обновлено|опубликовано|обновлен[оа]?|"
    r"թարմացվել|հրապարակվել|نشر\s+في|تاريخ\s+النشر|发布于|发布时间|更新于)(?!\w)"
    r"|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b"
    r"|\b\d{1,2}\.?\s+(?:" + _MONTHS + r")(?!\w)"
    r"|\b(?:" + _MONTHS + r")\.?\s+\d{1,2}\b"
    r"|\b(?:" + _WEEKDAYS + r")\b,?\s+(?=\d|(?:" + _MONTHS + r")\b)"
    r"|\b\d{1,2}[:h]\d{2}\b"
    r"|\b(?:stand|as\s+of|date|dated|datum|от|le|am)\s*:"
    r").*$",
    re.IGNORECASE | re.DOTALL,
)
# Relative times, from their first word: "3 hours ago", "il y a 2 heures", "vor 3 Stunden", "před 2
# hodinami", "2 часа назад", "2 ժամ առաջ", "منذ ساعتين", "3小时前" — and their words left alone when a
# page prints the number apart ("Aleš Vávra před"). "Today" and its kin only in lower case: "USA Today".
_RELATIVE_CUT = re.compile(
    r"(?:\b(?:\d+|an?|one|a\s+few)\s+\w+\s+ago\b|(?-i:\bago\b)|\bjust\s+now\b"
    r"|\bil\s+y\s+a\b|\bà\s+l['’]instant\b"
    r"|\bvor\s+(?:\d+|einer?|wenigen|kurzem)\b|\bvor\s*$"
    r"|\bpřed\b|\bprávě\s+teď\b"
    r"|\bназад\b|\bтолько\s+что\b"
    r"|(?<!\w)առաջ(?!\w)"
    r"|(?<!\w)(?:منذ|قبل)(?!\w)"
    r"|\d+\s*(?:秒|分钟|分鐘|小时|小時|天|日|周|週|个月|個月|年)前|刚刚|剛剛"
    r"|(?-i:\b(?:yesterday|today|hier|aujourd['’]hui|gestern|heute|včera|dnes|вчера|сегодня)\b)"
    r"|(?<!\w)(?:երեկ|այսօր|أمس|اليوم|昨天|今天)(?!\w)"
    r").*$",
    re.IGNORECASE | re.DOTALL,
)
_FROM_DIGIT = re.compile(r"\d.*$", re.DOTALL)  # names have no digits: what follows one is a date
# What a cut leaves dangling: "Posted by Jane Doe on", "Jean Dupont, le", "Jane Doe -".
_DANGLING = re.compile(r"(?:[\s,]+(?:on|at|the|le|la|à|am|um|в|от|of|from))+\s*$", re.IGNORECASE)
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
    rf"(?:\s*[,/]\s*|\s+(?P<connector>for|with|via|pour|avec|für|für\s+die|mit|для|с)\s+|\s+)"
    rf"(?P<agency>{_AGENCIES})\s*$",
    re.IGNORECASE,
)
# Conjunctions in lower case (or all capitals) only: "Sarah E Needleman" has an initial, not "e".
_NAME_SPLIT = re.compile(
    r"\s*(?:[;,&、，；،]|\b(?:and|AND|et|ET|und|UND|y|e|a|и|И|եւ|և|ԵՎ|و)\b)\s*"
)
_SEGMENT_SPLIT = re.compile(r"\s*(?:\||•|·|/|\n|\s[–—-]\s)\s*")
_CREDENTIALS = re.compile(r"^(?:[A-Z]{2,4}|Ph\.?D\.?|M\.?D\.?|MBA|MPH|MSc|BSc|Jr\.?|Sr\.?)$")
_GENERIC = re.compile(
    r"admin|administrat|webmaster|^root$|^user\d*$|\.(?:com|org|net)\b|\s(?:com|org|net)$",
    re.IGNORECASE,
)
# Labels and buttons found where a byline should be (compared in lower case, punctuation as spaces).
_FURNITURE = frozenset("""
username|user name|user|login|log in|sign in|sign up|register|password|name|your name|author|authors|by|
posted by|written by|byline|guest|anonymous|unknown|n a|none|null|undefined|profile|view profile|all posts|
share|share this|follow|follow us|email|e mail|mail|print|comment|comments|reply|subscribe|newsletter|
home|menu|search|contact|about|about us|read more|more|next|previous|page|tags|category|categories|
authority control|related|advertisement|sponsored|
auteur|auteurs|nom d utilisateur|identifiant|utilisateur|partager|suivre|courriel|imprimer|commentaires|
accueil|rechercher|s abonner|lire la suite|publicité|
benutzer|benutzername|teilen|folgen|drucken|kommentare|startseite|suche|mehr|werbung|
uživatel|uživatelské jméno|sdílet|tisk|komentáře|
пользователь|имя пользователя|логин|поделиться|подписаться|комментарии|главная|поиск|автор|авторы|
հեղինակ|օգտանուն|կիսվել|տարածել|
المؤلف|الكاتب|كاتب|اسم المستخدم|مشاركة|شارك|تابعنا|
作者|用户名|用戶名|分享|来源|來源|责任编辑|編輯|编辑|记者|
""".replace("\n", "").split("|")) - {""}
_TRAILING_FURNITURE = re.compile(
    r"(?:\s+(?:follow|e-?mail|twitter|facebook|linkedin|instagram|share|bio|profile|more|rss|"
    r"suivre|partager|folgen|teilen|подписаться))+\s*$",
    re.IGNORECASE,
)
# A desk or the whole newsroom: credits the outlet, not a person.
_DESK = re.compile(
    r"(?<!\w)(?:staff|editorial|editors|newsroom|news\s*desk|web\s*desk|desk|team|r[ée]daction|redaktion|"
    r"redakce|редакция|խմբագրություն|التحرير|编辑部|編輯部|本报|本報)(?!\w)",
    re.IGNORECASE,
)
_PARTICLES = frozenset("de da di du des del della der den dos das van von ter ten zu af av la le bin ibn ben bint "
                       "al el abu".split())
_PARTICLE_PREFIX = re.compile(r"^(?:d|l|o|al|el|ad|ar|as|ash|at|az|ben|bin|ibn|abu)['’-]", re.IGNORECASE)
_STRIP = " .,:;–—-…\"'«»“”„()[]"


@dataclass(frozen=True)
class Byline:
    """What a byline credits: people, in the order written; the outlet's own name as the byline
    writes it ("TheArmTimes"); its desk ("Rédaction", "Staff"). Either of the last two credits the
    source, not a person."""

    names: tuple[str, ...] = ()
    outlet: str = ""
    desk: str = ""

    @property
    def text(self) -> str | None:
        """The names as the importer stores a byline: "Jane Doe, John Roe"; None when there are none."""
        return ", ".join(self.names) or None

    @property
    def credits_outlet(self) -> bool:
        return bool(self.outlet or self.desk)


@dataclass
class _Found:
    names: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    outlet: str = ""
    desk: str = ""


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]+", " ", text.casefold()).split())


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _looks_like_name(part: str) -> bool:
    """Letters, no digits, no address; one to five words, each capitalised where the script has
    capitals; two to eight characters in Chinese, which writes names without spaces."""
    letters = [ch for ch in part if ch.isalpha()]
    if not letters or len(part) > 80 or any(ch.isdigit() for ch in part) or re.search(r"[@/\\<>=?#_!]", part):
        return False
    if all(_is_han(ch) for ch in letters):
        return 2 <= len(letters) <= 8
    words = [word for word in part.split() if any(ch.isalpha() for ch in word)]
    main = [word for word in words if word.casefold().strip(".") not in _PARTICLES]
    if not 1 <= len(main) <= 5:
        return False
    for word in main:
        stem = _PARTICLE_PREFIX.sub("", word)  # "d'Alembert", "al-Hassan"
        first = next((ch for ch in stem if ch.isalpha()), None) or next(ch for ch in word if ch.isalpha())
        if first.islower() and not "\u10d0" <= first <= "\u10ff":  # Georgian has no capitals in use
            return False  # "control", "admin", "kwchcik": a word or a login, not a name
    return True


def _cut(segment: str) -> str:
    """The segment without its prefix ("By", "Par"…) and what follows the names (dates, times)."""
    previous = None
    while previous != segment:  # "By: Author: Jane" and the like
        previous = segment
        segment = _BYLINE_PREFIX.sub("", segment).strip(" ,:;–—-…")
    for cut in (_BYLINE_CUT, _RELATIVE_CUT, _FROM_DIGIT, _DANGLING):
        segment = cut.sub("", segment).strip(" ,:;–—-…")
    role = _ROLE.search(segment)
    if role and role.start() > 0 and segment[: role.start()].rstrip().endswith(","):
        segment = segment[: role.start()]  # "Jane Doe, Staff Writer"
    return segment


def _segment_names(segment: str, outlets: frozenset[str], found: _Found) -> None:
    """Add what one byline segment credits to ``found``."""
    for part in _NAME_SPLIT.split(_cut(segment)):
        part = _BYLINE_PREFIX.sub("", part.strip(_STRIP)).strip(_STRIP)
        if _key(part) in _FURNITURE:  # "Read more", before "more" goes as a button beside a name
            continue
        part = _TRAILING_FURNITURE.sub("", part).strip(_STRIP)
        if not part or _ROLE.search(part):
            continue
        if names_outlet(part, outlets):
            found.outlet = found.outlet or part
            continue
        if _DESK.search(part):
            found.desk = found.desk or part
            continue
        if _AGENCY_ONLY.match(part):
            found.agencies.append(part)
            continue
        if _CREDENTIALS.match(part):
            continue
        suffix = _AGENCY_SUFFIX.search(part)
        if suffix and (suffix.group("connector") or len(part[: suffix.start()].split()) >= 2):
            found.agencies.append(suffix.group("agency"))
            part = part[: suffix.start()].strip(_STRIP)
            if names_outlet(part, outlets):
                found.outlet = found.outlet or part
                continue
        part = _TRAILING_MONTH.sub("", part) if len(part.split()) > 2 else part
        if _GENERIC.search(part) or _key(part) in _FURNITURE:
            continue
        # Chinese writes each name without spaces: "张三 李四" is two people.
        split = part.split() if all(_is_han(ch) for ch in part if ch.isalpha()) else [part]
        found.names += [name for name in split if _key(name) not in _FURNITURE and _looks_like_name(name)]


def _nice_case(name: str) -> str:
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) > 3 and all(ch.isupper() for ch in letters):
        # "STEVE PEOPLES" -> "Steve Peoples", "DANIEL MCDONALD" -> "Daniel McDonald"
        return re.sub(r"\bMc([a-z])", lambda m: "Mc" + m.group(1).upper(), name.title())
    return name


def read_byline(value: str | None, outlets: frozenset[str] = frozenset()) -> Byline:
    """The people a byline names and whether it credits the outlet. ``outlets`` are the keys of the
    publication's own names (``outlets.outlet_keys``): a byline naming it credits the source.
    Prefixes, datelines, relative times, "Updated …", e-mail addresses, links, handles, job titles
    and furniture go; a wire agency is kept only when it is the sole credit."""
    if not value:
        return Byline()
    text = unicodedata.normalize("NFC", html_to_text(str(value), paragraphs=True)).replace("\u00a0", " ")
    text = "\n".join(clean_text(line) for line in text.splitlines())
    email_name = _EMAIL_THEN_NAME.match(text)
    if email_name:
        text = email_name.group(1)
    for pattern in (_URL_RE, _EMAIL_RE, _HANDLE_RE):
        text = pattern.sub(" ", text)
    text = re.sub(r"\(\s*\)|\[\s*\]|<\s*>", " ", text)
    found = _Found()
    for segment in _SEGMENT_SPLIT.split(text):
        if segment.strip():
            _segment_names(segment.strip(), outlets, found)
    names = found.names or ([] if found.outlet or found.desk else found.agencies[:1])
    unique: list[str] = []
    for name in names:
        name = " ".join(_nice_case(name).split())
        if len(name) <= 80 and name.casefold() not in {n.casefold() for n in unique}:
            unique.append(name)
    return Byline(tuple(unique[:8]), found.outlet, found.desk)


def clean_byline(value: str | None, outlets: frozenset[str] = frozenset()) -> str | None:
    """A byline reduced to the people's names, e.g. "By Jane Doe and John Roe | Reuters" ->
    "Jane Doe, John Roe" (``read_byline``); None when nothing name-like remains."""
    return read_byline(value, outlets).text
