"""`babelpress roles` (list the roles and who holds them, repairing the groups) and
`babelpress roles assign USERNAME ROLE [--languages hy,ru]` (give a person a role)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from babelpress.newsroom.models import LanguageAssignment
from babelpress.newsroom.roles import ROLES, ensure_roles


class Command(BaseCommand):
    help = "The newsroom's roles (Writer, Editor, Translator, Administrator) and who holds them; see docs/roles.md."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        assign = sub.add_parser("assign", help="Give a person a role (and make them staff, so they can log in).")
        assign.add_argument("username")
        assign.add_argument("role", choices=sorted(ROLES))
        assign.add_argument("--languages", default="",
                            help="Comma-separated content languages a translator works in, e.g. hy,ru.")

    def handle(self, *args, action=None, **options):
        if action == "assign":
            self.assign(options["username"], options["role"], options["languages"])
        self.list_roles()

    def assign(self, username: str, role: str, codes: str) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}: create them first (`babelpress createsuperuser` for "
                               "an administrator, or Users → Add user in the admin), then assign the role.")
        languages = [code.strip() for code in codes.split(",") if code.strip()]
        unknown = [code for code in languages if code not in settings.BABELPRESS_CONTENT_LANGUAGES]
        if unknown:
            raise CommandError(f"{', '.join(unknown)} is not a content language of this site: choose among "
                               f"{', '.join(settings.BABELPRESS_CONTENT_LANGUAGES)} (BABELPRESS_CONTENT_LANGUAGES).")
        if role == "translator" and not languages and not user.desk_languages.exists():
            raise CommandError("A translator works in the languages assigned to them: add --languages, e.g. "
                               "--languages hy,ru.")
        with transaction.atomic():
            ensure_roles()
            user.groups.add(Group.objects.get(name=ROLES[role].group))
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            for code in languages:
                LanguageAssignment.objects.get_or_create(user=user, language=code)
        self.stdout.write(f"{username} is now in the {ROLES[role].group} role.")

    def list_roles(self) -> None:
        repaired = {group: added for group, added in ensure_roles().items() if added}
        for group, added in repaired.items():
            self.stdout.write(f"Repaired the {group} role: gave back {', '.join(added)}.")
        for role in ROLES.values():
            people = []
            for user in get_user_model().objects.filter(groups__name=role.group).order_by("username"):
                codes = ", ".join(user.desk_languages.values_list("language", flat=True))
                people.append(f"{user.username} ({codes})" if codes else user.username)
            self.stdout.write(f"{role.group}: {', '.join(people) or 'nobody'}")
