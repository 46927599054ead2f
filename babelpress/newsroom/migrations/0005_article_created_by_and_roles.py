"""Roles: who wrote an article (created_by), the article permissions the roles are made of, and the
languages assigned to each translator. The groups themselves (Writer, Editor, Translator,
Administrator) are made and repaired after every migrate by newsroom/roles.py: a migration cannot
give them their permissions on a fresh install, where Django creates permissions only after the
last migration has run."""

import babelpress.languages
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0004_article_revisions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='article',
            options={'ordering': ['-published_at', '-id'], 'permissions': [('publish_article', 'Can publish and unpublish articles'), ('change_any_article', 'Can edit every article, whoever wrote it'), ('translate_article', 'Can edit and review translations in the languages assigned to them')], 'verbose_name': 'article', 'verbose_name_plural': 'articles'},
        ),
        migrations.AddField(
            model_name='article',
            name='created_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by'),
        ),
        migrations.CreateModel(
            name='LanguageAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=babelpress.languages.choices, max_length=12, verbose_name='language')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='desk_languages', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'assigned language',
                'verbose_name_plural': 'languages this person translates and reviews',
                'ordering': ['language'],
                'constraints': [models.UniqueConstraint(fields=('user', 'language'), name='language_assigned_once')],
            },
        ),
    ]
