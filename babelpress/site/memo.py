"""What public pages compute again and again, remembered in this process (not in the shared cache:
a dictionary lookup costs nanoseconds, a file or Redis read tens of microseconds).

Two kinds, each correct without being told of edits (docs/decisions.md, "Rendering speed"):

- ``per_content_version``: small reference data every page reads (sections and their names in
  each language), computed again after any change to newsroom content — the key holds the content
  version of babelpress/site/cache.py, which every save or delete bumps in every process.
- ``Fragments``: rendered HTML keyed by *everything it shows* (a story card: the listing row of its
  story, the interface language, the address prefix). An edit changes the row, so the next page
  looks up another key; the old entry ages out of the bounded memory. Such a fragment survives a
  content version bump: after one story is edited, the home page renders its other cards from
  memory.

Tests and changed settings start from nothing: ``forget()`` (connected to ``setting_changed``).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

from django.core.signals import setting_changed

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
