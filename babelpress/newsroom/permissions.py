"""Who may do what to which article: the rules the admin screens, their actions and the pages other
apps add ask (newsroom/admin_permissions.py, admin_extensions.py, translation, ingest).

A role (newsroom/roles.py) gives model permissions; these rules narrow them to articles:

- ``newsroom.change_any_article`` (Editor, Administrator): every article, in every language;
- a writer's ``newsroom.change_article`` reaches their own drafts only (``created_by``, status
  Draft): once submitted for review ("In review") the draft is the editors';
- ``newsroom.translate_article`` (Translator): the translations in the languages assigned to them
  (``LanguageAssignment``), never an original;
- ``newsroom.publish_article`` (Editor, Administrator): publish, schedule or unpublish any article;
  a translator publishes the translations they may edit, as approving a review does;
- reading an article (its page, its history, a preview link to it): every role
  (``newsroom.view_article``, or ``newsroom.change_article`` as Django's admin has it).

Superusers pass every rule (Django gives them every permission).
"""

from __future__ import annotations

from babelpress.newsroom.language_assignments import LanguageAssignment

CHANGE = "newsroom.change_article"
DELETE = "newsroom.delete_article"
ADD = "newsroom.add_article"
VIEW = "newsroom.view_article"
PUBLISH = "newsroom.publish_article"
EDIT_ANY = "newsroom.change_any_article"
TRANSLATE = "newsroom.translate_article"
DRAFT = "draft"  # Article.Status.DRAFT (this module is imported by the models' module)


def language_scope(user) -> frozenset[str] | None:
    """The content languages a translator (``translate_article``) works in; None for every language:
    a person editing every article (``change_any_article``), or anyone not working as a translator,
    whose model permissions alone say what they may do."""
    if user.has_perm(EDIT_ANY) or not user.has_perm(TRANSLATE):
        return None
    cached = getattr(user, "_babelpress_languages", None)
    if cached is None:
        codes = LanguageAssignment.objects.filter(user=user).values_list("language", flat=True) if user.pk else []
        cached = user._babelpress_languages = frozenset(codes)
    return cached


def works_in(user, language: str) -> bool:
    scope = language_scope(user)
    return scope is None or language in scope


def translates(user, article) -> bool:
    """Whether ``article`` is a translation ``user`` edits as a translator (in their languages)."""
    return bool(article.translation_method) and user.has_perm(TRANSLATE) and works_in(user, article.language)


def is_own_draft(user, article) -> bool:
    return article.status == DRAFT and article.created_by_id is not None and article.created_by_id == user.pk


def may_view_article(user, article=None) -> bool:
    """Read ``article`` in the admin: its page, its revisions, a preview link to it. Every role reads
    every article today; ``article`` is there for a rule that narrows it one day."""
    return user.has_perm(VIEW) or user.has_perm(CHANGE)


def may_change_article(user, article=None) -> bool:
    """Edit ``article`` (None: some article, as Django's model-level check asks)."""
    if not user.has_perm(CHANGE):
        return False
    if article is None or user.has_perm(EDIT_ANY):
        return True
    return translates(user, article) or is_own_draft(user, article)


def may_delete_article(user, article=None) -> bool:
    if not user.has_perm(DELETE):
        return False
    return article is None or user.has_perm(EDIT_ANY) or is_own_draft(user, article)


def may_publish(user, article=None) -> bool:
    """Set ``article`` live, schedule it or take it down (None: some article)."""
    if user.has_perm(PUBLISH):
        return True
    if article is None:
        return user.has_perm(TRANSLATE) and user.has_perm(CHANGE)
    return user.has_perm(CHANGE) and translates(user, article)


def may_translate_into(user, language: str) -> bool:
    """Start a translation draft of a story in ``language`` ("Create a draft in this language")."""
    if user.has_perm(EDIT_ANY):
        return user.has_perm(ADD)
    return user.has_perm(TRANSLATE) and user.has_perm(CHANGE) and works_in(user, language)


def may_translate(user) -> bool:
    """Start a translation draft in some language (the page's own check narrows it to one)."""
    return (user.has_perm(EDIT_ANY) and user.has_perm(ADD)) or (user.has_perm(TRANSLATE) and user.has_perm(CHANGE))
