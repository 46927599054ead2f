"""Articles made by "Create a draft in this language" say what they are: an untranslated copy
(translation_method "copy"), until a person changes their text. Drafts made before, still holding
exactly their original's text, are marked so too; going back, copies become human translations
again, as they were."""

from django.db import migrations, models

TEXT = ("headline", "alternative_headline", "standfirst", "body", "summary")


def mark_untouched_copies(apps, schema_editor):
    Article = apps.get_model("newsroom", "Article")
    candidates = Article.objects.filter(translation_method="human", status="draft", translated_from__isnull=False)
    copies = [
        article.pk for article in candidates.select_related("translated_from").iterator()
        if all(getattr(article, name) == getattr(article.translated_from, name) for name in TEXT)
    ]
    Article.objects.filter(pk__in=copies).update(translation_method="copy")


def copies_back_to_human(apps, schema_editor):
    apps.get_model("newsroom", "Article").objects.filter(translation_method="copy").update(translation_method="human")


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0002_article_publication_schedule_and_messages'),
    ]

    operations = [
        migrations.AlterField(
            model_name='article',
            name='translation_method',
            field=models.CharField(blank=True, choices=[('', 'Original'), ('machine', 'Machine translation'), ('human', 'Human translation'), ('copy', 'Untranslated copy')], default='', max_length=12, verbose_name='translation method'),
        ),
        migrations.RunPython(mark_untouched_copies, copies_back_to_human),
    ]
