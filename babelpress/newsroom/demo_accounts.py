"""The demo's people, one per role (newsroom/roles.py), beside its superuser ``editor``: log in as
each to see the newsroom as a writer, an editor, a translator or an administrator sees it.

They share the demo editor's random password (kept in the data folder, never published); an
account whose password was changed since keeps it, and one that exists is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from babelpress.newsroom.language_assignments import LanguageAssignment
from babelpress.newsroom.roles import ROLES


@dataclass(frozen=True)
class Account:
    username: str
    role: str  # a key of roles.ROLES
    first_name: str
    last_name: str
    translates: bool = False  # assigned the site's languages but its default (at most two)

    @property
    def email(self) -> str:
        return f"{self.username}@example.org"


ACCOUNTS = (
    Account("writer", "writer", "Demo", "Writer"),
    Account("desk-editor", "editor", "Demo", "Desk Editor"),
    Account("translator", "translator", "Demo", "Translator", translates=True),
    Account("administrator", "administrator", "Demo", "Administrator"),
)


def translator_languages() -> list[str]:
    others = [code for code in settings.BABELPRESS_CONTENT_LANGUAGES if code != settings.BABELPRESS_DEFAULT_LANGUAGE]
    return others[-2:]


def ensure_accounts(password_file: Path) -> list[tuple[Account, str, bool]]:
    """Create the accounts that are missing; ``[(account, what it does, on the kept password)]``."""
    User = get_user_model()
    kept = password_file.read_text(encoding="utf-8").strip() if password_file.exists() else ""
    shown = []
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User.objects.create_user(account.username, account.email, kept or None, is_staff=True,
                                            first_name=account.first_name, last_name=account.last_name)
            user.groups.add(Group.objects.get(name=ROLES[account.role].group))
            for code in translator_languages() if account.translates else []:
                LanguageAssignment.objects.create(user=user, language=code)
        groups = ", ".join(user.groups.values_list("name", flat=True)) or "no role"
        codes = ", ".join(user.desk_languages.values_list("language", flat=True))
        what = f"{groups} ({codes})" if codes else groups
        shown.append((account, what, bool(kept) and user.check_password(kept)))
    return shown

