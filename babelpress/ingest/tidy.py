"""Tidying what trafilatura keeps around images and teasers: captions folded into their figure,
"less / … more" toggles and bare URLs dropped, lists of links that came in with an image dropped."""

from __future__ import annotations

import html as html_lib
import re

from lxml import etree

from babelpress.newsroom.sanitize import clean_text

from .body import drop_keep_tail

_UI_CRUFT = {
    "less", "more", "more less", "read more", "show more", "show less", "see more", "expand", "collapse",
    "continue reading", "story continues below", "advertisement", "ad", "sponsored", "lire la suite",
    "voir plus", "publicité", "weiterlesen", "mehr", "mehr lesen", "anzeige", "werbung", "подробнее",
    "читать далее", "реклама", "ավելին", "կարդալ ավելին", "գովազդ",
}
_URL_ONLY = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$", re.IGNORECASE)


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", (text or "").casefold())


def _is_cruft(text: str) -> bool:
    """Widget leftovers trafilatura keeps around images and teasers: "less", "... more", a bare URL."""
    words = " ".join(tokens(text))
    return words in _UI_CRUFT or bool(_URL_ONLY.match(text))


def _caption_like(text: str, caption_words: set[str]) -> bool:
    words = tokens(text)
    if not words or not caption_words:
        return False
    inside = sum(1 for w in words if w in caption_words or w in ("less", "more", "photo", "credit"))
    return inside >= 0.8 * len(words)


def tidy(root) -> None:
    """Fold image captions into their figure, drop widget cruft.

    With images on, trafilatura keeps the text around them: captions repeated from the alt text,
    "less/... more" toggles, print-edition URLs. A block whose words are (nearly) all in the
    preceding image's alt/title is that image's caption: it becomes the figure's <figcaption>
    (once) instead of a paragraph of the article.
    """
    blocks = [el for el in root if isinstance(el.tag, str)]
    caption_words: set[str] = set()
    figure = None
    since_image = 99
    for block in blocks:
        text = "".join(block.itertext())
        images = list(block.iter("img"))
        if images:
            img = images[-1]
            caption_words = set(tokens(f"{img.get('alt', '')} {img.get('title', '')}"))
            figure = block if block.tag == "figure" else None
            since_image = 0
            if block.tag in ("p", "ul", "ol") and _caption_like(text, caption_words):
                # an image with its caption repeated around it: just the image
                replacement = etree.Element("figure")
                replacement.append(etree.Element("img", dict(img.attrib)))
                replacement.tail = block.tail
                block.getparent().replace(block, replacement)
                figure = replacement
            continue
        since_image += 1
        if _is_cruft(text):
            drop_keep_tail(block)
            continue
        if since_image <= 3 and block.tag in ("p", "ul", "ol") and _caption_like(text, caption_words):
            if figure is not None and figure.find("figcaption") is None:
                caption = etree.SubElement(figure, "figcaption")
                img = figure.find("img")
                title = clean_text(re.sub(r"<[^>]*>", "", html_lib.unescape(img.get("title", "")))) if img is not None else ""
                if title and len(tokens(title)) >= len(tokens(text)):
                    caption.text = title  # the full caption, not the fragment trafilatura kept
                    del img.attrib["title"]
                else:
                    caption.text = " ".join(text.split())
            drop_keep_tail(block)


def _link_only(item) -> bool:
    words = tokens("".join(item.itertext()))
    linked = tokens(" ".join("".join(a.itertext()) for a in item.iter("a")))
    return bool(words) and len(linked) >= len(words)


def drop_link_lists_by_images(root) -> None:
    """A list of nothing but links (related stories, often with their thumbnails) that came in
    with an image: in it, or just before or after it. An image block never brings its neighbours'
    link lists into the article."""
    blocks = [el for el in root if isinstance(el.tag, str)]
    for index, block in enumerate(blocks):
        if block.tag not in ("ul", "ol"):
            continue
        items = [item for item in block if item.tag == "li" and "".join(item.itertext()).strip()]
        if not items or not all(_link_only(item) for item in items):
            continue
        neighbours = [blocks[i] for i in (index - 1, index + 1) if 0 <= i < len(blocks)]
        if block.find(".//img") is not None or any(n.tag == "figure" for n in neighbours):
            drop_keep_tail(block)
