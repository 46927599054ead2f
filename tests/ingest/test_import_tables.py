"""Tables in imported pages (issue 11, cause 1): a data table arrives as a table — caption, header
cells, spans, each cell's text — a page laid out with tables gives its paragraphs, and a story
told in a table alone imports."""

from __future__ import annotations

import lxml.html
import pytest

from babelpress.ingest import pipeline
from babelpress.ingest.extract import extract_article

URL = "https://ville.example/2026/03/second-tour"
P1 = ("Le second tour des élections municipales a été marqué par une participation en hausse dans la plupart des "
      "communes de l'agglomération, selon les chiffres publiés dimanche soir par la préfecture.")
P2 = ("Dans les quartiers nord, les bureaux de vote ont connu une affluence inhabituelle en fin de journée, et "
      "plusieurs présidents de bureau ont dû prolonger les opérations de dépouillement jusqu'à minuit.")
P3 = ("Le nouveau conseil municipal se réunira pour la première fois vendredi afin d'élire le maire et ses "
      "adjoints, dans la salle des fêtes de l'hôtel de ville, ouverte au public pour l'occasion.")
RESULTS = [("Valmont", "12 034", "7 012", "58,3 %"), ("Saint-Roch", "8 450", "4 012", "47,5 %"),
           ("Les Aubiers", "5 120", "3 301", "64,5 %"), ("Beaulieu", "9 877", "5 011", "50,7 %")]


def page(body: str, *, title: str = "Second tour : la participation en hausse") -> str:
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="La Gazette de Valmont"></head><body>
<header><nav><a href="/">Accueil</a> <a href="/politique">Politique</a> <a href="/sport">Sport</a></nav></header>
{body}<footer><p>© La Gazette de Valmont — Mentions légales</p></footer></body></html>"""


def body_of(result):
    return lxml.html.fragment_fromstring(result.body_html, create_parent="div")


DATA_TABLE = f"""<main><article><h1>Second tour : la participation en hausse</h1><p>{P1}</p>
<table class="results"><caption>Participation au second tour, par commune</caption>
<thead><tr><th scope="col">Commune</th><th scope="col">Inscrits</th><th scope="col">Votants</th>
<th scope="col">Participation</th></tr></thead>
<tbody>{"".join(f'<tr><th scope="row"><a href="/communes/{c.lower()}">{c}</a></th><td>{a}</td><td>{b}</td>'
                f'<td style="color:red" onclick="x()">{p}</td></tr>' for c, a, b, p in RESULTS)}
<tr><td colspan="3"><strong>Ensemble de l'agglomération</strong></td><td>55,1 %</td></tr></tbody></table>
<p>{P2}</p><p>{P3}</p></article></main>"""


def test_a_data_table_arrives_as_a_table_with_its_caption_header_cells_and_spans():
    result = extract_article(page(DATA_TABLE), URL)
    [table] = body_of(result).iter("table")
    assert table.find("caption").text_content() == "Participation au second tour, par commune"
    assert [th.text_content() for th in table.findall("thead/tr/th")] == ["Commune", "Inscrits", "Votants",
                                                                         "Participation"]
    assert {th.get("scope") for th in table.findall("thead/tr/th")} == {"col"}
    rows = table.findall("tbody/tr")
    assert [row.find("th").text_content() for row in rows[:4]] == [c for c, *_ in RESULTS]
    assert rows[0].find("th").get("scope") == "row"
    assert rows[0].find("th/a").get("href") == "https://ville.example/communes/valmont"  # links made absolute
    assert [td.text_content() for td in rows[0].findall("td")] == ["12 034", "7 012", "58,3 %"]
    assert rows[-1].find("td").get("colspan") == "3"
    assert "style" not in result.body_html and "onclick" not in result.body_html and "class=" not in result.body_html
    # The table sits where the page put it, between the paragraphs around it.
    assert [el.tag for el in body_of(result)] == ["p", "table", "p", "p"]
    # The plain text (dedup, language) reads it one row per line.
    assert "Valmont 12 034 7 012 58,3 %\nSaint-Roch 8 450" in result.text


def test_a_first_row_written_in_bold_is_the_header_row():
    rows = "".join(f"<tr><td>{c}</td><td>{a}</td><td>{p}</td></tr>" for c, a, _, p in RESULTS)
    table = (f"<table><tr><td><strong>Commune</strong></td><td><b>Inscrits</b></td><td><b>Participation</b></td></tr>"
             f"{rows}</table>")
    result = extract_article(page(f"<main><article><p>{P1}</p>{table}<p>{P2}</p></article></main>"), URL)
    [table] = body_of(result).iter("table")
    assert [th.text_content() for th in table.findall("thead/tr/th")] == ["Commune", "Inscrits", "Participation"]
    assert table.find(".//thead//strong") is None and table.find(".//thead//b") is None  # a heading is bold already
    assert len(table.findall("tbody/tr")) == len(RESULTS)


LAYOUT = f"""<table width="100%" cellpadding="0" border="0"><tr>
<td width="160" valign="top"><a href="/">Accueil</a><br><a href="/politique">Politique</a><br>
<a href="/sport">Sport</a><br><a href="/culture">Culture</a><br><a href="/contact">Contact</a></td>
<td valign="top"><h1>Second tour : la participation en hausse</h1><p>{P1}</p><p>{P2}</p>
<h2>Le nouveau conseil</h2><p>{P3}</p></td></tr></table>"""


def test_a_page_laid_out_with_a_table_gives_its_paragraphs_not_a_table():
    result = extract_article(page(LAYOUT), URL)
    body = body_of(result)
    assert body.find(".//table") is None
    assert [el.tag for el in body] == ["p", "p", "h2", "p"]
    assert [p.text_content() for p in body.iter("p")] == [P1, P2, P3]
    # The menu beside the article, mostly links, is not part of it.
    assert "Contact" not in result.text and "Culture" not in result.text


def test_an_old_layout_of_line_breaks_in_one_cell_gives_paragraphs():
    cell = f"<font face='Arial'><b>Second tour</b><br><br>{P1}<br><br>{P2}<br><br>{P3}</font>"
    result = extract_article(page(f'<table width="100%"><tr><td>{cell}</td></tr></table>'), URL)
    assert body_of(result).find(".//table") is None
    for paragraph in (P1, P2, P3):
        assert paragraph in result.text


def test_a_data_table_inside_a_layout_table_stays_a_table():
    inner = ("<table><tr><th>Commune</th><th>Participation</th></tr>"
             + "".join(f"<tr><td>{c}</td><td>{p}</td></tr>" for c, _, _, p in RESULTS) + "</table>")
    layout = LAYOUT.replace(f"<p>{P3}</p>", f"<p>{P3}</p>{inner}")
    result = extract_article(page(layout), URL)
    tables = list(body_of(result).iter("table"))
    assert len(tables) == 1 and len(tables[0].findall("tbody/tr")) == len(RESULTS)
    assert P1 in result.text and P3 in result.text


@pytest.mark.django_db
def test_a_story_told_in_a_table_alone_imports(sections):
    schedule = [("Lundi 3 mars", "18 h 30", "Conseil municipal : budget primitif et tarifs de la cantine"),
                ("Mardi 4 mars", "20 h", "Réunion publique sur le nouveau plan de circulation du centre-ville"),
                ("Jeudi 6 mars", "18 h", "Commission des finances : examen des subventions aux associations"),
                ("Samedi 8 mars", "10 h", "Inauguration de la médiathèque rénovée, rue des Écoles"),
                ("Lundi 10 mars", "18 h 30", "Conseil de quartier nord : sécurité aux abords des écoles"),
                ("Mercredi 12 mars", "14 h", "Visite du chantier du pont avec les riverains et les élus")]
    rows = "".join(f"<tr><td>{d}</td><td>{t}</td><td>{what}</td></tr>" for d, t, what in schedule)
    html = page(f"<main><h1>L'agenda municipal de mars</h1><table><thead><tr><th>Date</th><th>Heure</th>"
                f"<th>Rendez-vous</th></tr></thead><tbody>{rows}</tbody></table></main>",
                title="L'agenda municipal de mars")
    outcome = pipeline.import_file(html.encode("utf-8"), url="https://ville.example/agenda-mars", language="fr")
    assert outcome.status == "new", outcome.reason
    body = lxml.html.fragment_fromstring(outcome.article.body, create_parent="div")
    [table] = body.iter("table")
    assert [[cell.text_content() for cell in row] for row in table.findall("tbody/tr")] == [list(r) for r in schedule]
    assert "Accueil" not in outcome.article.body and "Mentions légales" not in outcome.article.body
