"""What QA and markup repairs say, in the reader's language, rendered when shown.

A check stores what it found as a code and named parameters (``{"check": "numbers", "level":
"error", "code": "numbers.missing", "params": {"number": "1 240", "count": 1}}``), never a sentence:
the review screen, the CLI and the logs render it here, through gettext, in the language active
at that moment. So a French reviewer reads French whatever language the worker ran in, and a
catalog update reaches messages stored long ago.

Parameters are JSON values: text, numbers, a language code (rendered as its name in the viewer's
language) or a placeholder's item (``{"kind": "link", "value": "https://…"}``, rendered as "the
link to https://…").
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _, ngettext_lazy

from babelpress.languages import language_name

#: code → message; every parameter is named. Plural messages choose their form by ``count``.
MESSAGES = {
    # Markup put back by segmenter/restore.py: ``item`` is what the placeholder stood for.
    "markup.unclosed": _("%(item)s was not closed; it now runs to the end of the segment."),
    "markup.stray": _("A marker the engine added does not belong to this text; it was removed."),
    "markup.twice": _("%(item)s appeared twice; the extra copy was removed."),
    "markup.overlapped": _("%(item)s overlapped other markup; it was closed early."),
    "markup.closed-twice": _("%(item)s was closed twice; the extra end was removed."),
    "markup.end-first": _("%(item)s ended before it began; the stray end was removed."),
    "markup.lost": _("%(item)s was lost in the translation."),
    "markup.missing": _("%(item)s was missing; it was added at the end."),
    # The checks of qa.py.
    "empty": _("The translation is empty."),
    # Once: no count shown. More: the count, with its plural (Russian's "one" form is also 21, 31 …).
    "numbers.missing": _("Number %(number)s is missing from the translation."),
    "numbers.missing-times": ngettext_lazy(
        "Number %(number)s is missing from the translation (%(count)s time).",
        "Number %(number)s is missing from the translation (%(count)s times).", "count"),
    "numbers.extra": _("Number %(number)s is in the translation but not in the source."),
    "urls.link": _("Link %(address)s is missing from the translation."),
    "urls.email": _("E-mail address %(address)s is missing from the translation."),
    "glossary.missing": _("Glossary: “%(source)s” must be translated as “%(target)s”, which is not in the "
                          "translation."),
    # A term with inflected forms or matched by stem: ``accepted`` lists them ("“a”, “b” or …").
    "glossary.missing-forms": _("Glossary: “%(source)s” must be translated as %(accepted)s; the translation has "
                                "none of them."),
    "glossary.unlisted": _("Glossary: “%(found)s” is not a listed form of %(accepted)s, the translation of "
                           "“%(source)s”. If it is a correct form, add it to the term's inflected forms in the "
                           "glossary."),
    "glossary.mangled": _("Glossary: “%(source)s” must be translated as %(accepted)s; the translation has "
                          "“%(found)s”, which looks like a misspelling."),
    "quotations": ngettext_lazy(
        "The source has %(count)s quotation but the translation has %(got)s.",
        "The source has %(count)s quotations but the translation has %(got)s.", "count"),
    "untranslated": _("The text was not translated: it is the same as the source."),
    "language.source": _("The translation is still in %(language)s."),
    "language.other": _("The translation looks like %(detected)s, not %(expected)s."),
    "length.short": _("The translation is much shorter than the source (%(percent)s%% of its length)."),
    "length.long": _("The translation is much longer than the source (%(times)s times its length)."),
    "leftover": _("The translation contains a marker the engine should have replaced (it looks like a tag "
                  "made of a letter and a number): remove it."),
}

#: What a placeholder stands for, as a phrase that fits the messages above ("the number 12").
ITEMS = {
    "link": _("the link to %(value)s"),
    "link.bare": _("a link"),
    "number": _("the number %(value)s"),
    "url": _("the web address %(value)s"),
    "email": _("the e-mail address %(value)s"),
    "glossary": _("the glossary term “%(value)s”"),
    "code": _("the code"),
    "br": _("a line break"),
    "image": _("an image"),
    "markup": _("some markup"),
    "em": _("the emphasis"),
    "i": _("the italics"),
    "strong": _("the bold text"),
    "b": _("the bold text"),
    "u": _("the underlined text"),
    "q": _("the quotation"),
    "cite": _("the citation"),
    "abbr": _("the abbreviation"),
    "span": _("the marked text"),
    "sub": _("the subscript"),
    "sup": _("the superscript"),
    "formatting": _("the formatting"),
}

_LANGUAGE_PARAMS = ("language", "detected", "expected")


def describe_item(item: dict) -> str:
    """A placeholder's item ({"kind", "value"}) as a phrase in the active language."""
    kind, value = item.get("kind", ""), item.get("value") or ""
    if kind == "link" and not value:
        kind = "link.bare"
    return str(ITEMS.get(kind, ITEMS["formatting"])) % {"value": value}


def accepted_forms(target: str, forms=(), stem: bool = False) -> str:
    """A glossary term's accepted forms as a phrase: "“Ереван”, “Ереване” or another form of
    “Ереван” with the same stem"."""
    # Quotation marks differ per language (« » in French and Russian): the quoting is translatable.
    items = [str(_("“%(form)s”") % {"form": form}) for form in [target, *forms]]
    if stem:
        items.append(str(_("another form of “%(target)s” with the same stem") % {"target": target}))
    return get_text_list(items, _("or"))


def render(code: str, params: dict | None = None) -> str:
    """The message ``code`` with ``params``, in the active language."""
    params = params or {}
    if code == "numbers.missing" and params.get("count", 1) != 1:
        code = "numbers.missing-times"
    if code.startswith("glossary.") and "target" in params:
        if code == "glossary.missing" and (params.get("forms") or params.get("stem")):
            code = "glossary.missing-forms"
        params = {**params, "accepted": accepted_forms(params["target"], params.get("forms") or (),
                                                       bool(params.get("stem")))}
    template = MESSAGES.get(code)
    if template is None:
        return code  # a code from a newer version: say what it is rather than nothing
    shown = dict(params or {})
    for name in _LANGUAGE_PARAMS:
        if name in shown:
            shown[name] = language_name(str(shown[name]))
    if isinstance(shown.get("item"), dict):
        shown["item"] = describe_item(shown["item"])
    if "times" in shown:
        shown["times"] = number_format(shown["times"], 1)
    if "percent" in shown:
        shown["percent"] = number_format(shown["percent"], 0)
    text = template % shown
    return text[:1].upper() + text[1:]  # "the link … was lost" opens the sentence: "The link …"


def message(issue: dict) -> str:
    """A stored issue's message in the active language. Issues stored before messages had codes
    carry their English text, shown as it is."""
    if "code" in issue:
        return render(issue["code"], issue.get("params"))
    return str(issue.get("message", ""))
