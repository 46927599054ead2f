"""Logging helpers referenced from settings.LOGGING."""

from __future__ import annotations

import logging


class WithoutTraceback(logging.Filter):
    """Keep the one-line message of an expected refusal and drop its traceback.

    Django logs every refused request (a Host header not in BABELPRESS_ALLOWED_HOSTS, say) with
    the exception attached: fifteen lines of stack from any stranger's one request, which bury the
    tracebacks that do matter."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        return True
