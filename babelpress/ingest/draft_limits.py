"""What a draft may be: the size of an article, and prose rather than markup.

A story whose text is far longer than any article, or whose prose is HTML tags shown as text, is
not an article: it is a whole feed, an archive, or a document read as the wrong kind — an Atom
feed read as a web page became "one draft with no headline and a megabyte of raw entry markup".
The pipeline asks here about every candidate, whatever its source, before anything is written
(``refuse_what_is_not_an_article``); the refusal says what the document looks like and what to do.

The limits, and why (fixed, not settings: no newsroom's article comes near them):

* ``MAX_TEXT_CHARS``: 200,000 characters of text, about 35,000 words. The longest magazine
  features run to some 20,000 words (~120,000 characters); the longest article of the extraction
  benchmark is 20,000 characters. The corpus's real feeds read as pages give up to 1,900,000.
* ``MAX_BODY_HTML_CHARS``: 1,000,000 characters of body HTML — five times the text limit, room
  for the links, figures and data tables of the longest article.
* Markup shown as text: at least ``MIN_TAGS_AS_TEXT`` (20) HTML tags written out in the prose
  (code blocks left aside: an article about HTML may quote tags there) making up at least
  ``MARKUP_SHARE`` (10 %) of it, or ``MANY_TAGS_AS_TEXT`` (50) whatever their share. The real
  feeds of the shared corpus read as pages show 20 to 67,000 such tags, 1 to 78 % of their text;
  no article of the extraction benchmark shows a single one.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_noop

from babelpress.html_text import html_to_text

from .messages import Message, percent
from .models import ImportedItem
from .outcomes import ImportFailed
from .sources.base import Candidate

MAX_TEXT_CHARS = 200_000
MAX_BODY_HTML_CHARS = 1_000_000
MIN_TAGS_AS_TEXT = 20
MARKUP_SHARE = 0.10
MANY_TAGS_AS_TEXT = 50

# HTML elements written out as text ("<p>", "</div>", "<a href=…>", double-escaped "&lt;p"), in
# lower or upper case: not "<Parasite>" or "<The Palace>", the way some languages quote a title.
_ELEMENTS = ("a|abbr|article|aside|audio|b|blockquote|br|button|caption|center|cite|code|dd|del|details|div|dl|dt|"
             "em|embed|figcaption|figure|font|footer|form|h[1-6]|header|hr|i|iframe|img|input|ins|li|link|main|meta|"
             "nav|noscript|object|ol|option|p|picture|pre|q|s|script|section|small|source|span|strike|strong|style|"
             "sub|summary|sup|table|tbody|td|tfoot|th|thead|time|tr|u|ul|video")
_NAMES = f"(?:{_ELEMENTS}|{_ELEMENTS.upper()})"
_TAG_AS_TEXT = re.compile(rf"</?{_NAMES}(?:\s[^<>]{{0,2000}})?/?>|&lt;/?{_NAMES}\b")
_CODE_BLOCKS = re.compile(r"<(pre|code)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)

_IF_A_FEED = gettext_noop("If it is a feed, follow it as a feed (admin → Import → Feeds → Add) or import its entries "
                          "with `babelpress import`;")


def refuse_what_is_not_an_article(candidate: Candidate) -> None:
    """ImportFailed, saying what the document looks like and what to do, for a candidate far larger
    than an article or whose prose is mostly markup shown as text."""
    from_feed = candidate.origin == ImportedItem.Origin.FEED
    what = Message(gettext_noop("The entry") if from_feed else gettext_noop("The page")
                   if candidate.origin == ImportedItem.Origin.PAGE else gettext_noop("The file"))
    text_chars, html_chars = len(candidate.text or ""), len(candidate.body_html or "")
    if text_chars > MAX_TEXT_CHARS or html_chars > MAX_BODY_HTML_CHARS:
        amount = (Message(gettext_noop("%(count)s characters of text"), count=text_chars) if text_chars > MAX_TEXT_CHARS
                  else Message(gettext_noop("%(count)s characters of HTML"), count=html_chars))
        limits = Message(gettext_noop("at most %(text)s characters of text and %(html)s of HTML are imported"),
                         text=MAX_TEXT_CHARS, html=MAX_BODY_HTML_CHARS)
        if from_feed:
            raise ImportFailed(Message(gettext_noop(
                "%(what)s holds %(amount)s, far more than an article (%(limits)s). Ask the publisher to fix the feed, "
                "or import the story from its page's address."), what=what, amount=amount, limits=limits))
        raise ImportFailed(Message(gettext_noop(
            "%(what)s holds %(amount)s, far more than an article (%(limits)s): it looks like a whole feed, an archive "
            "or a book, not one story. %(if_a_feed)s otherwise import the story from its own page."),
            what=what, amount=amount, limits=limits, if_a_feed=Message(_IF_A_FEED)))
    tags, share = markup_as_text(candidate)
    if tags >= MANY_TAGS_AS_TEXT or (tags >= MIN_TAGS_AS_TEXT and share >= MARKUP_SHARE):
        shown = Message(gettext_noop("%(count)s HTML tags written out as text, %(share)s of it"), count=tags,
                        share=percent(share))
        if from_feed:
            raise ImportFailed(Message(gettext_noop(
                "%(what)s's text is mostly markup (%(shown)s): the feed escapes its HTML twice. Ask the publisher to "
                "fix the feed, or import the story from its page's address."), what=what, shown=shown))
        raise ImportFailed(Message(gettext_noop(
            "%(what)s's text is mostly markup (%(shown)s), not an article: it looks like a feed (RSS or Atom) read as "
            "a web page. %(if_a_feed)s if it is an article, ask the publisher to fix the page, or paste its text into "
            "a new article."), what=what, shown=shown, if_a_feed=Message(_IF_A_FEED)))


def markup_as_text(candidate: Candidate) -> tuple[int, float]:
    """How many HTML tags the prose shows as text (code blocks aside), and their share of it."""
    if len(_TAG_AS_TEXT.findall(candidate.text or "")) < MIN_TAGS_AS_TEXT:
        return 0, 0.0  # the common case, decided without reading the body again
    prose = html_to_text(_CODE_BLOCKS.sub(" ", candidate.body_html or ""))
    found = _TAG_AS_TEXT.findall(prose)
    return len(found), sum(map(len, found)) / max(len(prose), 1)
