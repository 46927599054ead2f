"""Models and migrations agree: a model change without its migration fails here, not in production."""

from django.core.management import call_command


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
