"""Translations the packages we ship do not have: the rest of the admin in the editor's language.

Django's Armenian catalogs lack about a fifth of the admin (and its hy plural rule is wrong:
CLDR says 0 and 1 are singular), django-tasks and django-tasks-db ship no catalog at all, django-axes
has no Armenian. Their missing messages live in ``babelpress/locale_vendor/<code>/LC_MESSAGES/``
(second in LOCALE_PATHS: above the packages' own catalogs, below ours), one entry per message a
package leaves untranslated in that language, plus a few *overrides* where a package's translation
reads badly with our names (fr "Modification de article"); an override carries the translator
comment ``override``.

``python -P -m babelpress.vendor_catalogs`` adds what is missing (empty, for a translator) and drops
what no package needs any more; ``tests/test_vendor_catalogs.py`` fails while anything is missing
or untranslated. Messages are read from each package's English catalog when it has one, otherwise
from its source with xgettext, as makemessages does.
"""

from __future__ import annotations

import gettext
import importlib.util
import subprocess
import sys
import tempfile
from functools import cache
from pathlib import Path

import polib

UI_LANGUAGES = ["fr", "hy", "ru", "ar"]
VENDOR_DIR = Path(__file__).resolve().parent / "locale_vendor"
# Package → the parts whose messages reach the admin or the site (Django's by catalog folder).
PACKAGES = {
    "django": ["conf", "contrib/admin", "contrib/auth", "contrib/contenttypes"],
    "django_tasks": [""],
    "django_tasks_db": [""],
    "axes": [""],
}
DOMAINS = ["django", "djangojs"]
KEYWORDS = ["_", "gettext", "gettext_lazy", "gettext_noop", "pgettext:1c,2", "pgettext_lazy:1c,2",
            "ngettext:1,2", "ngettext_lazy:1,2", "npgettext:1c,2,3", "npgettext_lazy:1c,2,3"]
HEADERS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "hy": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : "
          "n%10==0 || (n%10>=5 && n%10<=9) || (n%100>=11 && n%100<=14)? 2 : 3);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
}


def package_root(package: str) -> Path:
    return Path(importlib.util.find_spec(package).origin).parent


def _key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid)


def _extract(folder: Path, domain: str) -> list[polib.POEntry]:
    """The messages of a package's Python (or JavaScript) source, as makemessages finds them."""
    pattern, language = ("*.py", "Python") if domain == "django" else ("*.js", "JavaScript")
    files = sorted(str(p) for p in folder.rglob(pattern) if "tests" not in p.parts and "migrations" not in p.parts)
    if not files:
        return []
    with tempfile.NamedTemporaryFile(suffix=".pot") as out:
        subprocess.run(["xgettext", f"--language={language}", "--from-code=UTF-8", "--no-location", "-o", out.name,
                        *(f"--keyword={k}" for k in KEYWORDS), *files], check=True, capture_output=True)
        return [e for e in polib.pofile(out.name) if e.msgid]


def _plural_count(code: str) -> int:
    return int(HEADERS[code].split("nplurals=", 1)[1].split(";", 1)[0])


def _plural_rule(header: str):
    expression = header.split("plural=", 1)[1].strip().rstrip(";")
    return [gettext.c2py(expression)(n) for n in range(1000)]


def _translated(po: polib.POFile, code: str) -> set:
    """What a package's catalog translates, counting its plural messages only when its plural rule
    is CLDR's (Django's hy catalog says ``n != 1``: "0 objects" where Armenian says "0 object")."""
    rule_agrees = _plural_rule(po.metadata.get("Plural-Forms", "plural=0")) == _plural_rule(HEADERS[code])
    return {_key(e) for e in po if e.translated() and (rule_agrees or not e.msgid_plural)}


@cache
def sources(domain: str) -> tuple[tuple[str, list[polib.POEntry], dict[str, set]], ...]:
    """(package part, its messages, {language: keys it translates itself}) for every part."""
    parts = []
    for package, subfolders in PACKAGES.items():
        for sub in subfolders:
            folder = package_root(package) / sub
            english = folder / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
            entries = [e for e in polib.pofile(str(english)) if e.msgid and not e.obsolete] if english.exists() \
                else _extract(folder, domain)
            own = {}
            for code in UI_LANGUAGES:
                po = folder / "locale" / code / "LC_MESSAGES" / f"{domain}.po"
                own[code] = _translated(polib.pofile(str(po)), code) if po.exists() else set()
            if entries:
                parts.append((f"{package}/{sub}".rstrip("/"), entries, own))
    return tuple(parts)


def needed(code: str, domain: str) -> dict[tuple, polib.POEntry]:
    """The messages no package translates into ``code`` itself."""
    missing = {}
    for _part, entries, own in sources(domain):
        for entry in entries:
            if _key(entry) not in own[code]:
                missing.setdefault(_key(entry), entry)
    return missing


def po_path(code: str, domain: str) -> Path:
    return VENDOR_DIR / code / "LC_MESSAGES" / f"{domain}.po"


def is_override(entry) -> bool:
    return "override" in (entry.tcomment or "")


def update(code: str, domain: str) -> polib.POFile:
    path = po_path(code, domain)
    po = polib.pofile(str(path)) if path.exists() else polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": code, "Plural-Forms": HEADERS[code]}
    wanted = needed(code, domain)
    kept = {_key(e): e for e in po if not e.obsolete and (_key(e) in wanted or is_override(e))}
    for key, entry in wanted.items():
        if key not in kept:
            kept[key] = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                                      msgstr_plural={i: "" for i in range(_plural_count(code))} if entry.msgid_plural else {})
    fresh = polib.POFile()
    fresh.metadata = po.metadata
    for key in sorted(kept, key=lambda k: (k[0] or "", k[1])):
        fresh.append(kept[key])
    return fresh


def main() -> None:
    for code in UI_LANGUAGES:
        for domain in DOMAINS:
            po = update(code, domain)
            if not len(po) and not po_path(code, domain).exists():
                continue
            po_path(code, domain).parent.mkdir(parents=True, exist_ok=True)
            po.save(str(po_path(code, domain)))
            po.save_as_mofile(str(po_path(code, domain).with_suffix(".mo")))
            untranslated = len(po.untranslated_entries())
            print(f"{code} {domain}: {len(po)} messages, {untranslated} to translate", file=sys.stderr)


if __name__ == "__main__":
    main()
