"""A web worker loads what serving pages needs, and nothing of the importer or the translation engines.

A gunicorn worker starts Django (which imports every app's models and admin modules) and the URL
configuration, then serves pages. What those imports pull in stays in memory for the life of the
process, in every worker: importing datasketch alone brought scipy and numpy (0.4 s, tens of MB).
So the heavy libraries of the importer and of the engines are imported where they are used, and this
test holds every module to it: in a fresh process, as gunicorn runs it (`babelpress.wsgi`, the
production settings but for static files, a file database), it resolves every URL pattern, serves
every public page type and the admin's log-in page, and then looks at ``sys.modules``. Memory and
start-up time themselves are measured by bench/footprint.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .commands import REPO, run_env

#: The libraries a web worker never imports until a request needs them, and who needs them.
FORBIDDEN = {
    "scipy": "datasketch's LSH tables (the importer's dedup uses MinHash only)",
    "numpy": "comparing MinHash signatures (ingest/dedup.py)",
    "datasketch": "MinHash signatures of imported stories (ingest/dedup.py)",
    "trafilatura": "extracting an imported page (ingest/extract.py)",
    "lxml": "reading imported HTML, tables in a saved body (newsroom/body_tables.py), TBX glossaries; "
            "pages show bodies sanitised when saved (nh3 needs no lxml)",
    "htmldate": "dates of an imported page (through trafilatura)",
    "charset_normalizer": "the charset of a page that declares none (ingest/charsets.py)",
    "feedparser": "reading feeds (ingest/feeds.py)",
    "protego": "robots.txt (ingest/robots.py)",
    "httpx": "fetching for the importer (ingest/fetch.py), remote engines, model downloads",
    "httpcore": "the importer's connections (ingest/fetch.py)",
    "rich": "progress bars of the command line (and httpx's own command line)",
    "py3langid": "the language of an imported text (language_detection.py)",
    "ctranslate2": "the local translation engine (translation/engines/local_models.py)",
    "sentencepiece": "the local engine's tokenizers",
    "pysbd": "sentences of a text to translate (translation/sentences.py)",
    "Stemmer": "glossary terms in a text (translation/stemming.py)",
    "polib": "the vendor catalogs' maintenance (vendor_catalogs.py)",
}

SEED = """
import json
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
from babelpress.newsroom.models import Article, Section, SectionName, Tag
now = timezone.now()
news = Section.objects.create(key="news", position=1)
SectionName.objects.create(section=news, language="fr", name="Actualités")
SectionName.objects.create(section=news, language="en", name="News")
tag = Tag.objects.create(language="fr", name="Transports")
body = ("<h2>Deux ans de travaux</h2><p>Le pont a été reconstruit.</p>"
        "<table><caption>Trafic</caption><tr><th>Jour</th><th>Voitures</th></tr><tr><td>Lundi</td><td>1200</td></tr></table>")
story = Article.objects.create(language="fr", headline="Le pont rouvre", standfirst="Enfin.", body=body, section=news,
                               status="published", published_at=now - timedelta(hours=3))
story.tags.add(tag)
story.create_translation("en", headline="The bridge reopens", body="<p>At last.</p>", status="published",
                         published_at=now - timedelta(hours=2))
print(json.dumps({"home": "/fr/", "section": news.names.get(language="fr").get_absolute_url(),
                  "tag": tag.get_absolute_url(), "article": story.get_absolute_url(),
                  "translation": story.get_translation("en").get_absolute_url(),
                  "missing article": "/fr/article/nothing-here/", "missing page": "/nowhere/",
                  "root": "/", "admin log-in": "/admin/login/"}))
"""

SERVE = """
import gc, io, json, sys, threading
from wsgiref.util import setup_testing_defaults
from babelpress.wsgi import application
from django.db import connections
from django.urls import get_resolver

# What gunicorn's master holds when it forks its workers (--preload): nothing they must not share.
preloaded = {"open connections": [c.alias for c in connections.all() if c.connection is not None],
             "threads": threading.active_count(), "frozen objects": gc.get_freeze_count() > 0}

def resolve_all(resolver):
    for pattern in resolver.url_patterns:  # includes too: every module a URL names is imported
        if hasattr(pattern, "url_patterns"):
            resolve_all(pattern)
        else:
            pattern.callback

resolve_all(get_resolver())
statuses = {}
for kind, path in json.loads(sys.argv[1]).items():
    environ = {"PATH_INFO": path, "HTTP_HOST": "localhost", "HTTP_ACCEPT_LANGUAGE": "fr",
               "HTTP_ACCEPT_ENCODING": "gzip, br", "wsgi.errors": io.StringIO()}
    setup_testing_defaults(environ)
    answer = []
    body = b"".join(application(environ, lambda status, headers, exc_info=None: answer.append(status)))
    statuses[kind] = int(answer[0].split()[0])
print(json.dumps({"preloaded": preloaded, "statuses": statuses, "modules": sorted(sys.modules)}))
"""


def python(code: str, *args: str, env: dict) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    print(done.stderr[-3000:])  # what went wrong when a page is not answered as expected
    return done.stdout.strip().splitlines()[-1]


#: The production settings, but static files named as they are, not hashed: no collectstatic to wait
#: for (whitenoise compressing every file takes half a minute).
SETTINGS = """
from babelpress.settings.base import *  # noqa: F403
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""


def test_serving_every_page_type_imports_none_of_the_importers_or_engines_libraries(tmp_path):
    (tmp_path / "footprint_settings.py").write_text(SETTINGS)
    env = run_env(tmp_path, DJANGO_SETTINGS_MODULE="footprint_settings", PYTHONPATH=str(tmp_path),
                  BABELPRESS_HTTPS="0", BABELPRESS_SECRET_KEY="footprint-test-" + "k" * 40)
    (tmp_path / "data" / "static").mkdir(mode=0o700, parents=True)  # whitenoise looks for it
    seed = "import django; django.setup()\n" + SEED
    paths = json.loads(python(seed, env=env))

    served = json.loads(python(SERVE, json.dumps(paths), env=env))

    # Loaded as gunicorn's master loads it before forking: no connection or thread for workers to share,
    # and what loading made is frozen out of the garbage collector (which would write to shared pages).
    assert served["preloaded"] == {"open connections": [], "threads": 1, "frozen objects": True}
    assert served["statuses"] == {
        "home": 200, "section": 200, "tag": 200, "article": 200, "translation": 200,
        "missing article": 404, "missing page": 404, "root": 302, "admin log-in": 200,
    }
    loaded = {name.split(".")[0] for name in served["modules"]}
    assert {name: why for name, why in FORBIDDEN.items() if name in loaded} == {}
