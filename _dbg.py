import gzip, json, sys, logging
logging.disable(logging.WARNING)
from pathlib import Path
C = Path("../shared/corpus/articles/extraction-benchmark")
truth = json.loads((C/"ground-truth.json").read_text())
from babelpress.ingest import page_bylines as pb
from babelpress.ingest.bylines import read_byline
from babelpress.ingest.extract import _load, _main_text, extract_article
from babelpress.ingest.outlets import outlet_keys
for prefix in sys.argv[1:]:
    i = next(k for k in truth if k.startswith(prefix))
    html = gzip.decompress((C/"html"/f"{i}.html.gz").read_bytes())
    tree = _load(html); doc = _main_text(tree, truth[i]["url"])
    ex = extract_article(html, truth[i]["url"])
    items, by_id = pb._json_ld(tree)
    entity = pb._main_entity(items, {pb._address(truth[i]["url"]), pb._address(ex.canonical_url)}, ex.headline)
    keys = outlet_keys([*pb._own_names(tree, items, by_id, entity), doc.sitename, truth[i]["url"]])
    print("==", prefix, "headline:", ex.headline[:60], "keys:", keys)
    print("  entity:", entity and entity.get("@type"), entity and pb._person_names(entity, by_id), "articles:", len([x for x in items if pb._is_article(x)]))
    print("  meta:", repr(pb._meta_authors(tree)))
    c = pb.article_container(tree, ex.headline); path = pb.main_path(tree, c, ex.headline)
    print("  container:", c is not None and (c.tag, c.get("class")))
    if c is not None:
        for raw in list(pb._marked_bylines(c, path))[:6]:
            from babelpress.html_text import html_to_text
            print("   dom:", repr(html_to_text(raw)[:100]), read_byline(raw, keys))
    print("  traf:", repr(doc.author), read_byline(doc.author, keys))
    print("  ->", ex.author)
