"""Django settings for Babelpress: everything here is read from the environment (docs/settings.md).

``DJANGO_SETTINGS_MODULE=babelpress.settings`` (what operators set, and what the `babelpress` command
and wsgi.py default to) is this module; the test suite layers babelpress.settings.test on top of it.
There is no "am I under test?" branch here: a test override lives in test.py, with its reason.

Every ``BABELPRESS_*`` variable read here is documented in docs/settings.md (a test checks it), and
each is parsed by babelpress.settings.environment, so a bad value stops start-up with one message
naming the variable and showing a value that works.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from babelpress import datadir
from babelpress.ingest.ssrf import parse_allow_private
from babelpress.site import icons
from babelpress.languages import describe, parse_codes
from babelpress.settings.environment import (
    env_bool,
    env_choice,
    env_counts,
    env_int,
    env_list,
    env_seconds,
    env_str,
    invalid,
    is_set,
    raw,
)
from babelpress.settings.engines import translation_engines
from babelpress.settings.import_sources import import_sources

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("BABELPRESS_DEBUG", False)

# BABELPRESS_DATA_DIR, else ~/.local/share/babelpress: the same folder the `babelpress` command prepares.
DATA_DIR = datadir.data_dir()

SECRET_KEY = env_str("BABELPRESS_SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "BABELPRESS_SECRET_KEY is not set. With BABELPRESS_DEBUG off, set it to a long random value; for "
            "example BABELPRESS_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "`babelpress demo` creates one for you in the data folder."
        )

ALLOWED_HOSTS = env_list("BABELPRESS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BABELPRESS_CSRF_TRUSTED_ORIGINS", "")

# Absolute base URL used in canonical links, feeds, sitemaps and JSON-LD when no request is at hand.
SITE_URL = env_str("BABELPRESS_SITE_URL").strip().rstrip("/")
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise invalid("BABELPRESS_SITE_URL", SITE_URL, "is not an http(s) address", "https://news.example.org")
SITE_NAME = env_str("BABELPRESS_SITE_NAME", "Babelpress")

INSTALLED_APPS = [
    "babelpress.newsroom.admin_site.NewsroomAdminConfig",  # django.contrib.admin, hardened
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "babelpress.core.apps.BackgroundJobsConfig",  # django_tasks_db, with a translated name
    "axes",
    "simple_history",
    "django_prose_editor",  # the article body's editor (newsroom/body_editor.py)
    "babelpress.core",
    "babelpress.newsroom",
    "babelpress.site",
    "babelpress.translation",
    "babelpress.ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "babelpress.site.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets an article's revision name the person whose request saved it (newsroom/revisions.py).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # After ConditionalGet, so that its 304 check sees the compressed variant's ETag (site/compression.py).
    "babelpress.site.compression.CompressionMiddleware",
    # Last, as django-axes asks: turns a locked-out log-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "babelpress.urls"
WSGI_APPLICATION = "babelpress.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],  # every template lives in its app (templates/ of newsroom, site, translation, ingest)
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "babelpress.site.context_processors.site",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------


def parse_database_url(url: str) -> dict:
    # dj-database-url, not django-environ's db_url: the one already relied on, and its ValueError
    # lets the message below hide the password.
    try:
        return dj_database_url.parse(url, conn_max_age=env_int("BABELPRESS_DB_CONN_MAX_AGE", 60, minimum=0))
    except ValueError:
        shown = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)  # never echo a password
        raise ImproperlyConfigured(
            f"DATABASE_URL={shown!r} is not a database URL: use postgres://USER:PASSWORD@HOST:5432/NAME, "
            "or leave it empty for SQLite in the data folder."
        ) from None


DATABASE_URL = env_str("DATABASE_URL").strip()
if DATABASE_URL:
    DATABASES = {"default": parse_database_url(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "babelpress.sqlite3",
            # WAL lets the web server read while the worker writes; IMMEDIATE avoids lock upgrades.
            # One connection per worker thread, kept: opening SQLite and setting WAL per request costs.
            "CONN_MAX_AGE": env_int("BABELPRESS_DB_CONN_MAX_AGE", 60, minimum=0),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("BABELPRESS_CACHE_URL").strip()
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL:
    raise invalid("BABELPRESS_CACHE_URL", CACHE_URL, "is not a Redis URL (leave it empty for files in the data "
                  "folder)", "redis://127.0.0.1:6379/0")
else:
    # Files in the data folder: shared by every gunicorn worker and the job worker on this host,
    # so an edit in the admin makes cached pages stale everywhere at once.
    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Languages --------------------------------------------------------------------------------


def _languages(name: str, default: str) -> list[str]:
    value = env_str(name, default)
    codes = parse_codes(value)  # never empty: env_str gives the default for an empty value
    for code in codes:
        try:
            describe(code)  # a code CLDR does not know is refused now, not on the first page
        except ValueError:
            raise invalid(name, value, f"names {code!r}, which CLDR does not know (use ISO 639 codes)",
                          default) from None
    return codes


BABELPRESS_CONTENT_LANGUAGES = _languages("BABELPRESS_CONTENT_LANGUAGES", "fr,en,hy,ru,ar")
BABELPRESS_UI_LANGUAGES = _languages("BABELPRESS_UI_LANGUAGES", "en,fr,hy,ru,ar")
BABELPRESS_DEFAULT_LANGUAGE = env_choice(
    "BABELPRESS_DEFAULT_LANGUAGE", BABELPRESS_CONTENT_LANGUAGES[0], tuple(BABELPRESS_CONTENT_LANGUAGES)
)
# Every language Babelpress speaks: content languages first (each has a public URL prefix), then the
# interface-only ones (the admin may be used in them; the public site has no pages in them).
BABELPRESS_LANGUAGES = [
    describe(code) for code in dict.fromkeys(BABELPRESS_CONTENT_LANGUAGES + BABELPRESS_UI_LANGUAGES)
]

LANGUAGE_CODE = BABELPRESS_DEFAULT_LANGUAGE
LANGUAGES = [(lang.code, lang.name) for lang in BABELPRESS_LANGUAGES]
LANGUAGES_BIDI = [lang.code for lang in BABELPRESS_LANGUAGES if lang.bidi]
# Ours first; then what the packages we ship leave untranslated (babelpress/vendor_catalogs.py).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("BABELPRESS_TIME_ZONE", "Europe/Paris").strip()
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise invalid("BABELPRESS_TIME_ZONE", TIME_ZONE, "is not an IANA time zone name", "Europe/Paris") from None
# Every time shown with its zone ("14:05 CET"): Django's date formats plus the zone (settings/formats/).
# Readers see it as CLDR's name of the zone in their language, or its offset (site/times.py).
BABELPRESS_TIME_ZONE_LABEL = env_choice("BABELPRESS_TIME_ZONE_LABEL", "name", ("name", "offset", "none"))
FORMAT_MODULE_PATH = ["babelpress.settings.formats"]

# --- Public pages -----------------------------------------------------------------------------

# How long browsers and shared caches may keep a public page (Cache-Control max-age).
BABELPRESS_PAGE_MAX_AGE = env_int("BABELPRESS_PAGE_MAX_AGE", 300)
BABELPRESS_PAGE_SIZE = env_int("BABELPRESS_PAGE_SIZE", 12)
BABELPRESS_RELATED_COUNT = env_int("BABELPRESS_RELATED_COUNT", 4)
# Seconds a signed preview link works (babelpress/site/preview.py): three days.
BABELPRESS_PREVIEW_MAX_AGE = env_int("BABELPRESS_PREVIEW_MAX_AGE", 3 * 24 * 3600, minimum=60)
# Seconds between the worker's looks for scheduled articles whose time has come (newsroom/scheduling.py).
BABELPRESS_PUBLICATION_CHECK_SECONDS = env_int("BABELPRESS_PUBLICATION_CHECK_SECONDS", 15, minimum=1)
# Keep rendered public pages whole in the cache until content changes (see babelpress/site/cache.py).
BABELPRESS_PAGE_CACHE = env_bool("BABELPRESS_PAGE_CACHE", True)
# Remember the rendered HTML of each story (cards, article blocks) by the data it shows (site/memo.py).
BABELPRESS_FRAGMENT_MEMORY = env_bool("BABELPRESS_FRAGMENT_MEMORY", True)

# --- Translation ------------------------------------------------------------------------------

BABELPRESS_MODELS_DIR = Path(env_str("BABELPRESS_MODELS_DIR") or DATA_DIR / "models").expanduser()
# Where `babelpress translation available|install` read which models exist (the Argos index format, docs/engines.md).
BABELPRESS_MODEL_INDEX_URL = env_str(
    "BABELPRESS_MODEL_INDEX_URL", "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
).strip()
_index = urlsplit(BABELPRESS_MODEL_INDEX_URL)
if _index.scheme not in ("http", "https") or not _index.hostname:
    raise invalid("BABELPRESS_MODEL_INDEX_URL", BABELPRESS_MODEL_INDEX_URL, "is not an http(s) address",
                  "https://mirror.example.org/argospm/index.json")

# Engines in preference order: built-in ones from BABELPRESS_TRANSLATION_ENGINE and their own variables,
# others (a dotted CLASS with OPTIONS) as JSON in BABELPRESS_TRANSLATION_ENGINES. See settings/engines.py.
BABELPRESS_TRANSLATION_ENGINES = translation_engines(BABELPRESS_MODELS_DIR)


def _parse_pairs(value: str) -> dict[str, list[str]]:
    """'fr-en:deepl,local;*:local' -> {'fr-en': ['deepl', 'local'], '*': ['local']}."""
    pairs = {}
    for rule in filter(None, (r.strip() for r in value.split(";"))):
        pair, _, names = rule.partition(":")
        names = [n.strip() for n in names.split(",") if n.strip()]
        if not pair.strip() or not names:
            raise invalid("BABELPRESS_TRANSLATION_PAIRS", value, f"has a rule {rule!r} that is not PAIR:ENGINE,ENGINE",
                          "fr-en:deepl,local;*:local")
        pairs[pair.strip()] = names
    return pairs


BABELPRESS_TRANSLATION_PAIRS = _parse_pairs(env_str("BABELPRESS_TRANSLATION_PAIRS"))
# What happens to a machine translation: "review" (held for a human) or "publish" (live at once, labelled).
BABELPRESS_TRANSLATION_POLICY = env_choice("BABELPRESS_TRANSLATION_POLICY", "review", ("review", "publish"))
# Translate published originals into every content language automatically.
BABELPRESS_TRANSLATION_AUTO = env_bool("BABELPRESS_TRANSLATION_AUTO", True)
# Monthly character caps for paid engines: 'deepl=500000,openai=2000000'.
BABELPRESS_TRANSLATION_MONTHLY_CAPS = env_counts("BABELPRESS_TRANSLATION_MONTHLY_CAPS", "deepl=500000,openai=2000000")
BABELPRESS_TRANSLATION_MAX_ATTEMPTS = env_int("BABELPRESS_TRANSLATION_MAX_ATTEMPTS", 6, minimum=1)
# A running job's lease: its worker renews it every HEARTBEAT seconds; once it has run out (the
# worker crashed or was killed) the job is queued again. See babelpress/translation/leases.py.
BABELPRESS_TRANSLATION_LEASE_SECONDS = env_seconds("BABELPRESS_TRANSLATION_LEASE_SECONDS", 120)
BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS = env_seconds("BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS", 20)
if BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS * 2 > BABELPRESS_TRANSLATION_LEASE_SECONDS:
    raise ImproperlyConfigured(
        f"BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS ({BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS:g}) must be at most half "
        f"of BABELPRESS_TRANSLATION_LEASE_SECONDS ({BABELPRESS_TRANSLATION_LEASE_SECONDS:g}), so that one late "
        "renewal does not lose the lease: lower the heartbeat or lengthen the lease; for example "
        "BABELPRESS_TRANSLATION_LEASE_SECONDS=120 with BABELPRESS_TRANSLATION_HEARTBEAT_SECONDS=20"
    )

# --- Import ---------------------------------------------------------------------------------------

# true/false, or the networks the importer may reach besides the public internet: "10.1.2.0/24,192.168.0.7".
BABELPRESS_IMPORT_ALLOW_PRIVATE = parse_allow_private(raw("BABELPRESS_IMPORT_ALLOW_PRIVATE"))
# Largest page, feed or upload accepted, in bytes (also after gzip/deflate decoding).
BABELPRESS_IMPORT_MAX_BYTES = env_int("BABELPRESS_IMPORT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# Seconds to wait for a partner's server to connect or send the next bytes.
BABELPRESS_IMPORT_TIMEOUT = env_int("BABELPRESS_IMPORT_TIMEOUT", 10, minimum=1)
# Seconds one fetch may take in all (DNS, robots.txt, connecting, headers, redirects, body).
BABELPRESS_IMPORT_FETCH_BUDGET = env_int("BABELPRESS_IMPORT_FETCH_BUDGET", 60, minimum=1)
# User-Agent sent to partners; empty: "Babelpress/<version> (+https://github.com/babelpress)".
BABELPRESS_IMPORT_USER_AGENT = env_str("BABELPRESS_IMPORT_USER_AGENT").strip()
# Minutes between two polls of a newly followed feed (each feed can change its own).
BABELPRESS_IMPORT_DEFAULT_INTERVAL = env_int("BABELPRESS_IMPORT_DEFAULT_INTERVAL", 30, minimum=1)
# New or changed feed entries fetched per poll; the rest come in the next poll, minutes later.
BABELPRESS_IMPORT_MAX_ITEMS_PER_POLL = env_int("BABELPRESS_IMPORT_MAX_ITEMS_PER_POLL", 50, minimum=1)
# What the importer reads (an article page, an HTML file, a feed …): the built-in sources, and others
# (a dotted CLASS with OPTIONS) as JSON. See settings/import_sources.py and docs/architecture.md.
BABELPRESS_IMPORT_SOURCES = import_sources()

# --- Static files -----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("BABELPRESS_STATIC_ROOT") or DATA_DIR / "static").expanduser()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "media"}},
    "staticfiles": {
        # Hashed names let WhiteNoise serve them with a year-long cache; DEBUG skips collectstatic.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        # WhiteNoise's, with .br and .gz copies, made again only for files that changed (site/static_files.py).
        else "babelpress.site.static_files.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = DEBUG
# The icons are served at the root too, where browsers look unasked (/favicon.ico): site/icons.py.
WHITENOISE_ROOT = icons.FOLDER
WHITENOISE_ADD_HEADERS_FUNCTION = icons.root_file_headers

# --- Security ---------------------------------------------------------------------------------

# Off only for plain-HTTP set-ups such as the local demo; production sits behind TLS.
HTTPS = env_bool("BABELPRESS_HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("BABELPRESS_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("BABELPRESS_HSTS_SECONDS", 31536000, minimum=0)
    # Both bind more than this site, for months or years (docs/settings.md): the operator opts in.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BABELPRESS_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("BABELPRESS_HSTS_PRELOAD", False)
# Django's `check --deploy` asks about subdomains and preload (security.W005, W021) until the
# operator has answered, either way, in the environment.
SILENCED_SYSTEM_CHECKS = []
if is_set("BABELPRESS_HSTS_INCLUDE_SUBDOMAINS"):
    SILENCED_SYSTEM_CHECKS.append("security.W005")
if is_set("BABELPRESS_HSTS_PRELOAD"):
    SILENCED_SYSTEM_CHECKS.append("security.W021")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGIN_URL = "admin:login"

# --- Log-in throttling (django-axes; see babelpress/core/login_lockout.py) ----------------------

# Failed log-ins that lock an account, and an address, out; counted per account and per address.
BABELPRESS_LOGIN_FAILURE_LIMIT = env_int("BABELPRESS_LOGIN_FAILURE_LIMIT", 5, minimum=1)
# Minutes a lock-out lasts after the last failed attempt (attempts during it are refused, not counted).
BABELPRESS_LOGIN_LOCKOUT_MINUTES = env_int("BABELPRESS_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# Behind a reverse proxy: the header it puts the client's address in (e.g. X-Forwarded-For), and how
# many proxies of yours append to it. Unset: the TCP peer's address, since clients can forge headers.
BABELPRESS_CLIENT_IP_HEADER = env_str("BABELPRESS_CLIENT_IP_HEADER").strip()
BABELPRESS_TRUSTED_PROXY_COUNT = env_int("BABELPRESS_TRUSTED_PROXY_COUNT", 1, minimum=1)

AUTHENTICATION_BACKENDS = [
    "babelpress.core.login_lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = "babelpress.core.login_lockout.failure_limit"
AXES_COOLOFF_TIME = "babelpress.core.login_lockout.lockout_duration"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_LOCKOUT_CALLABLE = "babelpress.core.login_lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "babelpress.client_address.client_address"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False  # done per account by login_lockout.forget_failures
AXES_DISABLE_ACCESS_LOG = True  # no record of every successful log-in and its address
AXES_ENABLE_ADMIN = False  # unlock with `babelpress axes_reset_username NAME` / `axes_reset_ip ADDRESS`
AXES_VERBOSE = False

LOG_LEVEL = env_choice("BABELPRESS_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_traceback": {"()": "babelpress.core.logs.WithoutTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "refusals": {"class": "logging.StreamHandler", "filters": ["without_traceback"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Hostile requests (bad Host headers …) are refused with a 400: one line each, not a traceback.
        "django.security": {"handlers": ["refusals"], "propagate": False},
    },
}
