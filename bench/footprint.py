#!/usr/bin/env python3
"""Memory of the demo's processes once they have served every page type, and how fast they start.

Sets up the demo newsroom in a temporary data folder (`babelpress demo --no-serve`), then starts it as
an operator does (`babelpress serve --workers 2 --with-worker`, or `babelpress demo` with --demo) and
prints the time from that command to the first answered request. It then requests every public page
type (root, home, section, tag, article, the 404s) and the editors' pages (log-in page, log-in, the
desk, the article list; not with --public-only), several rounds with concurrent requests so that every
gunicorn worker serves them, and prints for
each process its resident size (RSS) and proportional set size (PSS, /proc/PID/smaps_rollup: pages
shared by N processes count 1/N in each), the totals and the goals of issue 12:

* each gunicorn worker ≤ 70 MB RSS;
* the web (gunicorn master and 2 workers) + the job worker ≤ 160 MB PSS, what is left of
  WordPress's whole stack on the same machine (343 MB RSS, 161 MB PSS).

    .venv/bin/python bench/footprint.py [--demo] [--public-only] [--rounds 5] [--keep | --data-dir DIR]

Exit status 1 when a goal is missed. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKER_RSS_GOAL_MB = 70
TOTAL_PSS_GOAL_MB = 160
WORDPRESS = "WordPress 6.1 (PHP 8.2 + MariaDB): 343 MB RSS, 161 MB PSS"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_first_answer(url: str, server: subprocess.Popen, timeout: float = 120) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if server.poll() is not None:
            sys.exit(f"the server stopped (exit code {server.returncode})")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return time.monotonic() - started
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.02)
    sys.exit(f"no answer from {url} within {timeout} s")


def get(url: str, opener=None) -> tuple[int, str]:
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def public_pages(base: str) -> dict[str, str]:
    """One address of each public page type, found by following the French home page's links."""
    _, home = get(base + "/fr/")
    article = re.search(r'href="(/fr/article/[^"]+)"', home).group(1)
    section = re.search(r'href="(/fr/section/[^"]+)"', home).group(1)
    _, story = get(base + article)
    tag = re.search(r'href="(/[a-z]{2}/tag/[^"]+)"', story)
    pages = {"root": "/", "home": "/fr/", "home (ar)": "/ar/", "section": section, "article": article,
             "missing article": "/fr/article/nothing-here/", "missing page": "/nowhere/"}
    if tag:
        pages["tag"] = tag.group(1)
    return {name: base + path for name, path in pages.items()}


def admin_opener(base: str, password: str):
    """A browser logged in to the admin as the demo editor (its log-in page requested on the way)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, page = get(base + "/admin/login/", opener)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "editor", "password": password,
                                   "next": "/admin/"}).encode()
    request = urllib.request.Request(base + "/admin/login/", data=form, headers={"Referer": base + "/admin/login/"})
    opener.open(request, timeout=60).read()
    return opener


def serve_every_page(base: str, password: str, rounds: int, admin: bool = True) -> dict[str, int]:
    pages = public_pages(base)
    statuses: dict[str, int] = {}
    with ThreadPoolExecutor(max_workers=4) as pool:  # concurrent: every gunicorn worker gets its share
        for _ in range(rounds):
            for name, status in zip(pages, pool.map(lambda url: get(url)[0], pages.values())):
                statuses[name] = status
            logged_in = list(pool.map(lambda _: admin_opener(base, password), range(2))) if admin else []
            for opener in logged_in:
                statuses["admin desk"] = get(base + "/admin/", opener)[0]
                statuses["admin articles"] = get(base + "/admin/newsroom/article/", opener)[0]
    if admin:
        statuses["admin log-in"] = get(base + "/admin/login/")[0]
    return statuses


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def descendants(root: int) -> list[int]:
    tree, found, todo = children_of(), [], [root]
    while todo:
        pid = todo.pop(0)
        found.append(pid)
        todo.extend(sorted(tree.get(pid, [])))
    return found


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return fields["Rss"] / 1024, fields["Pss"] / 1024


def command_line(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().rstrip("\0").split("\0")


def role(pid: int) -> str:
    argv = command_line(pid)
    parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    if Path(f"/proc/{pid}/comm").read_text().strip() == "babelpress-job":  # core/gunicorn_worker.py
        return "job worker"
    if "gunicorn" in argv:
        return "web worker" if "gunicorn" in command_line(parent) else "gunicorn master"
    if argv[1:4] == ["-m", "babelpress", "worker"]:
        return "job worker"
    return "parent: " + " ".join(argv[1:4])


def measure(root: int) -> list[tuple[str, int, float, float]]:
    """(role, pid, RSS MB, PSS MB) of ``root`` and every process under it."""
    rows = []
    for pid in descendants(root):
        try:
            rows.append((role(pid), pid, *memory_mb(pid)))
        except OSError:
            continue  # ended meanwhile
    return rows


def report(started: list, served: list) -> bool:
    at_start = {pid: (rss, pss) for _, pid, rss, pss in started}
    print(f"\n{'process':28s} {'pid':>7s} {'RSS MB':>8s} {'PSS MB':>8s}   at the first answer: RSS, PSS")
    for name, pid, rss, pss in served:
        before = at_start.get(pid)
        then = f"{before[0]:8.1f} {before[1]:8.1f}" if before else ""
        print(f"{name:28s} {pid:7d} {rss:8.1f} {pss:8.1f}   {then}")
    total_rss, total_pss = sum(r[2] for r in served), sum(r[3] for r in served)
    print(f"{'all processes':28s} {'':7s} {total_rss:8.1f} {total_pss:8.1f}   "
          f"{sum(r[2] for r in started):8.1f} {sum(r[3] for r in started):8.1f}")
    web_pss = sum(r[3] for r in served if r[0] in ("gunicorn master", "web worker", "job worker"))
    worst = max((r[2] for r in served if r[0] == "web worker"), default=0.0)
    worker_ok, total_ok = worst <= WORKER_RSS_GOAL_MB, web_pss <= TOTAL_PSS_GOAL_MB
    print(f"\ngoal: each web worker ≤ {WORKER_RSS_GOAL_MB} MB RSS: largest {worst:.1f} MB  "
          f"{'met' if worker_ok else 'MISSED'}")
    print(f"goal: web (master + workers) + job worker ≤ {TOTAL_PSS_GOAL_MB} MB PSS: {web_pss:.1f} MB  "
          f"{'met' if total_ok else 'MISSED'}")
    print(f"for comparison: {WORDPRESS}")
    return worker_ok and total_ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", action="store_true", help="Start `babelpress demo` instead of `babelpress serve`.")
    parser.add_argument("--rounds", type=int, default=5, help="Rounds of requests for every page type.")
    parser.add_argument("--public-only", action="store_true", help="Request the public pages only, no editors' page.")
    parser.add_argument("--keep", action="store_true", help="Keep the data folder (printed).")
    parser.add_argument("--data-dir", type=Path, help="Use (and keep) this data folder; set up once.")
    args = parser.parse_args()
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="babelpress-footprint-"))
    env = {**os.environ, "BABELPRESS_DATA_DIR": str(data), "BABELPRESS_HTTPS": "0", "BABELPRESS_LOG_LEVEL": "WARNING"}
    for name in ("BABELPRESS_DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        env.pop(name, None)
    started = time.monotonic()
    again = ["--no-collectstatic"] if (data / "demo_password").exists() else []  # set up before: quicker
    subprocess.run([sys.executable, "-m", "babelpress", "demo", "--no-serve", *again], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    print(f"babelpress demo --no-serve: {time.monotonic() - started:.1f} s")
    port = free_port()
    command = ["demo"] if args.demo else ["serve", "--workers", "2", "--with-worker"]
    shown = "babelpress " + " ".join(command)
    command += ["--port", str(port), "--no-collectstatic"]
    server = subprocess.Popen([sys.executable, "-m", "babelpress", *command], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        first = wait_for_first_answer(base + "/fr/", server)
        print(f"{shown}: first answer (/fr/) after {first:.2f} s")
        at_first_answer = measure(server.pid)
        password = (data / "demo_password").read_text().strip()
        statuses = serve_every_page(base, password, args.rounds, admin=not args.public_only)
        print("served: " + ", ".join(f"{name} {status}" for name, status in statuses.items()))
        ok = report(at_first_answer, measure(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=60)
        if args.keep or args.data_dir:
            print(f"data folder kept: {data}")
        else:
            shutil.rmtree(data, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
