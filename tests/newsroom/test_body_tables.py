"""Tables in the body format (issue 11, cause 1): the body cleaner keeps a table — caption, head,
header and data cells, spans — strips anything hostile in it, and writes every table in one shape,
whoever wrote it, so that the editor's save never changes an imported table."""

from __future__ import annotations

import pytest

from babelpress.newsroom.sanitize import clean_body

CANONICAL = (
    '<table><caption>Résultats du vote</caption>'
    '<thead><tr><th scope="col">Parti</th><th scope="col">Voix</th><th scope="col">Sièges</th></tr></thead>'
    '<tbody><tr><th scope="row">Les Verts</th><td>1 200</td><td rowspan="2">3</td></tr>'
    '<tr><th scope="row">Les Bleus</th><td>800</td></tr>'
    '<tr><td colspan="2"><strong>Total</strong> des voix</td><td>2 000</td></tr></tbody></table>'
)


def test_a_table_is_kept_whole():
    assert clean_body(f"<p>Avant.</p>{CANONICAL}<p>Après.</p>") == f"<p>Avant.</p>{CANONICAL}<p>Après.</p>"


def test_hostile_attributes_and_markup_in_a_table_are_stripped():
    hostile = (
        '<table onclick="steal()" style="position:fixed" class="x" border="9" summary="s">'
        '<caption onmouseover="x()"><script>alert(1)</script>Résultats</caption>'
        '<tr><th scope="javascript:alert(1)" style="x" width="100">Parti</th><th colspan="999999">Voix</th></tr>'
        '<tr><td colspan="2 onclick=alert(1)" rowspan="-1" headers="a" id="c"><a href="javascript:alert(1)">piège</a>'
        '<img src="https://example.org/a.png" onerror="alert(2)" alt="logo"><iframe src="https://evil.example/"></iframe>'
        '<style>td{}</style>x</td></tr></table>'
    )
    cleaned = clean_body(hostile)
    for needle in ("onclick", "onmouseover", "onerror", "style", "class", "border", "summary", "width", "javascript:",
                   "<script", "<iframe", "headers", 'id="', "999999", "-1", "alert"):
        assert needle not in cleaned, needle
    assert cleaned == ('<table><caption>Résultats</caption><thead><tr><th scope="col">Parti</th><th scope="col">Voix</th>'
                       '</tr></thead><tbody><tr><td><a rel="noopener noreferrer">piège</a>'
                       '<img src="https://example.org/a.png" alt="logo">x</td></tr></tbody></table>')


def test_the_editors_table_is_written_back_in_the_one_shape():
    # What django-prose-editor's table sends: no caption (it is the first row), no thead, no scope, a
    # paragraph in every cell, the caption row padded with an empty cell once a cell was edited.
    from_editor = (
        '<table style="min-width: 75px"><colgroup><col style="min-width: 25px"></colgroup><tbody>'
        '<tr><td><p></p></td><td colspan="1" rowspan="1"><p>Résultats du vote</p></td></tr>'
        '<tr><th><p>Parti</p></th><th><p>Voix</p></th><th><p>Sièges</p></th></tr>'
        '<tr><th><p>Les Verts</p></th><td><p>1 200</p></td><td rowspan="2"><p>3</p></td></tr>'
        '<tr><th><p>Les Bleus</p></th><td><p>800</p></td></tr>'
        '<tr><td colspan="2"><p><strong>Total</strong> des voix</p></td><td><p>2 000</p></td></tr>'
        '</tbody></table>'
    )
    assert clean_body(from_editor) == CANONICAL


@pytest.mark.parametrize("body", [CANONICAL, "<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"])
def test_cleaning_a_table_twice_changes_nothing(body):
    assert clean_body(clean_body(body)) == clean_body(body) == body


def test_blocks_in_a_cell_become_lines_and_a_table_in_a_cell_its_lines():
    body = ("<table><tr><td><p>Un</p><ul><li>deux</li><li>trois</li></ul></td>"
            "<td>quatre<table><tr><td>cinq</td><td>six</td></tr></table></td></tr></table>")
    assert clean_body(body) == ("<table><tbody><tr><td>Un<br>deux<br>trois</td><td>quatre<br>cinq<br>six</td></tr>"
                                "</tbody></table>")


def test_a_table_without_rows_is_dropped():
    assert clean_body("<p>a</p><table><caption>Vide</caption></table><table><tr></tr></table><p>b</p>") == "<p>a</p><p>b</p>"


def test_a_row_of_one_data_cell_is_a_caption_only_at_the_top_of_a_wider_table():
    one_column = "<table><tr><td>Lundi</td></tr><tr><td>Mardi</td></tr></table>"
    assert "<caption>" not in clean_body(one_column)
    header_on_top = "<table><tr><th>Titre</th></tr><tr><td>a</td><td>b</td></tr></table>"
    assert "<caption>" not in clean_body(header_on_top)
    later = "<table><tr><td>a</td><td>b</td></tr><tr><td>seul</td></tr></table>"
    assert "<caption>" not in clean_body(later)
