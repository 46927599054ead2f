"""The byline a page gives its own article, and the names the page gives itself.

A page shows other stories' bylines too: related articles in a sidebar, a "most read" box, teasers
in its JSON-LD. The article's own byline is looked for where it belongs, the first found first:

1. the JSON-LD of the page's main entity: the Article (NewsArticle, BlogPosting …) whose address
   or headline is the page's, else the only one there is (authors given by ``@id`` are followed);
2. the page's author meta tags (``author``, ``article:author``, ``parsely-author`` …): they speak
   for the page;
3. the byline markup (``rel="author"``, ``itemprop="author"``, class "byline", "author" …) inside
   the article's container — the ``<article>``, ``<main>`` or Article-typed element around the
   headline — leaving out asides, related lists, comments and other articles nested in it;
4. trafilatura's finding, each name kept only where the page shows it outside such places.

A candidate naming only the outlet or site furniture gives way to the next; when none names a
person and one credited the outlet ("Par TheArmTimes", "Rédaction"), the outlet is credited: the
article's source, no author (bylines.py, outlets.py).
"""

from __future__ import annotations

import copy
import re
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from .bylines import Byline, read_byline
from .metadata import _json_ld_objects
from .outlets import names_outlet, outlet_keys

_META_AUTHORS = frozenset({"author", "article:author", "og:article:author", "parsely-author", "sailthru.author",
                           "dc.creator", "dcterms.creator", "citation_author", "byl"})
_META_SITE = ("og:site_name", "application-name", "publisher", "dc.publisher")  # not twitter:site: often a person's
_BYLINE_MARK = re.compile(r"byline|author|writer|posted-?by|submitted-?by|journalist|reporter|zuozhe|\bvcard\b",
                          re.IGNORECASE)
# Where other stories and their people are: never the article's own byline.
_ELSEWHERE_TAGS = frozenset({"aside", "nav", "figure", "figcaption", "blockquote", "form"})
_ELSEWHERE_MARK = re.compile(r"related|sidebar|recommend|more-?stories|popular|trending|most-?read|comment|teaser|"
                             r"newsletter|promo|share|social", re.IGNORECASE)
_FURNITURE_MARK = re.compile(
    r"\b(?:category|categories|tag|tags|date|time|comments?|rubrique|thema)\b|/(?:category|tag|tags)/", re.IGNORECASE)
_LONGEST_BYLINE = 300  # characters: an element holding more is a box around the byline, not one


def _kinds(item: dict) -> list[str]:
    kind = item.get("@type")
    return [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]


def _is_article(item: dict) -> bool:
    return any(k.endswith(("Article", "Posting")) or k == "Report" for k in _kinds(item))


def _address(url) -> str:
    """An address reduced for comparison: no scheme, "www.", query, fragment or final slash."""
    if not isinstance(url, str):
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    return f"{(parts.hostname or '').removeprefix('www.')}{parts.path.rstrip('/')}"


def _words(text) -> str:
    return " ".join(re.findall(r"\w+", text.casefold())) if isinstance(text, str) else ""


def _same_headline(a, b) -> bool:
    a, b = _words(a), _words(b)
    return bool(a and b) and (a == b or (min(len(a), len(b)) >= 20 and (a in b or b in a)))


def _json_ld(tree: HtmlElement) -> tuple[list[dict], dict[str, dict]]:
    """Every JSON-LD object (with the main entity nested in a WebPage), and those with an ``@id``."""
    items = []
    for item in _json_ld_objects(tree):
        items.append(item)
        nested = item.get("mainEntity")
        items += [n for n in (nested if isinstance(nested, list) else [nested]) if isinstance(n, dict)]
    return items, {item["@id"]: item for item in items if isinstance(item.get("@id"), str)}


def _main_entity(items: list[dict], addresses: set[str], headline: str) -> dict | None:
    articles = [item for item in items if _is_article(item)] or [
        item for item in items if any(k.endswith("Page") for k in _kinds(item)) and item.get("author")]
    for article in articles:
        own = article.get("mainEntityOfPage")
        own = own.get("@id") if isinstance(own, dict) else own
        if addresses & ({_address(article.get(key)) for key in ("url", "@id")} | {_address(own)}):
            return article
    for article in articles:
        if _same_headline(article.get("headline") or article.get("name"), headline):
            return article
    return articles[0] if len(articles) == 1 else None


def _resolved(item, by_id: dict[str, dict]):
    if isinstance(item, dict) and isinstance(item.get("@id"), str) and not item.get("name"):
        return by_id.get(item["@id"], item)
    return item


def _person_names(entity: dict, by_id: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(people, organisations) the entity names as its author or creator."""
    people, organisations = [], []
    credited = entity.get("author") or entity.get("creator")
    for author in credited if isinstance(credited, list) else [credited]:
        author = _resolved(author, by_id)
        if isinstance(author, str):
            people.append(author)
            continue
        if not isinstance(author, dict):
            continue
        name = author.get("name")
        if isinstance(name, list):
            name = "; ".join(n for n in name if isinstance(n, str))
        elif isinstance(name, dict):
            name = name.get("name")
        if not name and isinstance(author.get("familyName"), str):
            name = f"{author.get('givenName') or ''} {author['familyName']}".strip()
        if isinstance(name, str) and name.strip():
            kinds = _kinds(author)
            (organisations if kinds and "Person" not in kinds else people).append(name)
    return people, organisations


def _own_names(tree: HtmlElement, items: list[dict], by_id: dict[str, dict], entity: dict | None) -> list[str]:
    """What the page calls itself: site name meta tags, JSON-LD publisher and WebSite names."""
    names = []
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        if key in _META_SITE and element.get("content"):
            names.append(element.get("content"))
    publishers = [item.get("publisher") for item in items if _is_article(item)]
    publishers += [entity.get("publisher")] if entity else []
    for item in [_resolved(p, by_id) for p in publishers] + [i for i in items if "WebSite" in _kinds(i)]:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            names.append(item["name"])
        elif isinstance(item, str):
            names.append(item)
    return names


def _meta_authors(tree: HtmlElement) -> str:
    found = []
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        content = (element.get("content") or "").strip()
        if key in _META_AUTHORS and content and content not in found:
            found.append(content)
    return "; ".join(found)


def _headline_element(tree: HtmlElement, headline: str):
    titles = list(tree.iter("h1"))
    only = titles[0] if len(titles) == 1 else None
    return next((h for h in titles if _same_headline(h.text_content(), headline)), only)


def _is_container(element) -> bool:
    kind = element.get("itemtype") or ""
    return (element.tag in ("article", "main") or element.get("role") in ("main", "article")
            or kind.endswith(("Article", "Posting")))


def article_container(tree: HtmlElement, headline: str):
    """The element holding the article: the nearest <article>, <main> or Article-typed element
    around its headline, else the page's only <article>; None when the page does not say."""
    title = _headline_element(tree, headline)
    if title is not None:
        container = next((a for a in title.iterancestors() if _is_container(a)), None)
        if container is not None:
            return container
    articles = list(tree.iter("article"))
    return articles[0] if len(articles) == 1 else None


def main_path(tree: HtmlElement, container, headline: str) -> frozenset:
    """The article's container (else its headline) and every element around it: a box that holds
    the article is the page's layout, whatever its class says ("one-sidebar", "widget-wrap")."""
    anchor = container if container is not None else _headline_element(tree, headline)
    if anchor is None:
        return frozenset({tree, *tree.iter("body")})
    return frozenset({anchor, *anchor.iterancestors()})


def _elsewhere(element, path: frozenset) -> bool:
    """Whether ``element`` sits in an aside, a related list, comments, or another article: in such
    a place below the article's ``main_path``."""
    for node in (element, *element.iterancestors()):
        if node in path:
            return False
        if node.tag in _ELSEWHERE_TAGS or (node.tag == "article" and node is not element):
            return True
        if _ELSEWHERE_MARK.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
    return False


def _marked_bylines(container, path: frozenset):
    """The texts of the byline markup inside ``container``, in page order."""
    for element in container.iter():
        if not isinstance(element.tag, str):
            continue
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if not ("author" in (element.get("rel") or "").split() or "author" in (element.get("itemprop") or "").split()
                or element.tag == "address" or _BYLINE_MARK.search(marks)):
            continue
        if element.tag == "meta":
            yield element.get("content") or ""
        elif len(element.text_content()) <= _LONGEST_BYLINE and not _elsewhere(element, path):
            yield _without_furniture(element)


def _without_furniture(element) -> str:
    """The byline element's markup without what sits beside the names in it: times, category and
    tag links, comment counts."""
    element = copy.deepcopy(element)
    for node in list(element.iterdescendants()):
        marks = f"{node.get('class') or ''} {node.get('id') or ''} {node.get('rel') or ''} {node.get('href') or ''}"
        if node.getparent() is not None and (node.tag == "time" or _FURNITURE_MARK.search(marks)):
            node.drop_tree()  # its tail stays: "<time>…</time> par Jean Dupont"
    return etree.tostring(element, encoding="unicode", with_tail=False)


def _shown_here(name: str, tree: HtmlElement, path: frozenset) -> bool:
    """Whether the page names ``name`` for itself (in its head, its scripts' data) or shows it
    outside asides, related lists and other articles."""
    for variant in {name, name.upper()}:
        for text in tree.xpath("//text()[contains(normalize-space(translate(., '\u00a0', ' ')), $name)]", name=variant):
            owner = text.getparent()
            if owner is not None and (owner.tag == "script" or next(owner.iterancestors("head"), None) is not None
                                      or not _elsewhere(owner, path)):
                return True
    return False


def _more_of_them(byline: str, people: list[str], keys: frozenset[str]) -> bool:
    """Whether ``byline`` names everyone in ``people`` and more."""
    theirs = {n.casefold() for n in read_byline("; ".join(people), keys).names}
    ours = {n.casefold() for n in read_byline(byline, keys).names}
    return bool(theirs) and theirs < ours


def main_byline(tree: HtmlElement, *, found_author: str | None, sitename: str | None, url: str | None,
                canonical: str | None, headline: str) -> Byline:
    """The byline of the page's own article. ``found_author`` is trafilatura's byline, ``sitename``
    its site name; ``url`` and ``canonical`` the page's addresses."""
    items, by_id = _json_ld(tree)
    entity = _main_entity(items, {_address(u) for u in (url, canonical) if u} - {""}, headline)
    keys = outlet_keys([*_own_names(tree, items, by_id, entity), sitename, url, canonical])
    people, organisations = _person_names(entity, by_id) if entity else ([], [])
    container = article_container(tree, headline)
    path = main_path(tree, container, headline)
    # An organisation credited as the author is no person: the outlet, else a last resort (an agency).
    outlet = next((o for o in organisations if names_outlet(o, keys)), "")
    others = "; ".join(o for o in organisations if not names_outlet(o, keys))

    def candidates():
        meta = _meta_authors(tree)
        if people and _more_of_them(meta, people, keys):
            yield meta  # the same people and co-authors the JSON-LD leaves out
        yield "; ".join(people)
        yield meta
        if container is not None:
            yield from _marked_bylines(container, path)
        found = read_byline(found_author, keys)
        yield "; ".join(n for n in found.names if _shown_here(n, tree, path)) if found.names else found_author
        yield others

    desk = ""
    for raw in candidates():
        byline = read_byline(raw, keys)
        if byline.names:
            return byline
        outlet, desk = outlet or byline.outlet, desk or byline.desk
    return Byline((), outlet, desk)
