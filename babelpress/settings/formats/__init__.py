"""Date formats: Django's own for each interface language, with the site's time zone after every
time ("15 janvier 2026 14:05 CET"), so that the admin never shows a time without its zone
(BABELPRESS_TIME_ZONE, docs/settings.md). Django finds ``<language>/formats.py`` here through
``FORMAT_MODULE_PATH`` and takes what it does not define (dates alone, input formats) from its own
locale. A new interface language gets its folder here, with Django's date and time formats followed
by `` T`` (the zone's abbreviation); tests/newsroom/test_site_time_zone.py checks every one."""
