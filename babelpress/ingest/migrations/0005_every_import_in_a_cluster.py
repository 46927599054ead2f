"""Every import belongs to a same-story cluster (filled in by 0003); the pairwise links go."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ingest', '0004_same_story_links_to_clusters'),
    ]

    operations = [
        migrations.DeleteModel(
            name='SameStory',
        ),
        migrations.AlterField(
            model_name='importeditem',
            name='cluster',
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='items', to='ingest.storycluster', verbose_name='same-story cluster'),
        ),
    ]
