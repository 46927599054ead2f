"""Babelpress's settings, in layers (docs/settings.md, "Settings modules"):

* ``babelpress.settings.base``: everything, read from the environment. The `babelpress` command
  and wsgi.py use it.
* ``babelpress.settings.test``: base plus the test suite's overrides, each with its reason (pytest).

``DJANGO_SETTINGS_MODULE=babelpress.settings`` keeps working and means base. Base is imported only
when a setting is first asked for here (PEP 562), not when this package is: importing
``babelpress.settings.test`` runs this file first, and must not read the environment before the
test layer has given it its defaults.
"""

from __future__ import annotations

import importlib


def _base():
    return importlib.import_module("babelpress.settings.base")


def __getattr__(name: str):
    if name == "__all__":  # `from babelpress.settings import *` in a settings module of your own
        return [setting for setting in dir(_base()) if setting.isupper()]
    if name.isupper():  # settings only: a submodule name (test, base …) must not import base
        return getattr(_base(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {setting for setting in dir(_base()) if setting.isupper()})
