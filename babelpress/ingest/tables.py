"""Tables in an imported article: a data table stays a table, a layout table gives its text.

trafilatura says which tables belong to the article (its ``<table>/<row>/<cell>`` XML) but keeps
neither captions nor row and column spans, and marks header cells only in the first header row.
So each of its tables is matched with the page's own ``<table>`` (by the words of its cells), and
a data table is written from the page's markup: caption, header cells (``th``; a first row whose
cells are all bold counts as a header row), ``colspan``/``rowspan``, each cell's text with its
links and emphasis. The newsroom's body cleaner (``newsroom/body_tables.py``) then sets ``thead``
and ``scope`` from where the header cells are.

A *layout* table — a page built with a table — is not kept as one: its cells' paragraphs become
the article's, and cells that are mostly links (a menu beside the article) are left out. What
counts as a layout table (docs/decisions.md): ``role="presentation"``; a table holding another;
a single cell; a single row or a single column of cells without header cells; or a cell holding a
heading, two or more paragraphs or a long text (more than ``LONG_CELL_CHARS``), unless the table
has header cells or a caption, which a layout never has, and no cell longer than ``LAYOUT_CELL_CHARS``.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree

from babelpress.absolute_urls import resolve
from babelpress.newsroom.body_tables import inline_cell, own_rows

from .elements import append_text

#: A cell with more text than this, in a table without header cells, is a page column, not data.
LONG_CELL_CHARS = 400
#: Even a table with header cells is a layout when one of its cells holds this much text.
LAYOUT_CELL_CHARS = 1500
#: How much of a trafilatura table's words must be found in a page table for them to be the same.
SAME_TABLE = 0.6

_WORDS = re.compile(r"\w+")
_SKIPPED = {"script", "style", "noscript", "template", "iframe", "form", "button", "input", "select", "textarea",
            "svg", "object", "embed", "video", "audio", "canvas", "map"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def words(text: str) -> list[str]:
    return _WORDS.findall((text or "").casefold())


# --- The page's own tables ------------------------------------------------------------------------


def _own(table):
    """The elements of ``table`` outside the tables it holds (document order)."""
    def walk(element):
        for child in element:
            if not isinstance(child.tag, str):
                continue
            yield child
            if child.tag != "table":
                yield from walk(child)
    return walk(table)


def _cells(row) -> list:
    return [cell for cell in row if cell.tag in ("td", "th")]


def _text(element) -> str:
    parts = []

    def walk(el):
        if el.text:
            parts.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and child.tag not in _SKIPPED:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _own_text(table) -> str:
    parts = [table.text or ""]
    for element in _own(table):
        if element.tag in _SKIPPED or element.tag == "table":
            parts.append(element.tail or "")
            continue
        parts.append(element.text or "")
        parts.append(element.tail or "")
    return " ".join(parts)


class PageTables:
    """The page's ``<table>`` elements, each found for at most one of trafilatura's tables."""

    def __init__(self, tree):
        self.tree = tree
        self._tables: list[tuple[object, Counter]] | None = None
        self._used: set[int] = set()

    def source_of(self, xml_table):
        """The page's table that trafilatura's ``xml_table`` was read from, or None."""
        if self._tables is None:
            self._tables = [(table, Counter(words(_own_text(table)))) for table in self.tree.iter("table")]
        wanted = Counter(words(" ".join(xml_table.itertext())))
        if not wanted:
            return None
        best, best_score = None, SAME_TABLE
        for position, (table, have) in enumerate(self._tables):
            if position in self._used or not have:
                continue
            score = sum((wanted & have).values()) / max(sum(wanted.values()), sum(have.values()))
            if score >= best_score:
                best, best_score = position, score
        if best is None:
            return None
        self._used.add(best)
        return self._tables[best][0]


# --- Data table or layout? ------------------------------------------------------------------------


def _blocks_in(cell) -> int:
    """How many paragraphs (or headings, list items, blocks of text) a cell holds."""
    return sum(1 for el in cell.iter("p", "div", "li", "blockquote", *_HEADINGS)
               if el is not cell and (el.text or "").strip())


def _all_bold(cell) -> bool:
    """Whether every word of a cell is bold (a header cell written as a bold data cell)."""
    found = False

    def walk(element, bold: bool) -> bool:
        nonlocal found
        for text, child in [(element.text, None), *((c.tail, c) for c in element)]:
            if child is not None and isinstance(child.tag, str) and child.tag not in _SKIPPED:
                if not walk(child, bold or child.tag in ("b", "strong")):
                    return False
            if (text or "").strip():
                if not bold:
                    return False
                found = True
        return True

    return walk(cell, cell.tag == "th") and found


def is_layout(table) -> bool:
    """Whether a page's ``table`` lays the page out rather than holding data (see the module)."""
    if (table.get("role") or "").strip().lower() in ("presentation", "none"):
        return True
    if any(el.tag == "table" for el in table.iterdescendants()):
        return True
    rows = [cells for cells in (_cells(row) for row in own_rows(table)) if cells]
    cells = [cell for row in rows for cell in row]
    if len(cells) <= 1:
        return True
    longest = max(len(_text(cell)) for cell in cells)
    if longest > LAYOUT_CELL_CHARS or any(cell.find(f".//{h}") is not None for cell in cells for h in _HEADINGS):
        return True
    headed = table.find("caption") is not None or any(cell.tag == "th" for cell in cells) \
        or (len(rows) > 1 and all(_all_bold(cell) for cell in rows[0] if _text(cell)))
    if headed:
        return False
    if len(rows) == 1 or max(len(row) for row in rows) == 1:
        return True
    return longest > LONG_CELL_CHARS or any(_blocks_in(cell) >= 2 for cell in cells)


def xml_is_layout(xml_table) -> bool:
    """The same question about trafilatura's table alone (when the page's could not be found)."""
    rows = [[cell for cell in row if cell.tag == "cell"] for row in xml_table.iter("row")]
    rows = [row for row in rows if row]
    cells = [cell for row in rows for cell in row]
    if len(cells) <= 1 or any(cell.find(tag) is not None for cell in cells for tag in ("p", "head", "list", "quote")):
        return True
    if any(cell.get("role") == "head" for cell in cells):
        return False
    return len(rows) == 1 or max(len(row) for row in rows) == 1


# --- Writing a data table -------------------------------------------------------------------------


def data_table(source, base: str | None):
    """Our ``<table>`` from a page's data table: caption, header and data cells, spans."""
    table = etree.Element("table")
    caption = source.find("caption")
    if caption is not None and _text(caption):
        _inline_into(caption, etree.SubElement(table, "caption"), base)
    rows = [(row, _cells(row)) for row in own_rows(source)]
    rows = [(row, cells) for row, cells in rows if cells]
    header_rows = {id(row) for row in rows_of(source, "thead")}
    bold_header = len(rows) > 1 and all(_all_bold(cell) for cell in rows[0][1] if _text(cell)) \
        and any(_text(cell) for cell in rows[0][1])
    for index, (row, cells) in enumerate(rows):
        out = etree.SubElement(table, "tr")
        as_header = id(row) in header_rows or (index == 0 and bold_header)
        for cell in cells:
            tag = "th" if cell.tag == "th" or (as_header and _text(cell)) else "td"
            written = etree.SubElement(out, tag)
            for span in ("colspan", "rowspan"):
                value = (cell.get(span) or "").strip()
                if value.isdecimal() and 1 < int(value) <= 100:
                    written.set(span, str(int(value)))
            _inline_into(cell, written, base)
            if tag == "th" and cell.tag == "td":
                _unwrap(written, ("b", "strong"))  # the bold that made it a header cell
    return table


def _unwrap(element, tags: tuple[str, ...]) -> None:
    """The ``tags`` inside ``element`` replaced by their content."""
    def add_text(parent, index: int, text: str | None) -> None:
        if not text:
            return
        if index > 0:
            parent[index - 1].tail = (parent[index - 1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    for inner in reversed(list(element.iter(*tags))):
        parent = inner.getparent()
        position, children, tail = parent.index(inner), list(inner), inner.tail
        add_text(parent, position, inner.text)
        for offset, child in enumerate(children):
            parent.insert(position + offset, child)
        parent.remove(inner)
        add_text(parent, position + len(children), tail)


def rows_of(table, group: str) -> list:
    return [row for child in table if child.tag == group for row in child if row.tag == "tr"]


def xml_data_table(xml_table, write_inlines):
    """Our ``<table>`` from trafilatura's table alone; ``write_inlines(cell, element)`` writes a cell."""
    table = etree.Element("table")
    for row in xml_table.iter("row"):
        out = etree.SubElement(table, "tr")
        for cell in row:
            if cell.tag == "cell":
                write_inlines(cell, etree.SubElement(out, "th" if cell.get("role") == "head" else "td"))
    return table


def _hidden(element) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return (element.get("hidden") is not None or (element.get("aria-hidden") or "").lower() == "true"
            or "display:none" in style or "visibility:hidden" in style)


def _inline_into(source, out, base: str | None) -> None:
    """The content of a page's cell (or caption) as inline body markup (``inline_cell``): its
    text, links made absolute, emphasis, line breaks and images; scripts, forms and hidden parts
    left out. The body cleaner keeps of the rest what the body format allows."""
    def copy(element, into):
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag is None or tag in _SKIPPED or _hidden(child):
                append_text(into, child.tail)
                continue
            attributes = {}
            if tag == "a":
                href = resolve(child.get("href"), base, ("http", "https", "mailto"))
                attributes = {"href": href} if href else {}
            elif tag == "img":
                src = resolve(child.get("src") or child.get("data-src"), base)
                if not src:
                    append_text(into, child.tail)
                    continue
                attributes = {"src": src, "alt": " ".join((child.get("alt") or "").split())}
            written = etree.SubElement(into, tag if tag != "a" or attributes else "span", attributes)
            written.text = child.text
            copy(child, written)
            written.tail = child.tail

    out.text = source.text
    copy(source, out)
    inline_cell(out)




# --- Plain text -----------------------------------------------------------------------------------


def table_text(table) -> str:
    """A table as plain text: its caption, then one line per row, the cells separated by spaces."""
    lines = []
    caption = table.find("caption")
    if caption is not None:
        lines.append(" ".join(_flat(caption).split()))
        lines.append("")
    for row in table.iter("tr"):
        cells = [" ".join(_flat(cell).split()) for cell in row if cell.tag in ("td", "th")]
        line = " ".join(cell for cell in cells if cell)
        if line:
            lines.append(line)
    return "\n".join(lines).strip()


def _flat(element) -> str:
    """The text of inline content, a line break as a space."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if child.tag == "br" else _flat(child))
        parts.append(child.tail or "")
    return "".join(parts)
