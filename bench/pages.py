#!/usr/bin/env python3
"""Requests per second and latency of public pages, measured with wrk on 127.0.0.1.

Sets up the demo newsroom in a temporary data folder (or uses --data), serves it with
`babelpress serve` (gunicorn, production settings: BABELPRESS_DEBUG unset) once per mode, and runs
`wrk -t2 -c4 --latency` (the settings of issue 12) against the home page, a section page and an
article page, in French and, when the demo has them, in Arabic. Prints one line per mode and page:
requests per second, p50 and p99 latency, the Content-Encoding the server answered and the bytes
sent. Modes (--modes, comma-separated):

  cached      the whole-page cache on (BABELPRESS_PAGE_CACHE=1): what production serves
  rendered    page cache off: every request queries the database and renders the page; what shows
              one story (cards, the article's blocks) comes from the fragment memory when the same
              data was rendered before (babelpress/site/memo.py)
  cold        page cache off and BABELPRESS_FRAGMENT_MEMORY=0: everything rendered on every request
  compressed  page cache on, requests sending "Accept-Encoding: gzip, br"
  rendered-compressed   page cache off, the same requests: each page rendered and compressed

With --wordpress [ARTICLE.txt] it first runs the WordPress anchor (../shared/bench/wordpress-anchor.sh,
see its README; root, apt-installs WordPress, about a minute) on the demo's French article — or
the text given — and prints each Babelpress figure as a multiple of WordPress's, measured in the
same run. With --baseline CHECKOUT each mode is measured on that checkout's code too (e.g. the
main branch's), on the same data, just before this one's. These machines are shared and noisy:
compare figures of one run, not across runs.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODES = {
    "cached": {"BABELPRESS_PAGE_CACHE": "1"},
    "rendered": {"BABELPRESS_PAGE_CACHE": "0"},
    "cold": {"BABELPRESS_PAGE_CACHE": "0", "BABELPRESS_FRAGMENT_MEMORY": "0"},
    "compressed": {"BABELPRESS_PAGE_CACHE": "1"},
    "rendered-compressed": {"BABELPRESS_PAGE_CACHE": "0"},
}
COMPRESSED = {"Accept-Encoding": "gzip, br"}
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def anchor_script() -> Path | None:
    for folder in (ROOT.parent, ROOT.parents[1]):  # /work/main/../shared, or a worktree's /work/wt/x/../../shared
        script = folder / "shared" / "bench" / "wordpress-anchor.sh"
        if script.exists():
            return script
    return None


def get(url: str, headers: dict | None = None) -> tuple[bytes, dict]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
        return response.read(), dict(response.headers)


class Server:
    """`babelpress serve` in MODE's environment, stopped (by process id) on leaving."""

    def __init__(self, env: dict, workers: int, threads: int, root: Path = ROOT):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "babelpress", "serve", "--port", str(self.port), "--workers", str(workers),
             "--threads", str(threads)],
            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def __enter__(self):
        for _ in range(300):
            try:
                get(self.base + "/fr/")
                return self
            except OSError:
                if self.process.poll() is not None:
                    sys.exit("babelpress serve stopped: run it by hand to see why")
                time.sleep(0.2)
        sys.exit("the server did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def pages_of(base: str) -> list[tuple[str, str]]:
    """(name, path) of the pages measured: French home, section and article; Arabic ones if any."""
    found = []
    for lang in ("fr", "ar"):
        try:
            home = get(f"{base}/{lang}/")[0].decode()
        except OSError:
            continue
        section = re.search(rf'href="(/{lang}/section/[^"]+)"', home)
        article = re.search(rf'href="(/{lang}/article/[^"]+)"', home)
        if lang != "fr" and not article:
            continue  # no stories in this language: its home shows another language's
        found.append((f"home-{lang}", f"/{lang}/"))
        if section:
            found.append((f"section-{lang}", section.group(1)))
        if article:
            found.append((f"article-{lang}", article.group(1)))
    return found


def wrk(url: str, seconds: int, threads: int, connections: int, headers: dict) -> dict:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    latency = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency.get("50"),
            "p99": latency.get("99"), "non2xx": int(errors.group(1)) if errors else 0}


def export_article(env: dict, path: str, target: Path) -> Path:
    """The text of the demo article at ``path`` (headline, standfirst, body) for the WordPress anchor."""
    code = (
        "from babelpress.newsroom.models import Article; from babelpress.html_text import html_to_text; "
        f"a = Article.objects.get(language='fr', slug={path.rstrip('/').rsplit('/', 1)[-1]!r}); "
        "print(a.headline); print(); print(a.standfirst); print(); print(html_to_text(a.body, paragraphs=True))"
    )
    text = subprocess.run([sys.executable, "-m", "babelpress", "shell", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True).stdout
    target.write_text(text, encoding="utf-8")
    return target


def wordpress(article_text: Path, title: str) -> dict:
    script = anchor_script()
    if script is None:
        sys.exit("wordpress-anchor.sh not found (../shared/bench/): see the issue's bench notes")
    print(f"WordPress anchor ({script}) …", flush=True)
    env = {**os.environ, "WP_ANCHOR_TITLE": title}
    out = subprocess.run(["bash", str(script), str(article_text)], capture_output=True, text=True, env=env)
    if out.returncode:
        sys.exit(f"the WordPress anchor failed:\n{out.stderr[-2000:]}")
    print(out.stdout.strip())
    figures = {}
    for page in ("post", "home"):
        line = re.search(rf"wordpress_{page}_rps=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+)", out.stdout)
        if line:
            figures[page] = {"rps": float(line.group(1)), "p50": float(line.group(2)), "p99": float(line.group(3))}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2: one per core)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (default 4, as in issue 12)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--modes", default="cached,rendered,cold,compressed,rendered-compressed")
    parser.add_argument("--pages", default="", help="only these pages, e.g. article-fr,home-fr")
    parser.add_argument("--baseline", metavar="CHECKOUT", help="also measure another checkout's code, e.g. /work/main")
    parser.add_argument("--data", help="an existing demo data folder (default: a new one, removed after)")
    parser.add_argument("--wordpress", nargs="?", const="demo", metavar="ARTICLE.txt",
                        help="also measure WordPress (root; apt) on ARTICLE.txt, by default the demo's French article")
    args = parser.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    if unknown := [m for m in modes if m not in MODES]:
        sys.exit(f"unknown modes {unknown}: use {', '.join(MODES)}")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    data = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="babelpress-bench-"))
    env = {**os.environ, "BABELPRESS_DATA_DIR": str(data), "BABELPRESS_HTTPS": "0", "BABELPRESS_LOG_LEVEL": "WARNING"}
    env.pop("BABELPRESS_DEBUG", None)
    try:
        if not args.data:
            subprocess.run([sys.executable, "-m", "babelpress", "demo", "--no-serve"], cwd=ROOT, env=env, check=True,
                           capture_output=True)
        run(args, modes, env, data)
    finally:
        if not args.data:
            shutil.rmtree(data, ignore_errors=True)


def run(args, modes: list[str], env: dict, data: Path) -> None:
    with Server({**env, **MODES["cached"]}, 1, 1) as server:
        pages = pages_of(server.base)
        if args.pages:
            pages = [p for p in pages if p[0] in args.pages.split(",")]
        article = next((path for name, path in pages if name == "article-fr"), None)
        title = re.search(r"<h1[^>]*>(.*?)</h1>", get(server.base + article)[0].decode(), re.S).group(1) if article else ""
    anchor = {}
    if args.wordpress:
        text = Path(args.wordpress) if args.wordpress != "demo" else export_article(env, article, data / "article.txt")
        anchor = wordpress(text, title.strip())
    print(f"babelpress serve, {args.workers} gunicorn worker(s) × {args.threads} thread(s); "
          f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.seconds}s; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    trees = [(Path(args.baseline).resolve(), "baseline"), (ROOT, "this")] if args.baseline else [(ROOT, "")]
    print(f"{'mode':19s} {'code':8s} {'page':11s} {'req/s':>8s} {'p50 ms':>7s} {'p99 ms':>7s}  {'encoding':9s} {'bytes':>6s}"
          + ("  ×WordPress" if anchor else "") + "  path")
    for mode in modes:
        for root, label in trees:
            measure(args, mode, label, root, env, pages, anchor)


def measure(args, mode: str, label: str, root: Path, env: dict, pages: list, anchor: dict) -> None:
    headers = COMPRESSED if mode.endswith("compressed") else {}
    with Server({**env, **MODES[mode]}, args.workers, args.threads, root) as server:
        for name, path in pages:
            body, answer = get(server.base + path, headers)  # also warms what the page remembers
            result = wrk(server.base + path, args.seconds, args.wrk_threads, args.connections, headers)
            reference = anchor.get("post" if name.startswith("article") else "home")
            ratio = f"  {result['rps'] / reference['rps']:9.1f}×" if reference else ("  " + " " * 10 if anchor else "")
            print(f"{mode:19s} {label:8s} {name:11s} {result['rps']:8.0f} {result['p50'] or 0:7.2f} "
                  f"{result['p99'] or 0:7.2f}  {answer.get('Content-Encoding', 'identity'):9s} {len(body):6d}{ratio}  {path}"
                  + (f"  NON-2XX: {result['non2xx']}" if result["non2xx"] else ""), flush=True)


if __name__ == "__main__":
    main()
