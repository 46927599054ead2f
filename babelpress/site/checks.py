"""Deployment checks for the public site (`babelpress check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs=None, **kwargs):
    if settings.DEBUG or settings.SITE_URL:
        return []
    return [
        Warning(
            "BABELPRESS_SITE_URL is not set: canonical links, hreflang, Open Graph and JSON-LD take "
            "their host from each request, and cached pages are kept once per host and port asked for.",
            hint="Set BABELPRESS_SITE_URL to the site's public address, e.g. "
            "BABELPRESS_SITE_URL=https://news.example.org",
            id="site.W001",
        )
    ]
