"""Yes or no, as people write it in environment variables and settings: one home for the words.

``1/0``, ``true/false``, ``yes/no``, ``on/off`` (any case, spaces around ignored). Anything else is
refused rather than read as "no": ``BABELPRESS_DEBUG=maybe`` is a mistake to report, not a choice.
(django-environ's own boolean cast reads every unknown word as False, so settings use this one.)
"""

from __future__ import annotations

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
#: How the accepted words are shown in error messages.
SPELLINGS = "1/0, true/false, yes/no or on/off"


def parse_bool(value: str | bool) -> bool:
    """True or False for a boolean word (or a bool); ValueError for anything else."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} is not a boolean: use {SPELLINGS}.")


def is_boolean_word(value: str) -> bool:
    return str(value).strip().lower() in TRUE_WORDS | FALSE_WORDS
