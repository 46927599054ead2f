"""The test suite's settings: base, read from the environment as in production, then each override
a test run needs, with its reason. pytest uses this module (pyproject.toml, DJANGO_SETTINGS_MODULE).

Tests that start `babelpress` in a subprocess as an operator would (tests/test_cli.py ``run_env``)
leave DJANGO_SETTINGS_MODULE and the BABELPRESS_* variables set here out of its environment.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Defaults for variables base derives other settings from (an explicit variable still wins):
# the suite must never write into the user's own data folder (~/.local/share/babelpress);
os.environ.setdefault("BABELPRESS_DATA_DIR", str(Path(tempfile.gettempdir()) / "babelpress-tests"))
# base refuses to start without a secret key, and nothing a test signs is worth protecting;
os.environ.setdefault("BABELPRESS_SECRET_KEY", "insecure-test-key-do-not-use-in-production")
# Django's test client speaks plain HTTP (tests/test_https_settings.py turns HTTPS on to test it).
os.environ.setdefault("BABELPRESS_HTTPS", "0")

from babelpress.settings.base import *  # noqa: E402,F403

# Memory, not files: nothing cached outlives the test process or leaks into the next run.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "babelpress"}}
# Tests check what is rendered; tests/test_page_cache.py turns the page cache on where it is the subject.
BABELPRESS_PAGE_CACHE = False
# The suite runs without `collectstatic`: static files are found in the apps' folders instead.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# ... and WhiteNoise serves them from there (live-server and browser tests load the stylesheet).
WHITENOISE_USE_FINDERS = True
