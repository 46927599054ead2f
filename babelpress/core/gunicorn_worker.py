"""gunicorn's configuration for `babelpress serve --with-worker`: the job worker, a child of gunicorn's master.

gunicorn loads the application once, in its master (``--preload``). Forked from the master as soon as
it is ready (before the web workers, while it runs no thread), the job worker shares that memory with
the web workers (copy-on-write) instead of starting a second interpreter that loads Django and
Babelpress again: about 30 MB less in all on the demo (bench/footprint.py). It is `babelpress worker`
(core/management/commands/worker.py), run in that child. The master stops it when it stops itself
(SIGTERM, then SIGKILL after gunicorn's graceful timeout); Ctrl-C reaches both.

Used as ``gunicorn -c python:babelpress.core.gunicorn_worker`` (core/management/commands/serve.py).
"""

from __future__ import annotations

import os
import signal
import sys
import time

#: The job worker's process id in the master (0 once it has stopped).
job_worker_pid = 0
#: How ps, top and bench/footprint.py name the job worker (its command line is gunicorn's, forked).
JOB_WORKER_NAME = "babelpress-job"


def when_ready(server) -> None:
    """gunicorn's hook, in the master, after the application is loaded and before any web worker."""
    global job_worker_pid
    pid = os.fork()
    if pid:
        job_worker_pid = pid
        server.log.info("Started the job worker (pid: %s)", pid)
        return
    _run_job_worker(server)


def _run_job_worker(server) -> None:
    """The child: no longer gunicorn's master. Runs the worker and exits, never returning to gunicorn."""
    code = 1
    try:
        for listener in server.LISTENERS:
            listener.close()  # the port belongs to the web workers (and must close when they stop)
        for number in (*server.SIGNALS, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _name_process(JOB_WORKER_NAME)
        from django.core.management import call_command

        call_command("worker")
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except KeyboardInterrupt:
        code = 0
    except BaseException:
        server.log.exception("The job worker stopped on an error")
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _name_process(name: str) -> None:
    try:
        with open("/proc/self/comm", "w") as comm:  # Linux; elsewhere the name stays python's
            comm.write(name)
    except OSError:
        pass


def on_exit(server) -> None:
    """gunicorn's hook, in the master, when it stops: the job worker stops too."""
    global job_worker_pid
    if not job_worker_pid:
        return
    pid, job_worker_pid = job_worker_pid, 0
    try:
        os.kill(pid, signal.SIGTERM)  # finishes the job in hand, if it can within the graceful timeout
    except ProcessLookupError:
        return
    deadline = time.monotonic() + server.cfg.graceful_timeout
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
        except ChildProcessError:  # reaped already by the master's own loop
            return
        time.sleep(0.05)
    server.log.warning("The job worker (pid: %s) did not stop in time: killing it", pid)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
