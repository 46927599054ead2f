#!/usr/bin/env python3
"""Requests per second for public pages, measured with wrk on 127.0.0.1.

Sets up the demo newsroom in a temporary data folder, serves it with `babelpress serve`
(gunicorn, production settings) and runs wrk against the home page, a section page and an
article page. Prints one line per page. Usage: bench/pages.py [--seconds 10] [--workers 3]
Reference on a 2-core machine: WordPress ≈ 19 req/s for a news page; nginx static ≈ 34 000.
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-page-cache", action="store_true", help="Measure rendering: every request renders.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    data = Path(tempfile.mkdtemp(prefix="babelpress-bench-"))
    env = {**os.environ, "BABELPRESS_DATA_DIR": str(data), "BABELPRESS_HTTPS": "0", "BABELPRESS_LOG_LEVEL": "WARNING"}
    env.pop("BABELPRESS_DEBUG", None)
    env["BABELPRESS_PAGE_CACHE"] = "0" if args.no_page_cache else "1"
    run = lambda *a: subprocess.run([sys.executable, "-m", "babelpress", *a], cwd=ROOT, env=env, check=True, capture_output=True)
    run("demo", "--no-serve")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "babelpress", "serve", "--port", str(port), "--workers", str(args.workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                home = urllib.request.urlopen(base + "/fr/", timeout=2).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("the server did not start")
        article = re.search(r'href="(/fr/article/[^"]+)"', home).group(1)
        section = re.search(r'href="(/fr/section/[^"]+)"', home).group(1)
        mode = "rendering every request" if args.no_page_cache else "page cache on"
        print(f"babelpress serve ({mode}), {args.workers} gunicorn workers, wrk -c{args.connections} -d{args.seconds}s")
        for name, path in (("home", "/fr/"), ("section", section), ("article", article)):
            out = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", base + path],
                capture_output=True, text=True, check=True,
            ).stdout
            rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
            latency = re.search(r"Latency\s+(\S+)", out).group(1)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            print(f"{name:8s} {path:60s} {float(rps):9.1f} req/s  avg latency {latency}"
                  + (f"  NON-2XX: {errors.group(1)}" if errors else ""))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
