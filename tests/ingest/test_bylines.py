"""Bylines credit people, and only the article's own (ingest/bylines.py, page_bylines.py, outlets.py,
attribution.py).

Each way a story came in wrongly credited, on small hand-made pages in several languages: site
furniture taken for a name, a relative time left on a name, co-authors dropped, another story's
author picked from a sidebar, and a byline naming the publication itself — which credits the outlet
as the source and invents no author.
"""

from __future__ import annotations

import json

import lxml.html
import pytest

from babelpress.ingest import pipeline
from babelpress.ingest.attribution import authors_for
from babelpress.ingest.bylines import clean_byline, read_byline
from babelpress.ingest.extract import extract_article
from babelpress.ingest.outlets import outlet_keys
from babelpress.ingest.sources.base import Candidate
from babelpress.newsroom.coauthors import credited_authors
from babelpress.newsroom.models import Article, Author, Source

from .conftest import story

URL = "https://thearmtimes.am/fr/2026/03/pont-valmont/"
TEXT = "".join(f"<p>{p}</p>" for p in story(11, paragraphs=4, lang="fr"))


def page(byline: str = "", *, head: str = "", sitename: str = "Journal Exemple", before: str = "", after: str = "",
         headline: str = "Le pont de Valmont rouvre", layout: str = "layout") -> str:
    """An article page: ``byline`` under the headline, ``before``/``after`` the article (a sidebar …)
    in a box of class ``layout``."""
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>{headline} | {sitename}</title><meta property="og:site_name" content="{sitename}">
<meta property="og:title" content="{headline}">{head}</head><body>
<header><nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav></header>
<div class="{layout}">{before}<main><article><h1>{headline}</h1>{byline}{TEXT}</article></main>{after}</div>
<footer>© {sitename}</footer></body></html>"""


def json_ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- 1. Form labels and site furniture are not names ----------------------------------------------


@pytest.mark.parametrize("label", [
    "Username", "Author", "Authors", "作者", "Authority control", "By", "Posted by", "Admin", "Share", "Follow",
    "Email", "Read more", "Nom d'utilisateur", "Partager", "Benutzername", "Имя пользователя", "Поделиться",
    "Հեղինակ", "الكاتب", "اسم المستخدم", "Sdílet", "用户名", "分享",
    "jdoe",  # a login: names have capitals where the script has them
    "https://www.facebook.com/journal.exemple", "Comente!", "Page 2",
])
def test_form_labels_and_site_furniture_are_not_names(label):
    assert clean_byline(label) is None
    assert clean_byline(f"By {label}") is None


@pytest.mark.parametrize("name", [
    "Jean Dupont", "Aleš Vávra", "Jeanne d'Arc", "Ludwig van Beethoven", "Mohammed al-Fayed", "Kevin-R",
    "Иван Петров", "Արամ Պետրոսյան", "محمد علي", "张三", "ნინო ბურჯანაძე",
])
def test_names_in_every_script_are_kept_as_written(name):
    assert clean_byline(name) == name


def test_a_page_whose_byline_is_a_label_has_no_author():
    html = page('<p class="author">Author</p>', head='<meta name="author" content="admin">')
    result = extract_article(html, URL)
    assert result.author is None and "no author found" in result.warnings


# --- 2. Relative times and dates are cut from the name ---------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("Aleš Vávra před", "Aleš Vávra"),
    ("Aleš Vávra před 2 hodinami", "Aleš Vávra"),
    ("Jan Novák, 12. března 2024", "Jan Novák"),
    ("Par Jean Dupont il y a 2 heures", "Jean Dupont"),
    ("Jean Dupont … il y a 2 heures", "Jean Dupont"),
    ("Jean Dupont, 12 mars 2024 à 10h", "Jean Dupont"),
    ("Von Max Mustermann vor 3 Stunden", "Max Mustermann"),
    ("Max Mustermann, gestern", "Max Mustermann"),
    ("By Jane Doe 2 hours ago", "Jane Doe"),
    ("Posted by Jane Doe yesterday at 10:30", "Jane Doe"),
    ("Иван Петров 2 часа назад", "Иван Петров"),
    ("Арам Петросян, вчера", "Арам Петросян"),
    ("Արամ Պետրոսյան 2 ժամ առաջ", "Արամ Պետրոսյան"),
    ("بقلم محمد علي منذ ساعتين", "محمد علي"),
    ("作者：张三 3小时前", "张三"),
])
def test_relative_times_and_dates_are_cut_from_the_name(raw, expected):
    assert clean_byline(raw) == expected


def test_a_relative_time_inside_the_byline_markup_is_cut():
    result = extract_article(page('<div class="author">Aleš Vávra <span class="ago">před 2 hodinami</span></div>'), URL)
    assert result.author == "Aleš Vávra"


# --- 3. Co-authors are kept ----------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("Par Jean Dupont et Marie Curie", ("Jean Dupont", "Marie Curie")),
    ("By Ann Lee, Bob Stone and Carl Ray", ("Ann Lee", "Bob Stone", "Carl Ray")),
    ("Von Max Mustermann und Erika Musterfrau", ("Max Mustermann", "Erika Musterfrau")),
    ("А. Иванов, Б. Петров", ("А. Иванов", "Б. Петров")),
    ("Հեղինակներ՝ Արամ Պետրոսյան և Անի Սարգսյան", ("Արամ Պետրոսյան", "Անի Սարգսյան")),
    ("Jan Novák a Petr Svoboda", ("Jan Novák", "Petr Svoboda")),
    ("记者 张三 李四", ("张三", "李四")),
    ("Jean Dupont; JEAN DUPONT", ("Jean Dupont",)),  # each person once
])
def test_co_authors_are_all_kept_in_the_order_written(raw, expected):
    assert read_byline(raw).names == expected


def test_a_json_ld_author_list_names_every_author():
    head = json_ld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Le pont de Valmont rouvre",
                    "author": [{"@type": "Person", "name": "Jean Dupont"}, {"@type": "Person", "name": "Marie Curie"}]})
    assert extract_article(page(head=head), URL).author == "Jean Dupont, Marie Curie"


def test_the_author_meta_tags_complete_a_json_ld_that_names_fewer_people():
    head = (json_ld({"@type": "NewsArticle", "url": URL, "author": {"@type": "Person", "name": "Marie Curie"}})
            + '<meta name="author" content="Jean Dupont"><meta name="author" content="Marie Curie">')
    assert extract_article(page(head=head), URL).author == "Jean Dupont, Marie Curie"


# --- 4. Another article's author is not picked -----------------------------------------------------

MOST_READ = """<aside><h2>Les plus lus</h2><article><h3><a href="/marche">Le marché déménage</a></h3>
<p class="byline">Par Paul Autre</p></article></aside>"""
RELATED = """<div class="related-posts"><h2>À lire aussi</h2><div class="post"><a href="/marche">Le marché déménage</a>
<span class="author">Paul Autre</span></div></div>"""
RECENT_COMMENTS = """<div id="recent-comments-2" class="widget widget_recent_comments"><ul><li class="recentcomments">
<span class="comment-author-link">Вера Смирнова</span> к записи <a href="/x">Другая статья</a></li></ul></div>"""


@pytest.mark.parametrize("elsewhere", [MOST_READ, RELATED, RECENT_COMMENTS])
def test_a_byline_in_a_sidebar_is_not_the_articles(elsewhere):
    for where in ({"before": elsewhere}, {"after": elsewhere}):
        result = extract_article(page(**where), URL)
        assert result.author is None and "no author found" in result.warnings


def test_a_page_layout_named_for_its_sidebar_still_holds_the_articles_own_byline():
    result = extract_article(page('<p class="byline">Par Jean Dupont</p>', layout="page one-sidebar"), URL)
    assert result.author == "Jean Dupont"


def test_the_byline_inside_the_article_wins_over_one_earlier_in_the_page():
    result = extract_article(page('<p class="byline">Par Jean Dupont</p>', before=MOST_READ), URL)
    assert result.author == "Jean Dupont"


def test_the_json_ld_of_the_pages_own_article_is_read_not_its_neighbours():
    related = {"@type": "NewsArticle", "url": "https://thearmtimes.am/fr/marche/", "headline": "Le marché déménage",
               "author": {"@type": "Person", "name": "Paul Autre"}}
    own = {"@type": "NewsArticle", "mainEntityOfPage": {"@id": URL}, "headline": "Le pont de Valmont rouvre",
           "author": {"@id": "https://thearmtimes.am/#/person/jd"}}
    person = {"@type": "Person", "@id": "https://thearmtimes.am/#/person/jd", "name": "Jean Dupont"}
    head = json_ld({"@context": "https://schema.org", "@graph": [related, own, person]})
    assert extract_article(page(head=head, before=MOST_READ), URL).author == "Jean Dupont"
    # Found by its headline as well as by its address:
    own.pop("mainEntityOfPage")
    head = json_ld({"@context": "https://schema.org", "@graph": [related, own, person]})
    assert extract_article(page(head=head), "https://elsewhere.example/copie").author == "Jean Dupont"


# --- 5. A byline naming the publication credits the outlet --------------------------------------

OUTLET = outlet_keys(["TheArmTimes", "https://thearmtimes.am/"])


@pytest.mark.parametrize("raw", ["Par TheArmTimes", "By The Arm Times", "Автор: TheArmTimes", "Հեղինակ՝ TheArmTimes",
                                 "بقلم TheArmTimes", "THEARMTIMES", "thearmtimes.am", "Par TheArmTimes avec AFP"])
def test_a_byline_naming_the_outlet_credits_it_and_names_nobody(raw):
    byline = read_byline(raw, OUTLET)
    assert byline.names == () and byline.outlet and byline.credits_outlet


@pytest.mark.parametrize("desk", ["Rédaction", "La rédaction", "Par la Rédaction", "Redaktion", "Редакция",
                                  "Խմբագրություն", "التحرير", "编辑部", "Staff", "Editorial", "TheArmTimes Staff"])
def test_the_newsrooms_desk_credits_the_outlet_too(desk):
    byline = read_byline(desk, OUTLET)
    assert byline.names == () and byline.credits_outlet


def test_a_person_named_beside_the_outlet_is_kept_and_the_outlet_is_not():
    assert read_byline("Par Jean Dupont, TheArmTimes", OUTLET).names == ("Jean Dupont",)
    assert read_byline("Jean Dupont", OUTLET).names == ("Jean Dupont",)


WORDPRESS_PARTNER = page(
    '<div class="entry-meta"><span class="byline"><span class="author vcard">Par <a class="url fn n" '
    'href="https://thearmtimes.am/author/thearmtimes/">TheArmTimes</a></span></span> '
    '<span class="posted-on"><time datetime="2026-03-02T10:00:00+04:00">2 mars 2026</time></span></div>',
    sitename="TheArmTimes",
    head=json_ld({"@context": "https://schema.org", "@graph": [
        {"@type": "Article", "@id": URL + "#article", "headline": "Le pont de Valmont rouvre",
         "author": {"@id": "https://thearmtimes.am/#/schema/person/1a2b"},
         "publisher": {"@id": "https://thearmtimes.am/#organization"}, "datePublished": "2026-03-02T10:00:00+04:00"},
        {"@type": "Person", "@id": "https://thearmtimes.am/#/schema/person/1a2b", "name": "TheArmTimes"},
        {"@type": "Organization", "@id": "https://thearmtimes.am/#organization", "name": "TheArmTimes"}]})
    + '<meta name="author" content="TheArmTimes">',
)


def test_a_wordpress_partner_page_by_the_outlet_has_no_author():
    result = extract_article(WORDPRESS_PARTNER, URL)
    assert result.author is None and result.sitename == "TheArmTimes"
    assert "no author found" not in result.warnings  # the byline was read: it credits the outlet


def test_the_wordpress_partner_page_imports_credited_to_the_outlet_with_no_author(partner, client, editor):
    partner.server.html("/fr/2026/03/pont-valmont/", WORDPRESS_PARTNER)
    outcome = pipeline.import_url(partner.url("/fr/2026/03/pont-valmont/"), language="fr")

    assert outcome.status == "new", outcome.reason
    article = Article.objects.get()
    assert article.source == Source.objects.get() and article.source.name == "TheArmTimes"
    assert article.author is None and credited_authors(article) == [] and Author.objects.count() == 0
    article.status = Article.Status.PUBLISHED
    article.save()
    response = client.get(article.get_absolute_url())
    byline = lxml.html.fromstring(response.content).cssselect(".byline")[0]
    assert "Par TheArmTimes" in " ".join(byline.text_content().split())


def test_a_feed_byline_naming_the_chosen_source_makes_no_author(db):
    source = Source.objects.create(name="TheArmTimes", url="https://thearmtimes.am/")
    by_outlet = Candidate(headline="Le pont", body_html="<p>x</p>", text="x", origin="feed", author="TheArmTimes")
    assert authors_for(by_outlet, source) == []
    by_two = Candidate(headline="Le pont", body_html="<p>x</p>", text="x", origin="feed",
                       author="Jean Dupont, Marie Curie, The Arm Times")
    assert [a.name for a in authors_for(by_two, source)] == ["Jean Dupont", "Marie Curie"]
    assert {a.source for a in Author.objects.all()} == {source}


def test_an_imported_story_by_two_people_credits_both_in_order_on_its_page(partner, client):
    html = page('<p class="byline">Par Jean Dupont et Marie Curie</p>', sitename="Partner Daily")
    partner.server.html("/fr/pont", html)
    article = pipeline.import_url(partner.url("/fr/pont"), language="fr").article

    assert article.author.name == "Jean Dupont"
    assert [a.name for a in credited_authors(article)] == ["Jean Dupont", "Marie Curie"]
    assert {a.source.name for a in Author.objects.all()} == {"Partner Daily"}
    article.status = Article.Status.PUBLISHED
    article.save()
    byline = lxml.html.fromstring(client.get(article.get_absolute_url()).content).cssselect(".byline")[0]
    assert "Par Jean Dupont et Marie Curie, Partner Daily" in " ".join(byline.text_content().split())
