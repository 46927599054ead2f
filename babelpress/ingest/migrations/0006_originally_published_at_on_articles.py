"""Stories imported before articles kept their original publication date (newsroom 0010) take it
from their import record, every language version of them: readers see "First published by … on …"."""

from django.db import migrations


def fill(apps, schema_editor):
    Article = apps.get_model("newsroom", "Article")
    ImportedItem = apps.get_model("ingest", "ImportedItem")
    records = (ImportedItem.objects.filter(original_published_at__isnull=False)
               .values_list("article__translation_key", "original_published_at"))
    for key, originally in records.iterator():
        # A bookkeeping column no editor has set yet: no revision, no version bump.
        Article.objects.filter(translation_key=key, originally_published_at__isnull=True).update(
            originally_published_at=originally)


class Migration(migrations.Migration):

    dependencies = [
        ("ingest", "0005_every_import_in_a_cluster"),
        ("newsroom", "0011_article_originally_published_at"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
