"""Failed admin log-ins lock the account and the address for a while (BABELPRESS_LOGIN_*).

No real waiting: time passing is the failures' recorded time moved back (what django-axes compares
with the lock-out duration).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.utils import translation

from babelpress.client_address import client_address
from babelpress.core.login_lockout import lockout_message

LOGIN = "/admin/login/"
ALICE, BOB = "203.0.113.10", "198.51.100.20"


@pytest.fixture(autouse=True)
def throttle(settings, db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, for tests only
    settings.BABELPRESS_LOGIN_FAILURE_LIMIT = 3
    settings.BABELPRESS_LOGIN_LOCKOUT_MINUTES = 15
    User = get_user_model()
    User.objects.create_superuser("editor", "editor@news.example", "right-password")
    User.objects.create_superuser("reporter", "reporter@news.example", "reporter-password")


def attempt(username, password, address=ALICE, language="en", **headers):
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language, **headers)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    response.logged_in = "_auth_user_id" in client.session
    return response


def fail(times, username="editor", address=ALICE, **headers):
    for _ in range(times):
        attempt(username, "wrong", address, **headers)


def time_passes(minutes):
    for row in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=row.attempt_time - timedelta(minutes=minutes))


def is_locked_out(response) -> bool:
    return response.status_code == 429 and not response.logged_in


def test_below_the_limit_a_wrong_password_is_just_wrong():
    fail(2)
    response = attempt("editor", "right-password")
    assert response.status_code == 302 and response.logged_in


def test_the_limit_locks_the_account_and_the_right_password_is_then_refused_with_the_reason():
    first, second, third = (attempt("editor", "wrong") for _ in range(3))
    assert first.status_code == second.status_code == 200  # the usual "wrong password" page
    assert is_locked_out(third)
    response = attempt("editor", "right-password")
    assert is_locked_out(response)
    page = response.content.decode()
    assert lockout_message() in page and "15 minutes" in page
    assert 'id="login-form"' in page and 'value="editor"' in page  # still the login page, name kept
    assert "Please enter the correct" not in page


def test_the_lock_out_page_speaks_the_interface_language():
    fail(3)
    response = attempt("editor", "right-password", language="fr")
    with translation.override("fr"):
        expected = lockout_message()
    page = response.content.decode()
    assert is_locked_out(response) and expected in page and '<html lang="fr"' in page


def test_the_account_is_locked_from_every_address():
    for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        attempt("editor", "wrong", address)
    assert is_locked_out(attempt("editor", "right-password", BOB))
    assert attempt("reporter", "reporter-password", BOB).logged_in  # other accounts are not


def test_the_address_is_locked_for_every_account():
    for username in ("editor", "reporter", "nobody"):
        attempt(username, "wrong", ALICE)
    assert is_locked_out(attempt("reporter", "reporter-password", ALICE))
    assert attempt("reporter", "reporter-password", BOB).logged_in  # other addresses are not


def test_the_lock_expires_after_the_configured_minutes(settings):
    settings.BABELPRESS_LOGIN_LOCKOUT_MINUTES = 30
    fail(3)
    time_passes(29)
    assert is_locked_out(attempt("editor", "right-password"))
    time_passes(2)
    assert attempt("editor", "right-password").logged_in


def test_attempts_during_the_lock_are_refused_without_extending_it():
    fail(3)
    time_passes(10)
    fail(5)
    assert is_locked_out(attempt("editor", "right-password"))
    time_passes(6)
    assert attempt("editor", "right-password").logged_in


def test_a_successful_log_in_forgets_that_accounts_failures():
    fail(2)
    assert attempt("editor", "right-password").logged_in
    fail(2)
    assert attempt("editor", "right-password").logged_in
    fail(3)
    assert is_locked_out(attempt("editor", "right-password"))


def test_logging_in_to_another_account_does_not_forget_an_attack_on_this_one():
    fail(2, "editor", ALICE)
    assert attempt("reporter", "reporter-password", ALICE).logged_in
    assert is_locked_out(attempt("editor", "wrong", ALICE))


def test_the_failure_limit_is_a_setting(settings):
    settings.BABELPRESS_LOGIN_FAILURE_LIMIT = 6
    fail(5)
    assert attempt("editor", "right-password").logged_in


def test_a_forged_forwarded_header_is_ignored_unless_a_proxy_is_configured():
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        attempt(f"user{forged}", "wrong", ALICE, HTTP_X_FORWARDED_FOR=forged)
    assert is_locked_out(attempt("reporter", "reporter-password", ALICE, HTTP_X_FORWARDED_FOR="192.0.2.9"))


def test_behind_a_proxy_each_client_is_counted_by_the_address_the_proxy_saw(settings):
    settings.BABELPRESS_CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = "127.0.0.1"
    for name in ("a", "b", "c"):  # one client, forging what comes before the proxy's entry
        attempt(name, "wrong", proxy, HTTP_X_FORWARDED_FOR=f"10.9.9.{ord(name)}, {ALICE}")
    assert is_locked_out(attempt("reporter", "reporter-password", proxy, HTTP_X_FORWARDED_FOR=ALICE))
    assert attempt("reporter", "reporter-password", proxy, HTTP_X_FORWARDED_FOR=BOB).logged_in


def request_from(peer, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=peer, **headers)


@pytest.mark.parametrize("header, count, value, expected", [
    ("", 1, f"{BOB}", ALICE),  # no proxy configured: the TCP peer, whatever the header says
    ("X-Forwarded-For", 1, f"10.0.0.1, {BOB}", BOB),  # the entry our proxy appended
    ("X-Forwarded-For", 2, f"10.0.0.1, {BOB}, 192.0.2.50", BOB),  # two proxies of ours
    ("X-Forwarded-For", 2, f"{BOB}", ALICE),  # fewer entries than our proxies: not believed
    ("X-Forwarded-For", 1, "unknown", ALICE),  # not an address
    ("X-Forwarded-For", 1, "'; DROP TABLE users; --", ALICE),
    ("X-Real-IP", 1, "2001:db8::7", "2001:db8::7"),
    ("X-Real-IP", 1, "[2001:db8::7]:4431", "2001:db8::7"),
    ("X-Real-IP", 1, f"{BOB}:51234", BOB),
    ("HTTP_X_REAL_IP", 1, BOB, BOB),  # the request.META spelling works too
])
def test_the_client_address(settings, header, count, value, expected):
    settings.BABELPRESS_CLIENT_IP_HEADER = header
    settings.BABELPRESS_TRUSTED_PROXY_COUNT = count
    key = "HTTP_" + header.upper().replace("-", "_").removeprefix("HTTP_") if header else "HTTP_X_FORWARDED_FOR"
    assert client_address(request_from(ALICE, **{key: value})) == expected


def test_scripts_that_authenticate_without_a_request_are_not_throttled(client):
    fail(3)
    assert client.login(username="editor", password="right-password")  # no request: no address to count
