"""Reading BABELPRESS_* variables for babelpress.settings.base: django-environ casts, and every
mistake is one ImproperlyConfigured that names the variable and shows a value that works.

Rules, the same for every variable: unset and empty mean the default; surrounding spaces are
ignored for numbers, booleans and lists. Only django-environ's casting (``Env.parse_value``) is
used: its lookup, ``env("NAME")``, reads a value that starts with "$" as the name of another
variable, which would misread a secret key, an API key or a password that starts with "$".
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

from babelpress.booleans import SPELLINGS, parse_bool

_cast = environ.Env.parse_value


def invalid(name: str, value: str | None, problem: str, example: str) -> ImproperlyConfigured:
    """The one shape of a settings error: what is wrong with which variable, then a value that works.

    ``value`` None leaves the value out of the message (it may hold a secret).
    """
    shown = name if value is None else f"{name}={value!r}"
    return ImproperlyConfigured(f"{shown} {problem}; for example {name}={example}")


def raw(name: str) -> str | None:
    """The variable's text; None when it is unset or empty (both mean "use the default")."""
    value = os.environ.get(name)
    return value if value is not None and value.strip() else None


def env_str(name: str, default: str = "") -> str:
    value = raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = raw(name)
    if value is None:
        return default
    try:
        return parse_bool(value)
    except ValueError:
        raise invalid(name, value, f"is not a boolean ({SPELLINGS})", "1" if default else "0") from None


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    value = raw(name)
    if value is None:
        return default
    try:
        number = _cast(value.strip(), int)
    except ValueError:
        raise invalid(name, value, "is not a whole number", str(default)) from None
    if minimum is not None and number < minimum:
        raise invalid(name, value, f"is too small (at least {minimum})", str(max(default, minimum)))
    return number


def env_seconds(name: str, default: float) -> float:
    """Seconds, decimals allowed, more than 0 and less than a million.

    Python's float, not django-environ's: that one drops letters, so "2m" would read as 2 seconds.
    """
    value = raw(name)
    if value is None:
        return default
    try:
        seconds = _cast(value.strip(), _strict_float)
    except ValueError:
        raise invalid(name, value, "is not a number of seconds", f"{default:g}") from None
    if not 0 < seconds < 10**6:
        raise invalid(name, value, "is out of range (more than 0 and less than 1000000 seconds)", f"{default:g}")
    return seconds


def _strict_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated list, items stripped, empty items dropped."""
    value = env_str(name, default)
    return [item.strip() for item in _cast(value, list) if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``, matched without regard to case ("info" is INFO)."""
    value = env_str(name, default).strip()
    for choice in choices:
        if value.casefold() == choice.casefold():
            return choice
    raise invalid(name, value, f"is not one of {', '.join(choices)}", default)


def env_counts(name: str, example: str) -> dict[str, int]:
    """``NAME=NUMBER`` pairs, comma-separated (``deepl=500000,openai=2000000``), numbers 0 or more."""
    value = raw(name)
    if value is None:
        return {}
    try:
        pairs = _cast(",".join(item.strip() for item in value.split(",")), dict)
    except ValueError:  # an item without "="
        raise invalid(name, value, "is not a list of NAME=NUMBER pairs", example) from None
    counts = {}
    for key, number in pairs.items():
        key, number = key.strip(), number.strip()
        if not key:
            raise invalid(name, value, "has a number without a name before its '='", example)
        try:
            counts[key] = _cast(number, int)
        except ValueError:
            raise invalid(name, value, f"gives {key!r} {number!r}, which is not a whole number", example) from None
        if counts[key] < 0:
            raise invalid(name, value, f"gives {key!r} a negative number", example)
    return counts


def env_json_object(name: str, example: str) -> dict[str, Any]:
    """A JSON object. The value is never shown in an error: it may hold API keys."""
    value = raw(name)
    if value is None:
        return {}
    try:
        data = _cast(value, json.loads)
    except json.JSONDecodeError as exc:
        raise invalid(name, None, f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
                      example) from None
    if not isinstance(data, dict):
        raise invalid(name, None, f"is a JSON {type(data).__name__}, not an object ({{...}})", example)
    return data


def env_class_entries(name: str, example: str, *, built_in: tuple[str, ...], singular: str, plural: str,
                      class_example: str) -> dict[str, dict]:
    """A JSON object of extension points, ``{entry: {"CLASS": dotted path, "OPTIONS": {...}}}``.

    Each entry is refused, naming it, when it is not such an object; an entry named like one of
    ``built_in`` may give OPTIONS alone (for the built-in class). ``singular`` and ``plural`` name
    what the entries are in messages ("an engine", "engines"), ``class_example`` is a dotted path.
    """
    words = (singular, plural, class_example)
    return {entry: _class_entry(name, example, entry, spec, built_in, words)
            for entry, spec in env_json_object(name, example).items()}


def _class_entry(name, example, entry, spec, built_in, words) -> dict:
    singular, plural, class_example = words
    where = f"entry {entry!r}"
    if not entry or "," in entry or any(c.isspace() for c in entry):
        raise invalid(name, None, f"has an {where}: {singular} name has no spaces or commas", example)
    if not isinstance(spec, dict):
        raise invalid(name, None, f"{where} is not an object with \"CLASS\" and \"OPTIONS\"", example)
    unknown = sorted(set(spec) - {"CLASS", "OPTIONS"})
    if unknown:
        raise invalid(name, None, f"{where} has {', '.join(map(repr, unknown))}: only \"CLASS\" and \"OPTIONS\" "
                                  "are read", example)
    if "CLASS" in spec:
        path = spec["CLASS"]
        if not isinstance(path, str) or "." not in path.strip(".") or any(c.isspace() for c in path):
            raise invalid(name, None, f"{where}: \"CLASS\" must be a dotted path such as \"{class_example}\"",
                          example)
    elif entry not in built_in:
        raise invalid(name, None, f"{where} needs a \"CLASS\" (only built-in {plural}, {', '.join(built_in)}, "
                                  "may give OPTIONS alone)", example)
    if not isinstance(spec.get("OPTIONS", {}), dict):
        raise invalid(name, None, f"{where}: \"OPTIONS\" must be an object of keyword arguments", example)
    return spec


def is_set(name: str) -> bool:
    return raw(name) is not None
