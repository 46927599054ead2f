"""What the importer tells editors (refusals, warnings, notes), in the viewer's language.

An import runs in the worker, where no language is active, and what it says is stored (a job's
reason, an imported article's warnings, a feed's last error). So a message is kept as its English
source and named parameters, ``{"msgid": "The page is empty.", "params": {}}``, and rendered through
gettext when it is shown: a French editor reads French whatever language the import ran in, and a
catalog update reaches messages stored long ago.

``Message`` is a ``str`` (its English text), so logs, the CLI and code that joins or compares
warnings keep working; ``stored()`` turns it into what the database keeps, ``render()`` turns what
the database kept, or a ``Message``, into the active language. Rows stored before messages were
kept this way hold plain English text and are shown as they are.

Mark every msgid for extraction where it is written: ``Message(gettext_noop("…%(count)s…"), count=n)``.
Parameters are text (shown as is), numbers and ``percent(0.87)`` (formatted for the viewer's
locale), other messages or lists of them (a nested reason, rendered too) or ``language("fr")`` (the
language's name in the viewer's language).
"""

from __future__ import annotations

import json

from babel.numbers import format_decimal, format_percent
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language, gettext, pgettext, to_locale

from babelpress.languages import language_name


def ui_locale() -> str:
    """The Babel locale of the active language, for numbers and percentages."""
    return to_locale(get_language() or settings.LANGUAGE_CODE)


def percent(fraction: float) -> dict:
    """A parameter shown as a percentage in the viewer's locale (0.87 → "87 %" in French)."""
    return {"percent": fraction}


def language(code: str) -> dict:
    """A parameter shown as the name of the language ``code`` in the viewer's language."""
    return {"language": code}


class Message(str):
    """A message for people: ``msgid`` (English, marked with gettext_noop) and named ``params``.

    Its ``str`` value is the English text; ``render()`` gives it in the active language."""

    msgid: str
    params: dict

    def __new__(cls, msgid: str, **params):
        params = {key: _json_ready(value) for key, value in params.items()}
        self = super().__new__(cls, _english(str(msgid), params))
        self.msgid, self.params = str(msgid), params
        return self

    def __reduce__(self):
        return (_rebuild, (self.msgid, self.params))

    def render(self) -> str:
        return _render(self.msgid, self.params)

    def as_json(self) -> dict:
        return {"msgid": self.msgid, "params": {key: _stored_param(v) for key, v in self.params.items()}}


def _rebuild(msgid, params):
    return Message(msgid, **params)


def _json_ready(value):
    if isinstance(value, Message) or isinstance(value, (bool, int, float)) or value is None:
        return value
    if isinstance(value, dict):
        return load(value)
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    return str(value)


def _stored_param(value):
    if isinstance(value, list):
        return [_stored_param(item) for item in value]
    return value.as_json() if isinstance(value, Message) else value


def _english(msgid: str, params: dict) -> str:
    """The source text, without gettext (so a message can be made before the apps are ready)."""
    if not params:
        return msgid
    shown = {}
    for key, value in params.items():
        if isinstance(value, dict) and "language" in value:
            value = language_name(value["language"], "en")
        elif isinstance(value, dict) and "percent" in value:
            value = format_percent(value["percent"], locale="en")
        elif isinstance(value, list):
            value = "; ".join(str(item) for item in value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = format_decimal(value, locale="en")
        shown[key] = value
    return msgid % shown


def _render(msgid: str, params: dict) -> str:
    text = gettext(msgid) if msgid else ""
    if not params:
        return text
    try:
        return text % {key: _render_param(value) for key, value in params.items()}
    except (KeyError, ValueError, TypeError):  # a catalog's translation with broken placeholders
        return msgid % {key: _render_param(value) for key, value in params.items()}


def _render_param(value):
    if isinstance(value, Message):
        return value.render()
    if isinstance(value, dict) and "language" in value:
        return language_name(value["language"])
    if isinstance(value, dict) and "percent" in value:
        return format_percent(value["percent"], locale=ui_locale())
    if isinstance(value, list):  # several reasons, one after the other
        # The separator is the language's own ("؛ " in Arabic, " ; " in French).
        return pgettext("separator between reasons", "; ").join(str(_render_param(item)) for item in value)
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (int, float)):
        return format_decimal(value, locale=ui_locale())
    return value


def load(value) -> Message | str:
    """What the database kept (a dict, its JSON text, or plain text from before) as a message."""
    if isinstance(value, Message):
        return value
    if isinstance(value, str) and value.startswith('{"msgid"'):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict) and isinstance(value.get("msgid"), str):
        return Message(value["msgid"], **(value.get("params") or {}))
    if isinstance(value, dict) and ("language" in value or "percent" in value):
        return value
    return value if isinstance(value, str) else str(value)


def render(value) -> str:
    """``value`` (a ``Message``, what the database kept, or plain text) in the active language."""
    value = load(value)
    return value.render() if isinstance(value, Message) else value


def render_all(values) -> list[str]:
    return [render(value) for value in values or []]


def stored(value):
    """For a JSONField: a ``Message`` as its dict, anything else as it is."""
    return value.as_json() if isinstance(value, Message) else value


def stored_text(value) -> str:
    """For a TextField: a ``Message`` as its JSON text, plain text as it is."""
    return json.dumps(value.as_json(), ensure_ascii=False) if isinstance(value, Message) else (value or "")


def stored_all(values) -> list:
    return [stored(value) for value in values or []]


def of(exc: BaseException) -> Message | str:
    """What an exception says, kept as a ``Message`` when it carries one (``str(exc)`` would not)."""
    said = getattr(exc, "message", None)
    if isinstance(said, Message):
        return said
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


def english(value) -> str:
    """``value`` in English, whatever language is active: the CLI, logs, and tests that read it."""
    with translation.override("en"):
        return render(value)
