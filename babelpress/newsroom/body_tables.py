"""Tables in the article body, in one shape whoever wrote them: the importer, the rich-text editor
(django-prose-editor's Table, which knows neither ``caption`` nor ``thead`` nor ``scope`` and puts a
paragraph in every cell) or a translation put back together.

``shape_tables`` (run by ``sanitize.clean_body`` after nh3) writes every table as::

    <table><caption>…</caption><thead><tr><th scope="col">…</th>…</tr></thead>
    <tbody><tr><th scope="row">…</th><td>…</td>…</tr>…</tbody></table>

* the leading rows whose filled cells are all header cells are the ``thead`` (when rows follow);
* a header cell in the head is a column header, anywhere else a row header (``colgroup`` /
  ``rowgroup`` when it spans);
* a first row of one data cell (alone, or beside empty cells) above a table of several columns is
  the table's caption: that is how the editor shows a caption, and what a title row means;
* a cell holds inline content: paragraphs, list items and the like inside it are kept apart by
  line breaks (the editor's ``<td><p>…</p></td>`` is ``<td>…</td>``);
* a table inside a cell (which the body format does not have) gives its rows as lines;
* a table without rows goes.

The same body always comes out the same, so saving an imported story in the editor changes nothing.
"""

from __future__ import annotations

from lxml import etree
from lxml import html as lxml_html

_CELLS = ("td", "th")
#: What a cell's content is not: blocks, unwrapped into lines (any HTML's, for the importer's use).
BLOCKS = {"p", "div", "section", "article", "header", "footer", "aside", "nav", "address", "center", "main",
          "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "hr",
          "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th"}


def shape_tables(body: str) -> str:
    """``body`` (clean markup from nh3) with each of its tables in the one shape (see the module)."""
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    tables = [t for t in root.iter("table") if not any(a.tag == "table" for a in t.iterancestors())]
    for table in tables:
        _shape(table)
    out = root.text or ""
    return out + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)


def for_editor(body: str) -> str:
    """``body`` as the editor is given it: each caption as the table's first row, one cell across
    the table (the editor's table has no caption; ``shape_tables`` makes that row the caption again)."""
    if "<caption" not in (body or ""):
        return body
    root = lxml_html.fragment_fromstring(body, create_parent="div")
    for table in root.iter("table"):
        caption = table.find("caption")
        rows = own_rows(table)
        if caption is None or not rows:
            continue
        width = max(sum(int(cell.get("colspan") or 1) for cell in row if cell.tag in _CELLS) for row in rows)
        row = etree.Element("tr")
        cell = etree.SubElement(row, "td", {"colspan": str(width)} if width > 1 else {})
        _move_content(caption, cell)
        table.remove(caption)
        first = rows[0]
        first.addprevious(row)
    out = root.text or ""
    return out + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)


def own_rows(table) -> list:
    """The rows of ``table`` itself (in thead, tbody, tfoot or directly), not of tables inside it."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if r.tag == "tr")
    return rows


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _shape(table) -> None:
    captions = [c for c in table if c.tag == "caption"]
    rows = [row for row in own_rows(table) if any(cell.tag in _CELLS for cell in row)]
    for row in rows:
        for cell in row:
            if cell.tag in _CELLS:
                inline_cell(cell)
            else:
                row.remove(cell)
    if not rows:
        _remove(table)
        return
    caption = captions[0] if captions and _text(captions[0]) else None
    if caption is None and _is_title_row(rows):
        caption = etree.Element("caption")
        _move_content(next(cell for cell in rows[0] if _text(cell) or len(cell)), caption)
        rows = rows[1:]
    head = []
    for row in rows:
        filled = [cell for cell in row if _text(cell) or len(cell)]
        if filled and all(cell.tag == "th" for cell in filled) and len(head) + 1 < len(rows):
            head.append(row)
        else:
            break
    body = rows[len(head):]
    for row in head:
        for cell in row:
            if cell.tag == "th":
                cell.set("scope", "colgroup" if cell.get("colspan") else "col")
    for row in body:
        for cell in row:
            if cell.tag == "th":
                cell.set("scope", "rowgroup" if cell.get("rowspan") else "row")
            else:
                cell.attrib.pop("scope", None)
    tail = table.tail
    table.clear()
    table.tail = tail
    if caption is not None:
        caption.tail = None
        table.append(caption)
    if head:
        thead = etree.SubElement(table, "thead")
        thead.extend(head)
    tbody = etree.SubElement(table, "tbody")
    tbody.extend(body)
    for row in (*head, *body):
        row.attrib.clear()
        row.text = row.tail = None
        for cell in row:
            cell.tail = None


def _is_title_row(rows: list) -> bool:
    """A first row of one data cell (alone or beside empty cells) over rows of several columns."""
    if len(rows) < 2:
        return False
    first = [cell for cell in rows[0] if cell.tag in _CELLS]
    filled = [cell for cell in first if _text(cell) or len(cell)]
    if len(filled) != 1 or filled[0].tag != "td":
        return False
    widest = max(sum(int(cell.get("colspan") or 1) for cell in row if cell.tag in _CELLS) for row in rows[1:])
    if widest < 2:
        return False
    return len(first) == 1 or all(not _text(cell) and not len(cell) for cell in first if cell is not filled[0])


def inline_cell(cell) -> None:
    """A cell's content as inline content: the blocks inside it (paragraphs, list items, divisions,
    a table's rows and cells …) unwrapped, kept apart by line breaks; no line break first or last."""
    if not any(el.tag in BLOCKS for el in cell.iterdescendants()):
        _trim(cell)
        return
    out = etree.Element(cell.tag)
    stack = [out]

    def add_text(text):
        if not text:
            return
        target = stack[-1]
        if len(target):
            target[-1].tail = (target[-1].tail or "") + text
        else:
            target.text = (target.text or "") + text

    def line_break():
        target = stack[-1]
        if len(target) and target[-1].tag == "br" and not (target[-1].tail or "").strip():
            return
        if len(target) or (target.text or "").strip():
            etree.SubElement(target, "br")

    def walk(element):
        for child in element:
            if not isinstance(child.tag, str):
                add_text(child.tail)
                continue
            if child.tag in BLOCKS:
                line_break()
                add_text(child.text)
                walk(child)
                line_break()
            else:
                copy = etree.SubElement(stack[-1], child.tag, dict(child.attrib))
                stack.append(copy)
                add_text(child.text)
                walk(child)
                stack.pop()
            add_text(child.tail)

    add_text(cell.text)
    walk(cell)
    for child in list(cell):
        cell.remove(child)
    cell.text = out.text
    cell.extend(list(out))
    _trim(cell)


def _trim(cell) -> None:
    while len(cell) and cell[0].tag == "br" and not (cell.text or "").strip():
        _remove(cell[0])
    while len(cell) and cell[-1].tag == "br" and not (cell[-1].tail or "").strip():
        _remove(cell[-1])
    cell.text = (cell.text or "").lstrip() or None
    if len(cell):
        cell[-1].tail = (cell[-1].tail or "").rstrip() or None
    else:
        cell.text = (cell.text or "").rstrip() or None


def _move_content(source, target) -> None:
    target.text = source.text
    for child in list(source):
        target.append(child)


def _remove(element) -> None:
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


