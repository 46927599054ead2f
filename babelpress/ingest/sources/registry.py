"""Which import sources exist, and which one reads a given document.

Sources come from ``BABELPRESS_IMPORT_SOURCES`` ({name: {"CLASS": path, "OPTIONS": {...}}}; by
default the built-in page, upload and feed), created once per process with import_string. Every
place that imports asks here, so a new source is read everywhere at once:

* ``STORY``: "Import a story" in the admin (a URL, run as a job, or an uploaded file) and
  ``pipeline.import_url`` / ``import_file``: one story. A source that reads many stories (a feed)
  is chosen all the same, so that its refusal says what to do instead.
* ``ANY``: `babelpress import URL|FILE`: one story or many.
* ``FOLLOWED``: a Feed row the worker polls: the sources that can be followed.

The first source that recognises the document reads it, in the order configured; sources that
read anything (``catch_all``: the page and the upload) are asked last.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from django.utils.translation import gettext_noop

from ..messages import Message
from .base import FILE, WEB, Document, ImportFailed, ImportSource

STORY, ANY, FOLLOWED = "story", "any", "followed"
SETTING = "BABELPRESS_IMPORT_SOURCES"


@lru_cache(maxsize=None)
def configured() -> tuple[ImportSource, ...]:
    """Every configured source, in the order of the setting."""
    return tuple(_create(name, spec) for name, spec in getattr(settings, SETTING).items())


def _create(name: str, spec: dict) -> ImportSource:
    where = f"{SETTING}[{name!r}]"
    if not isinstance(spec, dict) or "CLASS" not in spec:
        raise ImproperlyConfigured(f"{where} needs a 'CLASS' (a dotted path), e.g. "
                                   "{'CLASS': 'mypackage.sources.EmailSource', 'OPTIONS': {}}.")
    try:
        cls = import_string(spec["CLASS"])
    except ImportError as exc:
        raise ImproperlyConfigured(f"{where}: cannot import {spec['CLASS']!r} ({exc}).") from exc
    if not (isinstance(cls, type) and issubclass(cls, ImportSource)):
        raise ImproperlyConfigured(f"{where}: {spec['CLASS']!r} is not a subclass of "
                                   "babelpress.ingest.sources.base.ImportSource (see docs/architecture.md).")
    options = spec.get("OPTIONS") or {}
    if not isinstance(options, dict):
        raise ImproperlyConfigured(f"{where}['OPTIONS'] must be a dict of keyword arguments, e.g. {{\"max_entries\": 100}}.")
    try:
        return cls(name=name, **options)
    except TypeError as exc:
        raise ImproperlyConfigured(f"{where}: {spec['CLASS']} does not take these OPTIONS ({exc}).") from exc


def clear_cache() -> None:
    configured.cache_clear()


@receiver(setting_changed, dispatch_uid="ingest-sources-setting")
def _setting_changed(setting, **kwargs) -> None:
    if setting == SETTING:
        clear_cache()


def offered(place: str, kind: str) -> list[ImportSource]:
    """The sources that may read a document of ``kind`` (WEB or FILE) at ``place``."""
    return [s for s in configured() if kind in s.reads and (place != FOLLOWED or s.followable)]


def choose(document: Document, place: str) -> ImportSource:
    """The source that reads ``document`` at ``place``; ImportFailed when none does."""
    sources = offered(place, document.kind)
    for catch_all in (False, True):
        for source in sources:
            if source.catch_all == catch_all and source.recognises(document):
                return source
    if place == FOLLOWED and sources:
        return sources[0]  # its own error says what the address holds instead
    labels = [Message(s.label) for s in sources] or Message(gettext_noop("none"))
    said = (gettext_noop("%(address)s is nothing Babelpress can import here (it reads %(kinds)s). Check the address, "
                         "or add a source that reads it to %(setting)s.") if document.kind == WEB
            else gettext_noop("%(address)s is nothing Babelpress can import here (it reads %(kinds)s). Check the file, "
                              "or add a source that reads it to %(setting)s."))
    raise ImportFailed(Message(said, address=document.shown, kinds=labels, setting=SETTING))


def accept(place: str) -> str:
    """The Accept header for a URL fetched at ``place`` before its kind is known: the catch-all
    source's own, with the media types of the others after it."""
    sources = [s for s in offered(place, WEB) if not (place == STORY and s.many)]
    if not sources:
        return "*/*"
    first = next((s for s in sources if s.catch_all), sources[0])
    header = first.accept
    named = {item.split(";", 1)[0].strip() for item in header.split(",")}
    for media_type in (t for s in sources if s is not first for t in s.media_types):
        if media_type not in named:
            header += f",{media_type};q=0.9"
            named.add(media_type)
    return header


def file_types(place: str = STORY) -> list[str]:
    """File name endings and media types of the files read at ``place`` (an upload field's ``accept``)."""
    types = [t for s in offered(place, FILE) if not (place == STORY and s.many) for t in s.file_types]
    return list(dict.fromkeys(types))
