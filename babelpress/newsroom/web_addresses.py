"""Web addresses as the newsroom keeps them: an article's original URL, a source's website, an
author's profile page.

One rule, shared by the importer, the model and the admin form, so that whatever the importer
stores the editor can save again unchanged: an absolute ``http://`` or ``https://`` address with
a host, without spaces or control characters, at most ``MAX_LENGTH`` characters. Non-ASCII
letters (an IRI such as ``https://hy.wikipedia.org/wiki/Երևան``), underscores in host names,
brackets and the like are kept as written: browsers open them, and Django's stricter
``URLValidator`` ("Enter a valid URL.") refused addresses the importer had read from real pages.

``normalise`` is what both the importer and the form do to an address before checking it: the
surrounding space goes, spaces and control characters inside are percent-encoded (as a browser
does), the scheme and host are lower-cased. ``problem`` says, in words an editor can act on,
why an address still cannot be kept.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit, urlunsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The longest address kept (the database columns' size).
MAX_LENGTH = 1000
SCHEMES = ("http", "https")
# Characters a browser percent-encodes when it sends an address, besides spaces and controls.
_ENCODED = set('"<>`')
# What no browser takes in a host name (WHATWG's forbidden domain code points, brackets aside, which
# urlsplit removes around an IPv6 address); spaces and controls are percent-encoded by then.
_FORBIDDEN_IN_HOST = set('%<>^|\\"` ')


def _encoded(char: str) -> str:
    if char.isspace() or char in _ENCODED or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
    return char


def normalise(url: str | None) -> str:
    """``url`` as it is kept: trimmed, spaces and invisible characters inside percent-encoded,
    scheme and host in lower case. An address it cannot read is returned trimmed, for
    ``problem`` to explain."""
    url = (url or "").strip()
    if not url:
        return ""
    url = "".join(_encoded(char) for char in url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if parts.hostname:
        userinfo, _at, hostport = netloc.rpartition("@")
        netloc = (userinfo + "@" if _at else "") + hostport.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


def problem(url: str, limit: int = MAX_LENGTH) -> str | None:
    """Why ``url`` (normalised) cannot be kept, in words that say what to do; None when it can."""
    if not url:
        return None
    if len(url) > limit:
        return str(_("This address is %(length)s characters long; at most %(limit)s are kept. Use a shorter "
                     "address for the same page (often the part before “?”), or leave the field empty.")
                   % {"length": f"{len(url):,}", "limit": f"{limit:,}"})
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # an unclosed "[" in the host
        parts, hostname = None, None
    if parts is None or parts.scheme not in SCHEMES or not hostname:
        return str(_("Enter a full web address starting with http:// or https://, e.g. "
                     "https://example.org/news/story, or leave the field empty."))
    if _FORBIDDEN_IN_HOST.intersection(hostname):
        return str(_("The host name (the part after http:// or https://, before the next “/”) cannot contain "
                     "spaces or any of % < > ^ | \\ \": correct the address, or leave the field empty."))
    try:
        port_ok = parts.port != 0
    except ValueError:
        port_ok = False
    if not port_ok:
        return str(_("The port after the host name (as in https://example.org:8080/) must be a number from 1 "
                     "to 65535: correct it or remove it."))
    return None


class WebAddressValidator:
    """The model's and the form's validator: ``problem`` as a ValidationError."""

    def __init__(self, limit: int = MAX_LENGTH):
        self.limit = limit

    def __call__(self, url: str) -> None:
        message = problem(url, self.limit)
        if message:
            raise ValidationError(message, code="invalid")

    def __eq__(self, other):
        return isinstance(other, WebAddressValidator) and other.limit == self.limit


class WebAddressFormField(forms.CharField):
    """The admin's field for a web address: normalised as the importer does, then checked."""

    def __init__(self, *, max_length=None, **kwargs):
        kwargs.setdefault("widget", forms.URLInput(attrs={"class": "vURLField"}))
        # The length is checked by the validator, with a message that says what to do, and the
        # browser is not told to cut what is pasted (no maxlength attribute).
        super().__init__(**kwargs)
        self.validators.append(WebAddressValidator(max_length or MAX_LENGTH))

    def to_python(self, value):
        value = normalise(super().to_python(value))
        try:
            typed_without_scheme = bool(value) and not urlsplit(value).scheme
        except ValueError:
            typed_without_scheme = False
        return normalise("https://" + value) if typed_without_scheme else value  # "example.org/story"


class WebAddressField(models.URLField):
    """A web address kept as ``normalise`` makes it and ``problem`` accepts (see the module)."""

    default_validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The length too is WebAddressValidator's, with a message that says what to do.
        self.validators[:] = [*(v for v in self.validators if not isinstance(v, MaxLengthValidator)),
                              WebAddressValidator(self.max_length)]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebAddressFormField, **kwargs})
