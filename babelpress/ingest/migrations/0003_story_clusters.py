"""Same-story clusters replace pairwise links (schema; 0003 moves the data, 0004 drops the links).

PostgreSQL refuses schema changes in a transaction that still has row updates pending, so schema
and data changes live in migrations of their own.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ingest', '0002_import_job'),
    ]

    operations = [
        migrations.CreateModel(
            name='StoryCluster',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('size', models.PositiveIntegerField(default=1, help_text='Imports in the cluster (merges move the smaller cluster).', verbose_name='imports')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
            ],
            options={
                'verbose_name': 'same-story cluster',
                'verbose_name_plural': 'same-story clusters',
            },
        ),
        migrations.AddField(
            model_name='importeditem',
            name='near_duplicate_of',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ingest.importeditem', verbose_name='near-duplicate of'),
        ),
        migrations.AddField(
            model_name='importeditem',
            name='near_duplicate_similarity',
            field=models.FloatField(blank=True, editable=False, null=True, verbose_name='similarity'),
        ),
        migrations.CreateModel(
            name='MinHashBand',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.BigIntegerField()),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='ingest.importeditem')),
            ],
            options={
                'verbose_name': 'MinHash band',
                'verbose_name_plural': 'MinHash bands',
            },
        ),
        migrations.AddField(
            model_name='importeditem',
            name='cluster',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='items', to='ingest.storycluster', verbose_name='same-story cluster'),
        ),
        migrations.AddIndex(
            model_name='minhashband',
            index=models.Index(fields=['key', 'item'], name='ingest_band_key_item'),
        ),
    ]
