"""Our article body from trafilatura's XML: headings, paragraphs, lists, quotes, figures, tables
(tables.py), links made absolute; and the plain text of its prose, for language and duplicate
detection."""

from __future__ import annotations

import re

from lxml import etree

from babelpress.absolute_urls import resolve
from babelpress.newsroom.sanitize import clean_text

from .elements import append_text
from .tables import PageTables, data_table, is_layout, table_text, xml_data_table, xml_is_layout

_HI_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup"}
BLOCK_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "blockquote", "figure", "figcaption", "pre"}


class BodyWriter:
    """Writes trafilatura's XML body (head, p, list/item, quote, hi, ref, graphic, lb, code, table)
    as an lxml tree of our body format. Block-level containers get blocks; stray inline content at
    block level is gathered into a paragraph, so structure survives without invalid nesting.
    ``tables`` (the page's own tables) lets a data table be written from the page's markup."""

    def __init__(self, base_url: str | None, tables: PageTables | None = None):
        self.base = base_url
        self.tables = tables
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
            append_text(self._paragraph(dst), text)

    @staticmethod
    def _end_paragraph(dst) -> None:
        """Stray text that follows starts a paragraph of its own."""
        last = dst[-1] if len(dst) else None
        if last is not None and last.get("data-implicit") is not None:
            del last.attrib["data-implicit"]

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
        elif tag == "figcaption":  # a caption beside its image, not in a figure: captions.py joins them
            self.inlines(el, etree.SubElement(dst, "figcaption"))
        elif tag == "code":
            code = etree.SubElement(etree.SubElement(dst, "pre"), "code")
            code.text = "".join(el.itertext())
        elif tag == "table":
            self.table(el, dst)
        elif tag in ("row", "cell"):  # a stray piece of a table: its content
            self.blocks(el, dst)
            self._end_paragraph(dst)
        elif tag in ("lb", "note", "fw"):
            return  # a bare line break between blocks means nothing
        elif tag in ("hi", "ref", "del", "span", "a", "b", "i", "em", "strong"):
            self.inline(el, self._paragraph(dst))
        else:  # div, section, body and the like: their content, in place
            self.blocks(el, dst)

    # content of li/blockquote: inline content and blocks may both appear
    def flow(self, src, dst) -> None:
        append_text(dst, src.text)
        for child in src:
            if isinstance(child.tag, str) and child.tag in ("p", "list", "quote", "figure", "code", "head"):
                if child.tag == "head":
                    self.inlines(child, etree.SubElement(dst, "strong"))
                else:
                    self.block(child, dst)
            else:
                self.inline(child, dst)
            append_text(dst, child.tail)

    def table(self, el, dst) -> None:
        """A data table as a table; a layout table's cells as blocks, menus beside them left out."""
        source = self.tables.source_of(el) if self.tables is not None else None
        if is_layout(source) if source is not None else xml_is_layout(el):
            for cell in el.iter("cell"):
                if not _mostly_links(cell):
                    self.blocks(cell, dst)
                    self._end_paragraph(dst)
            return
        table = data_table(source, self.base) if source is not None else xml_data_table(el, self.inlines)
        self.images.extend((img.get("src"), img.get("alt", "")) for img in table.iter("img"))
        dst.append(table)

    def figure(self, src, figure) -> None:
        for child in src.iter("graphic"):
            img = self.image(child)
            if img is not None:
                figure.append(img)
        captions = [c for c in src.iter("figcaption", "p") if "".join(c.itertext()).strip()]
        if captions:
            caption = etree.SubElement(figure, "figcaption")
            for position, part in enumerate(captions):  # a caption and its credit: one caption
                if any(part in c.iterancestors() for c in captions[:position]):
                    continue
                if position:
                    append_text(caption, " ")
                self.inlines(part, caption)
        if not len(figure):
            figure.getparent().remove(figure)

    # inline content
    def inlines(self, src, dst) -> None:
        append_text(dst, src.text)
        for child in src:
            self.inline(child, dst)
            append_text(dst, child.tail)

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
        elif tag == "figure":  # inside a paragraph or a list item: captions.py moves it out
            self.figure(el, etree.SubElement(dst, "figure"))
        elif tag == "figcaption":
            self.inlines(el, etree.SubElement(dst, "figcaption"))
        elif tag in ("p", "item", "list", "quote", "div"):
            # a block inside inline content: keep its words apart from the neighbours
            if len(dst) or (dst.text and dst.text.strip()):
                etree.SubElement(dst, "br")
            self.inlines(el, dst)
        elif tag == "table":  # a table inside a paragraph: its rows as lines
            for row in el.iter("row"):
                if len(dst) or (dst.text and dst.text.strip()):
                    etree.SubElement(dst, "br")
                for position, cell in enumerate(c for c in row if c.tag == "cell"):
                    if position:
                        append_text(dst, " ")
                    self.inlines(cell, dst)
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


def _mostly_links(cell) -> bool:
    """A cell whose words are mostly links: a menu or a list of headlines beside the article."""
    text = " ".join("".join(cell.itertext()).split())
    linked = sum(len(" ".join("".join(ref.itertext()).split())) for ref in cell.iter("ref"))
    return bool(text) and linked >= 0.6 * len(text)


def prune(root) -> None:
    """Drop the implicit-paragraph markers and blocks left without words or images."""
    for element in list(root.iter()):
        if element.get("data-implicit") is not None:
            del element.attrib["data-implicit"]
    for element in reversed(list(root.iter(*BLOCK_TAGS, "table"))):
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
    by a line break, a table's rows one per line. Figure captions are left out: they describe images, and keeping them out
    keeps language detection and duplicate detection on the story itself."""
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag
        if tag == "figcaption":
            return
        if tag == "table":
            out.append(f"\n\n{table_text(el)}\n\n")
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
