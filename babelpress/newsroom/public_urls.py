"""Where the public site shows a newsroom object: what its ``get_absolute_url()`` returns.

The newsroom does not know the site's URLs (it imports no other app, docs/architecture.md): the app
that publishes articles, sections and tags registers, from its ``ready()``, how to address each, and
the models ask here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_addresses: dict[type, Callable[[object], str]] = {}


def register(model: type, address: Callable[[object], str]) -> None:
    """``address(obj)`` is the public URL of an instance of ``model``."""
    _addresses[model] = address


def url_for(obj) -> str:
    model = obj._meta.concrete_model
    try:
        address = _addresses[model]
    except KeyError:
        raise ImproperlyConfigured(
            f"No installed app gives a {model._meta.verbose_name} a public address: add \"babelpress.site\" to "
            f"INSTALLED_APPS (it registers them in babelpress/site/apps.py)."
        ) from None
    return address(obj)
