"""One deadline for a whole fetch: DNS, robots.txt, connecting, TLS, headers, redirects and body.

httpx's timeouts apply to each socket operation, so a server sending one byte every few seconds
never trips them. Every operation of a fetch's connections is cut to what is left of its budget
(``BABELPRESS_IMPORT_FETCH_BUDGET``), so a slow drip ends at the deadline like silence does.
"""

from __future__ import annotations

import time

import httpcore

from django.utils.translation import gettext_noop

from .messages import Message
from .errors import Timeout

SETTING_BUDGET = "BABELPRESS_IMPORT_FETCH_BUDGET"


class Budget:
    """The wall-clock budget of one fetch: ``seconds`` in all, ending at ``deadline``."""

    def __init__(self, seconds: float):
        self.seconds = float(seconds)
        self.deadline = time.monotonic() + self.seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def spent(self) -> bool:
        return self.left() <= 0

    def error(self, url: str) -> Timeout:
        return Timeout(
            Message(gettext_noop("%(address)s: the fetch took longer than the %(seconds)s s allowed for it (connecting, "
                                 "headers and body together); the server is too slow or keeps the connection open "
                                 "without finishing. Try again later; if this site is always this slow, raise "
                                 "%(setting)s."), address=url, seconds=self.seconds, setting=SETTING_BUDGET),
            url,
        )


class BudgetSpent(httpcore.TimeoutException):
    """A socket operation cut short by the fetch's deadline (not by its own timeout)."""


def within(budget: Budget, timeout: float | None, operation, *args):
    """Run a socket operation with its timeout cut to what is left of the fetch's budget."""
    left = budget.left()
    if left <= 0:
        raise BudgetSpent("the time allowed for the whole fetch ran out")
    capped = left if timeout is None else min(timeout, left)
    try:
        return operation(*args, timeout=capped)
    except httpcore.TimeoutException as exc:
        if timeout is None or capped < timeout or budget.spent():
            raise BudgetSpent("the time allowed for the whole fetch ran out") from exc
        raise


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the fetch's deadline.

    httpx's timeouts apply to each socket operation: a server sending one byte every few seconds
    never trips them. Capping each operation at what is left of the budget does.
    """

    def __init__(self, stream: httpcore.NetworkStream, budget: Budget):
        self._stream, self._budget = stream, budget

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return within(self._budget, timeout, self._stream.read, max_bytes)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        within(self._budget, timeout, self._stream.write, buffer)

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        tls = within(self._budget, timeout, self._stream.start_tls, ssl_context, server_hostname)
        return DeadlineStream(tls, self._budget)

    def close(self) -> None:
        self._stream.close()

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, budget: Budget):
        self._backend, self._budget = httpcore.SyncBackend(), budget

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        def connect(timeout):
            return self._backend.connect_tcp(host, port, timeout, local_address, socket_options)

        stream = within(self._budget, timeout, connect)
        return DeadlineStream(stream, self._budget)

    def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore sleeps only between retries
        time.sleep(min(seconds, max(0.0, self._budget.left())))
