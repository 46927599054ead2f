"""HTTPS commits only what the operator chose; `check --deploy` names what production still lacks."""

from __future__ import annotations

import runpy

import pytest
from django.core.checks import run_checks
from django.test import Client

import babelpress.settings.base

HSTS = ("BABELPRESS_HSTS_SECONDS", "BABELPRESS_HSTS_INCLUDE_SUBDOMAINS", "BABELPRESS_HSTS_PRELOAD")


def settings_module(monkeypatch, **env) -> dict:
    """The settings module's values for a production environment with ``env``."""
    for name in HSTS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BABELPRESS_HTTPS", "1")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(babelpress.settings.base.__file__)


def hsts_header(settings, module: dict) -> str:
    for name in ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"):
        setattr(settings, name, module[name])
    client = Client(HTTP_HOST="localhost")  # a new one: SecurityMiddleware reads settings when it starts
    return client.get("/", secure=True)["Strict-Transport-Security"]


def test_hsts_covers_this_host_for_a_year_and_commits_nothing_more_by_default(settings, monkeypatch):
    module = settings_module(monkeypatch)
    assert hsts_header(settings, module) == "max-age=31536000"
    # Until the operator answers, `check --deploy` asks about subdomains and preload.
    assert module["SILENCED_SYSTEM_CHECKS"] == []


def test_subdomains_and_preload_are_each_the_operators_choice(settings, monkeypatch):
    module = settings_module(monkeypatch, BABELPRESS_HSTS_INCLUDE_SUBDOMAINS="1", BABELPRESS_HSTS_PRELOAD="on")
    assert hsts_header(settings, module) == "max-age=31536000; includeSubDomains; preload"
    module = settings_module(monkeypatch, BABELPRESS_HSTS_SECONDS="300", BABELPRESS_HSTS_INCLUDE_SUBDOMAINS="yes")
    assert hsts_header(settings, module) == "max-age=300; includeSubDomains"


def test_an_answer_either_way_stops_the_deploy_check_asking(monkeypatch):
    module = settings_module(monkeypatch, BABELPRESS_HSTS_INCLUDE_SUBDOMAINS="0", BABELPRESS_HSTS_PRELOAD="0")
    assert module["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False and module["SECURE_HSTS_PRELOAD"] is False
    assert sorted(module["SILENCED_SYSTEM_CHECKS"]) == ["security.W005", "security.W021"]


def deploy_warnings() -> dict[str, str]:
    return {m.id: m.msg + " " + (m.hint or "") for m in run_checks(include_deployment_checks=True)}


@pytest.mark.parametrize(("debug", "site_url", "warned"), [
    (False, "", True),
    (False, "https://news.example.org", False),
    (True, "", False),  # a developer's machine: requests' own host is what they want
])
def test_deploy_check_warns_when_production_has_no_site_url(settings, debug, site_url, warned):
    settings.DEBUG, settings.SITE_URL = debug, site_url
    warnings = deploy_warnings()
    assert ("site.W001" in warnings) is warned
    if warned:
        assert "BABELPRESS_SITE_URL=https://" in warnings["site.W001"]
