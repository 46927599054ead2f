"""Failed log-ins lock the account and the address for a while (django-axes, set up in settings).

django-axes counts failures in the database (AccessAttempt), so the count is shared by every gunicorn
worker on SQLite and PostgreSQL alike. What Babelpress adds:

* the limit and the lock-out duration come from BABELPRESS_LOGIN_FAILURE_LIMIT and
  BABELPRESS_LOGIN_LOCKOUT_MINUTES, read at each attempt;
* the refusal is the admin's own login page with a message in the reader's language (HTTP 429);
* a successful log-in forgets that account's failures only (axes' own reset would also forget every
  failure from the address, which would let anyone with an account reset an attack on another one);
* authenticate() without a request (scripts, Django's test client.login) is not throttled: there is
  no address to count, and no one on the network can call it.
"""

from __future__ import annotations

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def failure_limit(request, credentials=None) -> int:
    return settings.BABELPRESS_LOGIN_FAILURE_LIMIT


def lockout_duration(request=None) -> timedelta:
    return timedelta(minutes=settings.BABELPRESS_LOGIN_LOCKOUT_MINUTES)


def lockout_message() -> str:
    minutes = settings.BABELPRESS_LOGIN_LOCKOUT_MINUTES
    return ngettext(
        "Too many failed log-in attempts for this account or from this address. Logging in is blocked for "
        "%(minutes)d minute after the last attempt: try again later, or ask an administrator to unlock it.",
        "Too many failed log-in attempts for this account or from this address. Logging in is blocked for "
        "%(minutes)d minutes after the last attempt: try again later, or ask an administrator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The login page again, with the lock-out explained instead of "wrong password"."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name != "admin:login":
        return HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")
    from django.contrib import admin

    form = AdminAuthenticationForm(request, initial={"username": get_client_username(request, credentials) or ""})
    # An unbound form showing one error: binding it would authenticate (and count a failure) again.
    form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([lockout_message()], error_class="nonfield")})
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": "",
        "form": form,
        REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, "")),
    }
    return render(request, "admin/login.html", context, status=429)


def forget_failures(sender, request, user, **kwargs) -> None:
    """A successful log-in proves the password: that account starts again from zero failures."""
    if settings.AXES_ENABLED:
        AccessAttempt.objects.filter(username=user.get_username()).delete()


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out account or address before any password is checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
