"""The `babelpress` command as an operator uses it: demo, serve, check --deploy.

See also test_demo.py (the demo editor), test_setup_errors.py and test_data_permissions.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_env(tmp_path, **extra) -> dict:
    # As an operator runs it: none of the test run's settings (DJANGO_SETTINGS_MODULE is pytest's test layer).
    skip = ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BABELPRESS_", "PYTEST_")) and k not in skip}
    env.update({"BABELPRESS_DATA_DIR": str(tmp_path / "data")}, **extra)
    return env


def babelpress(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "babelpress", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


PRODUCTION = {
    "BABELPRESS_SECRET_KEY": "k" * 20 + "Vq8#xZ2!pL0@mN5$rT7%wY9^bC3&dF6*gH1(jK4)" + "s" * 10,
    "BABELPRESS_ALLOWED_HOSTS": "news.example.org",
}


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    env = run_env(
        tmp_path, **PRODUCTION, BABELPRESS_SITE_URL="https://news.example.org",
        BABELPRESS_HSTS_INCLUDE_SUBDOMAINS="0", BABELPRESS_HSTS_PRELOAD="0",
    )
    result = babelpress("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_asks_for_the_site_url_and_the_hsts_commitments(tmp_path):
    result = babelpress("check", "--deploy", env=run_env(tmp_path, **PRODUCTION))
    assert result.returncode == 0, result.stdout + result.stderr  # warnings, not errors
    output = result.stdout + result.stderr
    assert "(site.W001) BABELPRESS_SITE_URL is not set" in output and "BABELPRESS_SITE_URL=https://" in output
    assert "security.W005" in output and "security.W021" in output


def test_production_without_a_secret_key_says_how_to_fix_it(tmp_path):
    result = babelpress("check", env=run_env(tmp_path))
    assert result.returncode != 0
    assert "BABELPRESS_SECRET_KEY is not set" in result.stderr and "secrets.token_urlsafe" in result.stderr


def test_serve_refuses_an_unmigrated_database(tmp_path):
    result = babelpress("serve", "--port", str(free_port()), env=run_env(tmp_path, BABELPRESS_SECRET_KEY="x" * 60))
    assert result.returncode != 0 and "babelpress migrate" in result.stderr


def wait_for(url: str, seconds: float = 60) -> bytes:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_demo_sets_up_serves_and_keeps_data_when_rerun(tmp_path):
    env = run_env(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "babelpress", "demo", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        home = wait_for(f"http://127.0.0.1:{port}/fr/").decode()
        assert '<html lang="fr" dir="ltr">' in home and "card__headline" in home
        admin = wait_for(f"http://127.0.0.1:{port}/admin/login/").decode()
        assert "csrfmiddlewaretoken" in admin
        css = wait_for(f"http://127.0.0.1:{port}/static/babelpress/site.css")
        assert b"--accent" in css
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert "Loaded the demo newsroom" in output
    password = (tmp_path / "data" / "demo_password").read_text().strip()
    assert f"Admin: http://127.0.0.1:{port}/admin/\n" in output
    assert f"Admin login: editor / password: {password}  (kept in {tmp_path / 'data' / 'demo_password'})" in output
    assert "WARNING" not in output  # on this machine only
    assert (tmp_path / "data" / "babelpress.sqlite3").exists()

    again = babelpress("demo", "--no-serve", env=env)
    assert again.returncode == 0, again.stderr
    assert "already loaded; keeping your data" in again.stdout
    assert f"Admin login: editor / password: {password}" in again.stdout
