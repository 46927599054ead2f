"""Our article body from trafilatura's XML: headings, paragraphs, lists, quotes, figures, links
made absolute; and the plain text of its prose, for language and duplicate detection."""

from __future__ import annotations

import re

from lxml import etree

from babelpress.absolute_urls import resolve
from babelpress.newsroom.sanitize import clean_text

_HI_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup"}
BLOCK_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "blockquote", "figure", "figcaption", "pre"}


class BodyWriter:
    """Writes trafilatura's XML body (head, p, list/item, quote, hi, ref, graphic, lb, code) as an
    lxml tree of our body format. Block-level containers get blocks; stray inline content at block
    level is gathered into a paragraph, so structure survives without invalid nesting."""

    def __init__(self, base_url: str | None):
        self.base = base_url
        self.root = etree.Element("div")
        self.images: list[tuple[str, str]] = []

    # content of a block-level container: blocks, with stray inline content wrapped in <p>
    def blocks(self, src, dst) -> None:
        self._text_into_block(dst, src.text)
        for child in src:
            self.block(child, dst)
            self._text_into_block(dst, child.tail)

    def _paragraph(self, dst):
        last = dst[-1] if len(dst) else None
        if last is not None and last.get("data-implicit") is not None:
            return last
        return etree.SubElement(dst, "p", {"data-implicit": ""})

    def _text_into_block(self, dst, text) -> None:
        if text and text.strip():
            _append_text(self._paragraph(dst), text)

    def block(self, el, dst) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == "p":
            self.inlines(el, etree.SubElement(dst, "p"))
        elif tag == "head":
            level = (el.get("rend") or "h3").lower()
            self.inlines(el, etree.SubElement(dst, "h2" if level in ("h1", "h2") else "h3"))
        elif tag == "list":
            out = etree.SubElement(dst, "ol" if el.get("rend") == "ol" else "ul")
            for item in el:
                if isinstance(item.tag, str):
                    self.flow(item, etree.SubElement(out, "li"))
                    # tails between items are whitespace in practice
        elif tag == "item":
            self.flow(el, etree.SubElement(dst, "p"))
        elif tag == "quote":
            self.flow(el, etree.SubElement(dst, "blockquote"))
        elif tag == "graphic":
            img = self.image(el)
            if img is not None:
                etree.SubElement(dst, "figure").append(img)
        elif tag == "figure":
            figure = etree.SubElement(dst, "figure")
            self.figure(el, figure)
        elif tag == "code":
            code = etree.SubElement(etree.SubElement(dst, "pre"), "code")
            code.text = "".join(el.itertext())
        elif tag in ("table", "row", "cell", "lb", "note", "fw"):
            return  # tables are left out by design; a bare line break between blocks means nothing
        elif tag in ("hi", "ref", "del", "span", "a", "b", "i", "em", "strong"):
            self.inline(el, self._paragraph(dst))
        else:  # div, section, body and the like: their content, in place
            self.blocks(el, dst)

    # content of li/blockquote: inline content and blocks may both appear
    def flow(self, src, dst) -> None:
        _append_text(dst, src.text)
        for child in src:
            if isinstance(child.tag, str) and child.tag in ("p", "list", "quote", "figure", "code", "head"):
                if child.tag == "head":
                    self.inlines(child, etree.SubElement(dst, "strong"))
                else:
                    self.block(child, dst)
            else:
                self.inline(child, dst)
            _append_text(dst, child.tail)

    def figure(self, src, figure) -> None:
        for child in src.iter("graphic"):
            img = self.image(child)
            if img is not None:
                figure.append(img)
        captions = [c for c in src.iter("figcaption", "p") if "".join(c.itertext()).strip()]
        if captions:
            self.inlines(captions[0], etree.SubElement(figure, "figcaption"))
        if not len(figure):
            figure.getparent().remove(figure)

    # inline content
    def inlines(self, src, dst) -> None:
        _append_text(dst, src.text)
        for child in src:
            self.inline(child, dst)
            _append_text(dst, child.tail)

    def inline(self, el, dst) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return
        if tag == "hi":
            name = _HI_TAGS.get(el.get("rend") or "")
            self.inlines(el, etree.SubElement(dst, name) if name else dst)
        elif tag == "ref":
            href = resolve(el.get("target"), self.base, ("http", "https", "mailto"))
            self.inlines(el, etree.SubElement(dst, "a", {"href": href}) if href else dst)
        elif tag == "lb":
            etree.SubElement(dst, "br")
        elif tag == "graphic":
            img = self.image(el)
            if img is not None:
                dst.append(img)
        elif tag == "code":
            self.inlines(el, etree.SubElement(dst, "code"))
        elif tag == "head":
            self.inlines(el, etree.SubElement(dst, "strong"))
        elif tag in ("p", "item", "list", "quote", "figure", "div"):
            # a block inside inline content: keep its words apart from the neighbours
            if len(dst) or (dst.text and dst.text.strip()):
                etree.SubElement(dst, "br")
            self.inlines(el, dst)
        elif tag in ("table", "row", "cell"):
            return
        else:
            self.inlines(el, dst)

    def image(self, el):
        src = resolve(el.get("src") or el.get("data-src"), self.base)
        if not src:
            return None
        alt = clean_text(el.get("alt") or "")
        img = etree.Element("img", {"src": src, "alt": alt})
        title = clean_text(el.get("title") or "")
        if title and title != alt:
            img.set("title", title)
        self.images.append((src, alt))
        return img


def _append_text(dst, text) -> None:
    if not text:
        return
    if len(dst):
        dst[-1].tail = (dst[-1].tail or "") + text
    else:
        dst.text = (dst.text or "") + text


def prune(root) -> None:
    """Drop the implicit-paragraph markers and blocks left without words or images."""
    for element in list(root.iter()):
        if element.get("data-implicit") is not None:
            del element.attrib["data-implicit"]
    for element in reversed(list(root.iter(*BLOCK_TAGS))):
        if not "".join(element.itertext()).strip() and not any(True for _ in element.iter("img")):
            parent = element.getparent()
            if parent is not None:
                drop_keep_tail(element)


def drop_keep_tail(element) -> None:
    parent = element.getparent()
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def text_of(root) -> str:
    """Plain text of the article's prose: blocks separated by a blank line, list items and <br>
    by a line break. Figure captions are left out: they describe images, and keeping them out
    keeps language detection and duplicate detection on the story itself."""
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag
        if tag == "figcaption":
            return
        if tag == "br":
            out.append("\n")
        elif tag in BLOCK_TAGS and tag not in ("ul", "ol", "blockquote", "figure"):
            out.append("\n\n" if tag != "li" else "\n")
        if el.text:
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if tag in BLOCK_TAGS:
            out.append("\n\n" if tag != "li" else "\n")

    walk(root)
    text = "".join(out)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        block = "\n".join(line for line in lines if line)
        if block:
            paragraphs.append(block)
    return "\n\n".join(paragraphs)
