"""The newsroom's roles: Django groups made on every ``migrate``, with the permissions each needs.

| Role | May |
| --- | --- |
| Writer | write articles, edit their own drafts, submit them for review; read everything else |
| Editor | edit and publish every article; sections, tags, authors, sources, imports, feeds, translations |
| Translator | edit translations and review machine drafts in the languages assigned to them |
| Administrator | everything, people and their roles included |

A role is a group holding model permissions (``app_label.codename``): the newsroom grants those of
its models below, other apps those of theirs from their ``AppConfig.ready()`` (``grant``). What a
permission lets a person do to *which* article (their own draft, a translation in their language)
is decided in newsroom/permissions.py. docs/roles.md has the whole matrix, which
tests/roles/test_permission_matrix.py checks page by page.

``ensure_roles`` runs after every ``migrate`` (a post_migrate receiver connected in
NewsroomConfig.ready): it creates the groups a fresh install lacks and gives back to each group a
permission it lost; it never takes one away, so an administrator may widen a role in the admin.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

CRUD = ("add", "change", "delete", "view")


def model_permissions(app_label: str, models: str, actions=CRUD) -> tuple[str, ...]:
    """``("app.add_model", …)`` for each of the space-separated ``models`` and each action."""
    return tuple(f"{app_label}.{action}_{model}" for model in models.split() for action in actions)


@dataclass(frozen=True)
class Role:
    group: str  # the group's name, as stored (the admin shows it as it is)
    label: object  # the role's name in the reader's language
    everything: bool = False  # every permission there is, whichever app defines it

    def __str__(self) -> str:
        return str(self.label)

    def permissions(self) -> frozenset[str]:
        """What the role holds besides ``everything``: the newsroom's grants and other apps'."""
        return frozenset(_granted[self.group])


ROLES: dict[str, Role] = {
    "writer": Role("Writer", _("Writer")),
    "editor": Role("Editor", _("Editor")),
    "translator": Role("Translator", _("Translator")),
    "administrator": Role("Administrator", _("Administrator"), everything=True),
}
_granted: dict[str, set[str]] = {role.group: set() for role in ROLES.values()}


def grant(role: str, *permissions: str) -> None:
    """Give ``role`` (a key of ROLES) these permissions (``"app_label.codename"``); other apps
    call it from their ``AppConfig.ready()`` for their own models, as translation and ingest do."""
    _granted[ROLES[role].group].update(permissions)


NEWSROOM_READING = model_permissions("newsroom", "article section sectionname tag author source", ["view"])
grant("writer", *NEWSROOM_READING,
      *model_permissions("newsroom", "article", ["add", "change", "delete"]))  # their own drafts only
grant("editor", *model_permissions("newsroom", "article section sectionname tag author source"),
      "newsroom.publish_article", "newsroom.change_any_article",
      "django_tasks_database.view_dbtaskresult")  # the worker's task results, failed jobs among them
grant("translator", *NEWSROOM_READING,
      "newsroom.change_article", "newsroom.translate_article")  # translations in their languages only


def ensure_roles(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """Create the role groups that are missing and give each the permissions it lacks.

    Returns ``{group name: [permissions added]}`` (empty lists when all was in place). A
    permission no installed app defines is logged and skipped, so ``migrate`` never fails on it.
    """
    from django.contrib.auth.models import Group, Permission

    everything = {f"{p.content_type.app_label}.{p.codename}": p
                  for p in Permission.objects.using(using).select_related("content_type")}
    added: dict[str, list[str]] = {}
    for role in ROLES.values():
        group, _created = Group.objects.using(using).get_or_create(name=role.group)
        wanted = set(everything) if role.everything else set(role.permissions())
        unknown = sorted(wanted - set(everything))
        if unknown:
            log.warning("The %s role names permissions no installed app defines: %s", role.group, ", ".join(unknown))
        held = {f"{app}.{codename}" for app, codename in
                group.permissions.values_list("content_type__app_label", "codename")}
        missing = sorted((wanted & set(everything)) - held)
        if missing:
            group.permissions.add(*(everything[name] for name in missing))
        added[role.group] = missing
    return added


def after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: Django creates each app's permissions after that app's own
    post_migrate; every app's must exist before the groups get theirs, so create them first."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    ensure_roles(using)

