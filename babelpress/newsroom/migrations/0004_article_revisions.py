"""Article revisions (django-simple-history's HistoricalArticle), and a first revision of every
article that exists already: "as it was when history began", so its later edits have a base."""

import babelpress.languages
import django.db.models.deletion
import simple_history.models
import uuid
from django.conf import settings
from django.db import migrations, models


def first_revisions(apps, schema_editor):
    Article = apps.get_model("newsroom", "Article")
    Revision = apps.get_model("newsroom", "HistoricalArticle")
    db = schema_editor.connection.alias
    # The fields both have at this point (later migrations add to both).
    kept = {f.attname for f in Revision._meta.concrete_fields}
    columns = [f.attname for f in Article._meta.concrete_fields if f.attname in kept]
    batch = []
    for article in Article.objects.using(db).prefetch_related("tags").iterator(chunk_size=500):
        batch.append(Revision(
            **{name: getattr(article, name) for name in columns},
            tags_snapshot=[[tag.pk, tag.name] for tag in article.tags.all()],
            history_date=article.updated_at, history_type="~", history_change_reason="history-start",
        ))
        if len(batch) >= 500:
            Revision.objects.using(db).bulk_create(batch)
            batch = []
    Revision.objects.using(db).bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0003_article_untranslated_copy'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalArticle',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('tags_snapshot', models.JSONField(blank=True, default=list, verbose_name='tags')),
                ('translation_key', models.UUIDField(db_index=True, default=uuid.uuid4, editable=False, help_text='Shared by every language version of the same story.', verbose_name='translation key')),
                ('language', models.CharField(choices=babelpress.languages.choices, db_index=True, max_length=12, verbose_name='language')),
                ('slug', models.SlugField(blank=True, help_text='Leave empty to make it from the headline.', max_length=200, verbose_name='slug')),
                ('headline', models.CharField(max_length=300, verbose_name='headline')),
                ('alternative_headline', models.CharField(blank=True, max_length=300, verbose_name='alternative headline')),
                ('standfirst', models.TextField(blank=True, help_text='The lead paragraph under the headline.', verbose_name='standfirst')),
                ('body', models.TextField(blank=True, help_text='HTML: h2/h3 subheadings, paragraphs, lists, quotes, links and images with alt text. Anything else is removed on save.', verbose_name='body')),
                ('summary', models.TextField(blank=True, help_text='Shown in the summary box at the end.', verbose_name='summary')),
                ('original_url', models.URLField(blank=True, max_length=1000, verbose_name='original URL')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('review', 'In review'), ('published', 'Published')], db_index=True, default='draft', max_length=12, verbose_name='status')),
                ('published_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='published at')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created at')),
                ('updated_at', models.DateTimeField(blank=True, editable=False, verbose_name='updated at')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('translation_method', models.CharField(blank=True, choices=[('', 'Original'), ('machine', 'Machine translation'), ('human', 'Human translation')], default='', max_length=12, verbose_name='translation method')),
                ('translation_engine', models.CharField(blank=True, max_length=100, verbose_name='translation engine')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='reviewed at')),
                ('comment_count', models.PositiveIntegerField(default=0, editable=False, verbose_name='comments')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('author', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='newsroom.author', verbose_name='author')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                ('section', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='newsroom.section', verbose_name='section')),
                ('source', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='newsroom.source', verbose_name='source')),
                ('translated_from', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='newsroom.article', verbose_name='translated from')),
            ],
            options={
                'verbose_name': 'article revision',
                'verbose_name_plural': 'article revisions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(first_revisions, migrations.RunPython.noop),
    ]
