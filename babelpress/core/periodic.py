"""A small daemon thread that runs one housekeeping function every few seconds beside the worker."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import connections

log = logging.getLogger(__name__)


class Periodic(threading.Thread):
    """Call ``action()`` every ``every`` seconds (first after one interval) until ``stop()``.

    A failure is logged and the next turn tries again: a database hiccup must not end the
    housekeeping for the life of the worker.
    """

    def __init__(self, name: str, action: Callable[[], object], every: float):
        super().__init__(name=f"babelpress-{name}", daemon=True)
        self.action, self.every = action, every
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.every):
            try:
                self.action()
            except Exception:
                log.exception("%s failed; trying again in %s s", self.name, self.every)
            finally:
                connections.close_all()  # this thread's own connections: none left idle or broken

    def stop(self) -> None:
        self.stopping.set()
