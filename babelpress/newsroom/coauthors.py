"""An article's co-authors: the people credited after its author ("Par Jean Dupont et Marie Curie").

One ``Author`` row per person. The article's ``author`` is the first named; a ``Coauthor`` row per
other person, in the order they were added. The public page names them all as its language lists
names (CLDR, through Babel: "Jean Dupont et Marie Curie", "Jane Doe and John Roe"), its JSON-LD lists
each as a Person, and the admin edits them beside the author (``CoauthorsField``). A new
translation credits the same people as the article it was translated from. Co-authors are not
kept in an article's revisions: restoring one leaves them as they are. Decision: docs/decisions.md
("Co-authors").
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class Coauthor(models.Model):
    """A person credited on an article after its author."""

    article = models.ForeignKey("newsroom.Article", on_delete=models.CASCADE, related_name="coauthors",
                                verbose_name=_("article"))
    author = models.ForeignKey("newsroom.Author", on_delete=models.CASCADE, related_name="coauthorships",
                               verbose_name=_("co-author"))

    class Meta:
        app_label = "newsroom"
        ordering = ["pk"]  # the order they were credited in
        verbose_name = _("co-author")
        verbose_name_plural = _("co-authors")
        # Each person once per article: set_coauthors, the one way rows are written, sees to it.

    def __str__(self) -> str:
        return str(self.author)


def credited_authors(article) -> list:
    """The article's author, then its co-authors in order (read from a prefetch when there is one:
    ``Prefetch("coauthors", queryset=Coauthor.objects.select_related("author"))``)."""
    people = [article.author] if article.author_id else []
    if article.pk:
        for row in article.coauthors.all():
            if row.author_id not in {person.pk for person in people}:
                people.append(row.author)
    return people


def set_coauthors(article, authors) -> None:
    """Credit ``authors``, in this order, after the article's author (who is left out of them)."""
    chosen = []
    for author in authors:
        if author.pk != article.author_id and author.pk not in {a.pk for a in chosen}:
            chosen.append(author)
    current = list(Coauthor.objects.filter(article=article).values_list("author_id", flat=True))
    if current != [author.pk for author in chosen]:
        with transaction.atomic():
            Coauthor.objects.filter(article=article).delete()
            for author in chosen:  # one save each, so that their signals go (the page cache listens)
                Coauthor.objects.create(article=article, author=author)
    getattr(article, "_prefetched_objects_cache", {}).pop("coauthors", None)


def _credit_translation(sender, instance, created, raw=False, **kwargs):
    """A new translation credits the co-authors of the article it was translated from."""
    if created and not raw and instance.translated_from_id:
        originals = Coauthor.objects.filter(article_id=instance.translated_from_id).select_related("author")
        set_coauthors(instance, [row.author for row in originals])


post_save.connect(_credit_translation, sender="newsroom.Article", dispatch_uid="newsroom.coauthors.translation")
