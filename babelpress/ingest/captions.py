"""Photo captions and credits belong to their image: ``<figure><img><figcaption>``.

trafilatura keeps a caption in many shapes: a ``<figcaption>`` inside a paragraph or a list item,
a figure with a caption and no image beside a figure with an image and no caption, or — most
often — a plain paragraph after the image, indistinguishable from the article's own. Two passes
give captions back to their images:

1. ``gather_figures``: every figcaption in a figure with its image, every figure at the top level
   of the body (hoisted out of the paragraph or list that held it), a caption-only figure joined
   with the image beside it; a caption left without an image is dropped.
2. ``PageCaptions.fold``: the page's own markup says what its captions are — ``<figcaption>`` and
   elements near an image whose class or id names a caption, a credit or an attribution. A body
   block whose words are such a caption (or a piece of one: the credit alone) joins the figure
   just before it (or just after it), once: repeats are dropped, and so is a caption whose image
   is not in the article. A figure whose caption trafilatura lost gets the page's caption of its
   image, and an image shown twice (a carousel's clones) is shown once.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from lxml import etree

from babelpress.absolute_urls import resolve
from babelpress.newsroom.body_tables import BLOCKS

from .body import drop_keep_tail
from .elements import append_text

_MARKS = re.compile(r"caption|credit|attribution|copyright|legende|légende|bildunterschrift|photo-?info|image-?source",
                    re.IGNORECASE)
_WORDS = re.compile(r"\w+")
_IMAGE_ATTRIBUTES = ("src", "data-src", "data-original", "data-lazy-src", "data-original-mos", "data-srcset", "srcset")
#: How far up from a caption element its image is looked for, and where that stops.
_LEVELS_UP = 3
_BEYOND = {"html", "body", "main", "article"}


def key(text: str) -> str:
    """What two captions are compared by: their words, lower case."""
    return " ".join(_WORDS.findall((text or "").casefold()))


def _text(element) -> str:
    """An element's text on one line, its blocks (a title, a paragraph, a line break) kept apart."""
    parts: list[str] = []

    def walk(el) -> None:
        parts.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str) and child.tag not in ("script", "style"):
                apart = child.tag in BLOCKS or child.tag == "br"
                parts.append(" " if apart else "")
                walk(child)
                parts.append(" " if apart else "")
            parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


def image_name(url: str | None) -> str:
    """An image's file name, what tells two addresses of one image apart from others (sizes, CDNs,
    lazy-loading attributes differ; the name rarely does)."""
    if not url:
        return ""
    try:
        path = urlsplit(url.strip().split(" ", 1)[0]).path
    except ValueError:
        return ""
    return path.rsplit("/", 1)[-1].lower()


# --- 1. Figures gathered -------------------------------------------------------------------------


def gather_figures(root) -> None:
    """Figures whole and at the top level of the body (see the module)."""
    for caption in list(root.iter("figcaption")):
        if caption.getparent().tag != "figure":
            _wrap_caption(caption)
    for figure in reversed(list(root.iter("figure"))):
        if figure.getparent() is not root:
            _hoist(root, figure)
    for block in list(root):
        if block.tag == "p" and _only_an_image(block):
            block.tag = "figure"
    blocks = list(root)
    for index, figure in enumerate(blocks):
        if figure.tag != "figure" or figure.find(".//img") is not None or figure.getparent() is None:
            continue
        caption = figure.find("figcaption")
        beside = [b for b in (blocks[index - 1] if index else None, blocks[index + 1] if index + 1 < len(blocks) else None)
                  if b is not None and b.tag == "figure" and b.find(".//img") is not None and b.find("figcaption") is None
                  and b.getparent() is not None]
        if caption is not None and beside:
            beside[0].append(caption)
        drop_keep_tail(figure)


def _only_an_image(block) -> bool:
    return len(list(block.iter("img"))) == 1 and not "".join(block.itertext()).strip()


def _wrap_caption(caption) -> None:
    """A figcaption outside a figure: with the image just before it, else in a figure of its own."""
    parent = caption.getparent()
    previous = caption.getprevious()
    while previous is not None and previous.tag == "br" and not (previous.tail or "").strip():
        previous = previous.getprevious()
    figure = etree.Element("figure")
    text_before = (previous.tail if previous is not None else parent.text) or ""
    if previous is not None and previous.tag == "img" and not text_before.strip():
        previous.addprevious(figure)
        figure.tail = previous.tail
        previous.tail = None
        figure.append(previous)
    else:
        caption.addprevious(figure)
    figure.tail = (figure.tail or "") + (caption.tail or "")
    caption.tail = None
    figure.append(caption)


def _hoist(root, figure) -> None:
    """A figure inside a paragraph (or list, quote …) moved after that top-level block."""
    top = figure
    while top.getparent() is not root:
        top = top.getparent()
    drop_keep_tail(figure)  # the text after it stays in its block
    figure.tail = top.tail
    top.tail = None
    top.addnext(figure)


# --- 2. The page's captions ----------------------------------------------------------------------


class PageCaptions:
    """What the page's markup marks as captions (and credits), and the images they belong to."""

    def __init__(self, tree, base: str | None):
        self.tree = tree
        self.by_image: dict[str, str] = {}  # image file name → the caption's text
        self.pieces: set[str] = set()  # keys of every caption, and of each of its parts
        self.elements: set = set()
        self._prose: set[str] | None = None
        for element in tree.iter():
            if not isinstance(element.tag, str) or element.tag in ("html", "body", "main", "article"):
                continue
            if element.tag != "figcaption":
                marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('itemprop', '')}"
                if not _MARKS.search(marks):
                    continue
            image = _image_of(element)
            if image is None:
                continue
            text = _text(element)
            if not text or len(text) > 1500:
                continue
            self.elements.add(element)
            for url in _addresses(image, base):
                self.by_image.setdefault(image_name(url), text)
            self.pieces.add(key(text))
            for part in element.iterdescendants():
                if isinstance(part.tag, str) and (part.text or "").strip():
                    self.pieces.add(key(_text(part)))
        self.pieces.discard("")

    def is_caption(self, text: str, copies: int = 1) -> bool:
        """Whether a body block is a caption: its words are one of the page's captions, and not
        also one of its paragraphs outside captions — unless the body has ``copies`` of it, one
        for each (a lead the photo caption repeats is the article's, once)."""
        words = key(text)
        return words in self.pieces and (copies > 1 or words not in self.prose())

    def prose(self) -> set[str]:
        """Keys of the page's paragraphs outside captions and figures."""
        if self._prose is None:
            self._prose = set()
            for paragraph in self.tree.iter("p", "li", "h2", "h3", "blockquote"):
                if paragraph in self.elements or any(a.tag == "figure" or a in self.elements
                                                     for a in paragraph.iterancestors()):
                    continue
                self._prose.add(key(_text(paragraph)))
        return self._prose

    def caption_of(self, img) -> str:
        return self.by_image.get(image_name(img.get("src")), "")

    def fold(self, root) -> None:
        """Caption paragraphs into their figures, figures given their lost captions (see the module)."""
        shown: set[str] = set()
        blocks = list(root)
        copies = Counter(key(_text(block)) for block in blocks)
        figure = None
        for index, block in enumerate(blocks):
            if block.tag == "figure":
                img = block.find(".//img")
                name = image_name(img.get("src")) if img is not None else ""
                if name and name in shown:
                    drop_keep_tail(block)  # the same image again: a carousel's clone
                    continue
                shown.add(name)
                if img is not None and block.find("figcaption") is None and self.caption_of(img):
                    etree.SubElement(block, "figcaption").text = self.caption_of(img)
                figure = block
                continue
            words = key(_text(block))
            if block.tag not in ("p", "h2", "h3", "blockquote") or block.find(".//img") is not None \
                    or not self.is_caption(words, copies[words]):
                figure = None
                continue
            copies[words] -= 1
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if figure is None and following is not None and following.tag == "figure" \
                    and following.find("figcaption") is None:
                figure = following  # a caption written above its image
            if figure is not None:
                _add_to_caption(figure, block)
            drop_keep_tail(block)


def _add_to_caption(figure, block) -> None:
    """``block``'s content in ``figure``'s caption, unless the caption says it already."""
    caption = figure.find("figcaption")
    words = key(_text(block))
    if caption is None:
        caption = etree.SubElement(figure, "figcaption")
    elif words in key(_text(caption)):
        return
    elif key(_text(caption)) in words:
        for child in list(caption):
            caption.remove(child)
        caption.text = None
    elif len(caption) or (caption.text or "").strip():
        append_text(caption, " ")
    append_text(caption, block.text)
    for child in list(block):
        caption.append(child)




def _image_of(element):
    """The image a caption element belongs to: its figure's; the one inside it (a caption block
    wrapping its image); else the nearest one beside it, a few levels up at most, looking first
    before it, then after it (a caption written above its image), never beyond the article."""
    for ancestor in element.iterancestors():
        if ancestor.tag == "figure":
            return next(ancestor.iter("img"), None)
        if ancestor.tag in _BEYOND:
            break
    inside = next(element.iter("img"), None)
    if inside is not None:
        return inside
    node = element
    for _ in range(_LEVELS_UP):
        for sibling in node.itersiblings(preceding=True):
            images = list(sibling.iter("img")) if isinstance(sibling.tag, str) else []
            if images:
                return images[-1]
        for sibling in node.itersiblings():
            images = list(sibling.iter("img")) if isinstance(sibling.tag, str) else []
            if images:
                return images[0]
        node = node.getparent()
        if node is None or node.tag in _BEYOND:
            return None
    return None


def _addresses(img, base: str | None) -> list[str]:
    urls = []
    for attribute in _IMAGE_ATTRIBUTES:
        for candidate in (img.get(attribute) or "").split(","):
            url = resolve(candidate.strip().split(" ", 1)[0], base)
            if url:
                urls.append(url)
    return urls
