"""`babelpress demo` and its superuser: a random password kept private, and never in someone's real newsroom.

Run in-process against the test database (SQLite or PostgreSQL); tests/core/test_cli.py runs the real command.
"""

from __future__ import annotations

import io
import stat

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from babelpress.core.management.commands import demo as demo_command
from babelpress.newsroom import demo_loader
from babelpress.newsroom.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def demo(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", "--no-collectstatic", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def printed_password(output: str) -> str:
    line = next(line for line in output.splitlines() if line.startswith("Admin login:"))
    return line.split("password: ")[1].split()[0]


def can_log_in(username: str, password: str) -> bool:
    request = RequestFactory().post("/admin/login/")
    return authenticate(request, username=username, password=password) is not None


def test_the_demo_editor_gets_a_random_password_printed_and_kept_private(data_dir):
    output, _ = demo("--no-serve")
    assert "Loaded the demo newsroom" in output
    password = printed_password(output)
    assert len(password) >= 16 and password != demo_loader.PUBLISHED_PASSWORD
    kept = data_dir / "demo_password"
    assert kept.read_text().strip() == password
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert can_log_in("editor", password)
    assert not can_log_in("editor", demo_loader.PUBLISHED_PASSWORD)


def test_running_the_demo_again_prints_the_same_password(data_dir):
    first = printed_password(demo("--no-serve")[0])
    again, _ = demo("--no-serve")
    assert "already loaded; keeping your data" in again
    assert printed_password(again) == first


def test_two_demo_folders_get_two_different_passwords(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "one"
    one = printed_password(demo("--no-serve")[0])
    get_user_model().objects.all().delete()
    settings.DATA_DIR = tmp_path / "two"
    assert printed_password(demo("--no-serve")[0]) != one


def test_an_older_demo_editor_with_the_published_password_gets_a_random_one(data_dir):
    demo_loader.load_demo()
    get_user_model().objects.create_superuser("editor", demo_loader.DEMO_EMAIL, demo_loader.PUBLISHED_PASSWORD)
    output, _ = demo("--no-serve")
    assert "already loaded" in output
    assert not can_log_in("editor", demo_loader.PUBLISHED_PASSWORD)
    assert can_log_in("editor", printed_password(output))


def test_a_password_the_editor_changed_is_left_alone(data_dir):
    demo("--no-serve")
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("chosen-by-me")
    editor.save()
    output, _ = demo("--no-serve")
    assert "babelpress changepassword editor" in output
    assert can_log_in("editor", "chosen-by-me")


def test_the_demo_has_a_person_in_each_role_logging_in_with_the_same_password(data_dir):
    output, _ = demo("--no-serve")
    password = printed_password(output)
    lines = output.splitlines()
    start = lines.index("  Log in as a role, with the same password (docs/roles.md):")
    assert [line.split(None, 1) for line in lines[start + 1:start + 5]] == [
        ["writer", "Writer"], ["desk-editor", "Editor"], ["translator", "Translator (ar, ru)"],
        ["administrator", "Administrator"]]
    for username in ("writer", "desk-editor", "translator", "administrator"):
        assert can_log_in(username, password)
    user = get_user_model().objects.get(username="translator")
    assert user.is_staff and not user.is_superuser and [g.name for g in user.groups.all()] == ["Translator"]


def test_running_the_demo_again_keeps_its_people_and_a_password_one_of_them_changed(data_dir):
    demo("--no-serve")
    writer = get_user_model().objects.get(username="writer")
    writer.set_password("chosen-by-the-writer")
    writer.save()
    output, _ = demo("--no-serve")
    assert get_user_model().objects.filter(username="writer").count() == 1
    assert "writer         Writer  (its own password: `babelpress changepassword writer`)" in output
    assert can_log_in("writer", "chosen-by-the-writer")


def test_the_demo_refuses_a_database_with_someone_elses_users_and_says_how_to_go_on(data_dir):
    get_user_model().objects.create_superuser("boss", "boss@news.example", "real-password")
    with pytest.raises(CommandError) as refused:
        demo("--no-serve")
    message = str(refused.value)
    assert "1 user" in message and "--allow-existing-data" in message and "BABELPRESS_DATA_DIR" in message
    assert not Article.objects.exists()
    assert not get_user_model().objects.filter(username="editor").exists()
    assert not (data_dir / "demo_password").exists()


def test_the_refusal_comes_before_migrate_touches_the_database(data_dir, monkeypatch):
    get_user_model().objects.create_superuser("boss", "boss@news.example", "real-password")
    commands = []
    monkeypatch.setattr(demo_command, "call_command", lambda name, *a, **k: commands.append(name))
    with pytest.raises(CommandError):
        demo("--no-serve")
    assert commands == []


def test_the_demo_refuses_a_database_with_someone_elses_stories(data_dir, newsroom):
    with pytest.raises(CommandError, match=r"\(7 articles\)"):
        demo("--no-serve")


def test_a_real_editor_named_editor_is_not_taken_for_the_demo_one(data_dir):
    get_user_model().objects.create_superuser("editor", "chief@news.example", "real-password")
    with pytest.raises(CommandError, match="1 user"):
        demo("--no-serve")


def test_allow_existing_data_loads_the_demo_beside_them(data_dir):
    get_user_model().objects.create_superuser("boss", "boss@news.example", "real-password")
    output, _ = demo("--no-serve", "--allow-existing-data")
    assert "Loaded the demo newsroom" in output
    assert can_log_in("editor", printed_password(output))
    assert can_log_in("boss", "real-password")


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("news.example.org", False),
])
def test_loopback_addresses(host, loopback):
    assert demo_command.is_loopback(host) is loopback


@pytest.fixture
def served(monkeypatch):
    calls = []
    monkeypatch.setattr(demo_command.Command, "serve", lambda self, options, banner="": calls.append(banner))
    return calls


def test_serving_the_demo_beyond_this_machine_warns_loudly(data_dir, served):
    _, err = demo("--host", "0.0.0.0", "--port", "8123")
    assert "WARNING: the demo listens on 0.0.0.0:8123" in err and "--host 127.0.0.1" in err
    assert "Admin login: editor / password: " in served[0]


def test_serving_the_demo_on_this_machine_does_not_warn(data_dir, served):
    _, err = demo("--host", "127.0.0.1")
    assert "WARNING" not in err and served


def test_a_fresh_demo_reads_like_a_live_site_its_newest_story_two_hours_old(data_dir):
    from datetime import timedelta

    from django.utils import timezone

    before = timezone.now()
    demo("--no-serve")
    dates = sorted(Article.objects.values_list("published_at", flat=True).distinct())
    assert before - timedelta(hours=2, seconds=5) <= dates[-1] <= timezone.now() - timedelta(hours=2)
    written = sorted({demo_loader.datetime.fromisoformat(s["published_at"]) for s in demo_loader.read_demo()["stories"]})
    assert dates[0] - dates[-1] == written[0] - written[-1]  # one offset for all: the spacing is the files'


def test_loading_the_demo_without_a_date_keeps_the_dates_of_its_files(data_dir):
    demo_loader.load_demo()
    written = max(demo_loader.datetime.fromisoformat(s["published_at"]) for s in demo_loader.read_demo()["stories"])
    assert Article.objects.order_by("-published_at").first().published_at == written
