"""The `babelpress` command as an operator uses it: demo, serve, check --deploy.

See also test_demo.py (the demo editor), tests/test_setup_errors.py and tests/test_data_permissions.py.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ..commands import REPO, babelpress, free_port, run_env

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


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_text().split("\0")


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                found.append(int(entry.name))
        except OSError:
            continue  # ended meanwhile
    return found


def test_demo_sets_up_serves_and_keeps_data_when_rerun(tmp_path):
    env = run_env(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "babelpress", "demo", "--port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        home = wait_for(f"http://127.0.0.1:{port}/fr/").decode()
        assert '<html lang="fr" dir="ltr">' in home and "card__headline" in home
        admin = wait_for(f"http://127.0.0.1:{port}/admin/login/").decode()
        assert "csrfmiddlewaretoken" in admin
        css = wait_for(f"http://127.0.0.1:{port}/static/babelpress/site.css")
        assert b"--accent" in css
        # No Django-loaded parent beside the server: the demo's own process became gunicorn's master,
        # whose children are the web workers and the job worker (forked after --preload).
        assert "gunicorn" in command_line(server.pid) and "--preload" in command_line(server.pid)
        children = children_of(server.pid)
        names = sorted(Path(f"/proc/{pid}/comm").read_text().strip() for pid in children)
        assert names.count("babelpress-job") == 1 and len(names) == 3, names  # 2 web workers, 1 job worker
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]  # stopped with it, none orphaned
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
