"""Photo captions and credits in imported pages (issue 11, cause 2): they belong to their image as
``<figure><img><figcaption>``, never as paragraphs of the article; repeats fold into one; an image
never brings the list of links beside it into the article."""

from __future__ import annotations

import lxml.html

from babelpress.ingest.extract import extract_article

URL = "https://journal.example/2026/03/pont"
P1 = ("Le pont de Valmont a rouvert lundi matin après deux ans de travaux, sous les applaudissements des riverains "
      "venus nombreux assister à la cérémonie organisée par la municipalité.")
P2 = ("Les premières voitures ont franchi l'ouvrage peu après neuf heures, suivies par les bus de la ligne 4, dont "
      "le trajet retrouve enfin son tracé d'origine à travers le centre-ville.")
P3 = ("La circulation des poids lourds restera limitée jusqu'à la fin du mois, le temps de réaliser les derniers "
      "essais de charge prévus par le cahier des charges du chantier.")
CAPTION = "Le maire Jean Martin coupe le ruban sur le pont de Valmont, lundi 2 mars"
CREDIT = "Photo : Claire Dubois / Agence Lumière"


def page(body: str) -> str:
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Le pont de Valmont rouvre</title>
</head><body><header><nav><a href="/">Accueil</a> <a href="/region">Région</a></nav></header>
<main><article><h1>Le pont de Valmont rouvre</h1>{body}</article></main><footer>© Journal</footer></body></html>"""


def extracted(body: str):
    result = extract_article(page(body), URL)
    return result, lxml.html.fragment_fromstring(result.body_html, create_parent="div")


def figures(body) -> list[tuple[str, str]]:
    return [(figure.find(".//img").get("src"), figure.findtext("figcaption") or "") for figure in body.iter("figure")]


def assert_caption_is_not_prose(result, body, *texts: str) -> None:
    for text in texts:
        assert text not in result.text  # neither in the text dedup and language detection read
        assert not [p for p in body.iter("p") if text in p.text_content()]  # nor as a paragraph


def test_a_figure_keeps_its_caption_and_credit_in_its_figcaption():
    result, body = extracted(f"""<p>{P1}</p><figure><img src="/img/ruban.jpg" alt="Le ruban coupé">
<figcaption><span class="caption-text">{CAPTION}</span> <span class="credit">{CREDIT}</span></figcaption></figure>
<p>{P2}</p><p>{P3}</p>""")
    assert figures(body) == [("https://journal.example/img/ruban.jpg", f"{CAPTION} {CREDIT}")]
    assert [el.tag for el in body] == ["p", "figure", "p", "p"]
    assert_caption_is_not_prose(result, body, CAPTION, CREDIT)


def test_a_caption_the_page_marks_by_its_class_joins_its_image():
    # WordPress's caption block, and a news site's picture with a caption block beside it.
    result, body = extracted(f"""<p>{P1}</p>
<div class="wp-caption aligncenter"><img src="/img/ruban.jpg" alt="Le ruban"><p class="wp-caption-text">{CAPTION}</p></div>
<p>{P2}</p>
<div class="image-container"><div class="m"><picture><img src="/img/bus.jpg" alt=""></picture></div>
<div class="caption"><p><span>Le premier bus de la ligne 4 sur le pont.</span><span> ({CREDIT})</span></p></div></div>
<p>{P3}</p>""")
    assert figures(body) == [("https://journal.example/img/ruban.jpg", CAPTION),
                             ("https://journal.example/img/bus.jpg", f"Le premier bus de la ligne 4 sur le pont. ({CREDIT})")]
    assert_caption_is_not_prose(result, body, CAPTION, "Le premier bus", CREDIT)
    assert [p.text_content() for p in body.iter("p")] == [P1, P2, P3]


def test_ten_repeated_captions_fold_into_one():
    # A carousel that repeats its slide (clones for the sliding effect), each with its caption.
    slides = "".join(f'<div class="slide"><img src="/img/ruban.jpg" alt="Le ruban"><p class="slide-caption">{CAPTION}</p>'
                     "</div>" for _ in range(10))
    result, body = extracted(f"<p>{P1}</p><div class='carousel'>{slides}</div><p>{P2}</p><p>{P3}</p>")
    assert figures(body) == [("https://journal.example/img/ruban.jpg", CAPTION)]
    assert result.body_html.count(CAPTION) == 1
    assert_caption_is_not_prose(result, body, CAPTION)


def test_the_list_of_links_beside_an_image_stays_out_and_a_list_in_the_text_stays_in():
    related = "".join(f'<li><a href="/2026/03/{i}"><img src="/thumbs/{i}.jpg" alt=""></a> <a href="/2026/03/{i}">{title}</a></li>'
                      for i, title in enumerate(["Le budget 2026 adopté", "La ligne 4 prolongée", "Un nouveau parc"]))
    more = "".join(f'<li><a href="/2026/02/{i}">{title}</a></li>' for i, title in
                   enumerate(["Les travaux du pont ont commencé", "Le chantier prend du retard"]))
    sources = "".join(f'<li><a href="https://valmont.example/{n}">{title}</a> ({what})</li>' for n, title, what in
                      [("arrete", "L'arrêté municipal de circulation", "PDF"), ("plan", "Le plan du pont", "image")])
    result, body = extracted(f"""<p>{P1}</p><ul class="sources">{sources}</ul><p>{P2}</p>
<figure><img src="/img/ruban.jpg" alt="Le ruban"><figcaption>{CAPTION}</figcaption></figure>
<ul class="related-links">{more}</ul><p>{P3}</p><ul class="thumbs">{related}</ul>""")
    assert "Le budget 2026 adopté" not in result.text and "Le chantier prend du retard" not in result.text
    assert "/thumbs/" not in result.body_html
    assert "L'arrêté municipal de circulation" in result.text  # links the story itself lists are kept
    assert figures(body) == [("https://journal.example/img/ruban.jpg", CAPTION)]


def test_a_lead_the_photo_caption_repeats_stays_the_first_paragraph():
    result, body = extracted(f"""<figure><img src="/img/ruban.jpg" alt="Le ruban">
<figcaption><p class="caption">{P1}</p><p class="credit">{CREDIT}</p></figcaption></figure>
<div class="content"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>""")
    assert [p.text_content() for p in body.iter("p")] == [P1, P2, P3]
    assert result.text.startswith(P1)


def test_a_caption_without_its_image_is_dropped():
    # The image is a video player trafilatura leaves out; its caption must not become prose.
    result, body = extracted(f"""<p>{P1}</p><div class="video"><video src="/v/pont.mp4" poster="/v/pont.jpg"></video>
<img class="poster" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
<p class="video-caption">{CAPTION}</p></div><p>{P2}</p><p>{P3}</p>""")
    assert_caption_is_not_prose(result, body, CAPTION)
    assert [p.text_content() for p in body.iter("p")] == [P1, P2, P3]
