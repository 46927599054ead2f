import gzip, json, time, logging
logging.disable(logging.WARNING)
from pathlib import Path
C = Path("../shared/corpus/articles/extraction-benchmark")
truth = json.loads((C/"ground-truth.json").read_text())
from babelpress.ingest.extract import _load, _main_text
from babelpress.ingest.page_bylines import main_byline
data = []
for i in sorted(truth):
    tree = _load(gzip.decompress((C/"html"/f"{i}.html.gz").read_bytes()))
    doc = _main_text(tree, truth[i]["url"])
    data.append((tree, doc, truth[i]["url"]))
t = time.process_time()
for tree, doc, url in data:
    main_byline(tree, found_author=doc.author, sitename=doc.sitename, url=url, canonical=None, headline=doc.title or "")
print("ms/page", 1000 * (time.process_time() - t) / len(data))
