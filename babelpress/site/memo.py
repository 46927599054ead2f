"""What public pages compute again and again, remembered in this process (not in the shared cache:
a dictionary lookup costs nanoseconds, a file or Redis read tens of microseconds).

Two kinds, each correct without being told of edits (docs/decisions.md, "Rendering speed"):

- ``per_content_version``: small reference data every page reads (sections and their names in
  each language), computed again after any change to newsroom content — the key holds the content
  version of babelpress/site/cache.py, which every save or delete bumps in every process.
- ``Fragments``: rendered HTML of one story (its card, its article block) keyed by *the data it
  shows*, as the page's queries have just read it (``fingerprint``), with the interface language
  and the address it is shown at. An edit changes the data, so the next page looks up another key;
  the old entry ages out of the bounded memory. Nothing is invalidated, nothing can be stale, and a
  fragment survives a content version bump: after one story is edited, the home page renders the
  other cards from memory. Blocks shared by a page's stories are remembered the same way, keyed by
  what they show (``{% fragment %}``: the article's head and body, the section navigation, the
  language picker, the hreflang links); the rest of the page is rendered on every request.

Tests, changed settings and edited templates start from nothing: ``forget()`` (connected to
``setting_changed`` and the development server's ``file_changed``).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

from django.core.signals import setting_changed
from django.utils.autoreload import file_changed
from django.db.models import Model
from django.http import HttpRequest
from django.utils.functional import Promise

from babelpress.languages import Language

_memories: list = []


class Fragments:
    """A bounded least-recently-used map of HTML fragments, shared by the threads of a process."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        _memories.append(self)

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class NoFingerprint(Exception):
    """A value whose content cannot be told from a key: what shows it is rendered every time."""


_PLAIN = (str, int, float, bool, Decimal, date, datetime, time, timedelta, UUID, Language)


def fingerprint(value, depth: int = 0):
    """A hashable value equal for equal content: plain values as they are, lists, tuples and dicts
    item by item, a model instance by every field it holds and the related objects and prefetched
    lists it carries — or, for one built by site/pages.py, the rows it was built from (``read_from``),
    as long as nothing was added to it since."""
    if isinstance(value, datetime):  # with its zone: aware datetimes of one instant are equal across zones
        return value, value.tzinfo
    if value is None or isinstance(value, _PLAIN):
        return value
    if depth > 8:
        raise NoFingerprint(value)
    if isinstance(value, (list, tuple)):
        return tuple(fingerprint(item, depth + 1) for item in value)
    if isinstance(value, dict):
        return tuple((key, fingerprint(item, depth + 1)) for key, item in value.items())
    if isinstance(value, Promise):  # a lazy translation: its text in the active language
        return str(value)
    if isinstance(value, functools.partial):  # a computation put off until a template needs it: what it computes from
        return value.func.__module__, value.func.__qualname__, fingerprint((value.args, value.keywords), depth + 1)
    if isinstance(value, HttpRequest):  # what a page may show of its request: its address
        return value.scheme, value.get_host(), value.path
    if isinstance(value, Model):
        read = value.__dict__.get("read_from")
        if read is not None and read[0] == len(value.__dict__):
            return read[1]
        fields = tuple((name, fingerprint(item, depth + 1)) for name, item in value.__dict__.items() if name != "_state")
        related = fingerprint(value._state.fields_cache, depth + 1)
        return type(value).__name__, fields, related
    raise NoFingerprint(value)


def remember_reading(instance: Model, data: tuple) -> None:
    """Say that ``instance`` holds exactly ``data`` (the rows it was built from, and what was derived
    from them): its fingerprint then, as long as no attribute is added to it."""
    instance.read_from = (len(instance.__dict__) + ("read_from" not in instance.__dict__), data)


def per_content_version(function):
    """Remember ``function(*args)`` until newsroom content changes (one entry per arguments)."""
    remembered: dict = {}

    @functools.wraps(function)
    def wrapper(*args):
        from babelpress.site.cache import content_version  # cache.py imports pages.py, which uses this

        version = content_version()
        hit = remembered.get(args)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = function(*args)
        remembered[args] = (version, value)
        return value

    wrapper.clear = remembered.clear
    _memories.append(wrapper)
    return wrapper


def forget(**_kwargs) -> None:
    for memory in _memories:
        memory.clear()


setting_changed.connect(forget, dispatch_uid="babelpress-site-memo")
# The development server reloads an edited template without restarting: what it rendered goes too.
file_changed.connect(forget, dispatch_uid="babelpress-site-memo")
