import gzip, json, os, logging
logging.disable(logging.WARNING)
from pathlib import Path
C = Path("../shared/corpus/articles/extraction-benchmark")
truth = json.loads((C/"ground-truth.json").read_text())
from babelpress.ingest.extract import extract_article
for i in sorted(truth):
    html = gzip.decompress((C/"html"/f"{i}.html.gz").read_bytes())
    try:
        ex = extract_article(html, truth[i]["url"])
        print(i[:8], repr(ex.author), "| site:", repr(ex.sitename))
    except Exception as e:
        print(i[:8], "ERR", e)
