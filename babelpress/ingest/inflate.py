"""Bounded gzip/deflate decoding: a compressed body never inflates past the size limit.

Each ``Inflater`` stage is fed the body as it streams in and asked for at most ``limit`` bytes,
so a gzip bomb (1 MB that inflates to 1 GB) is refused once it passes the limit, never inflated whole.
"""

from __future__ import annotations

import zlib

from django.utils.translation import gettext_noop

from .messages import Message
from .errors import ContentDecodingError


class Inflater:
    """One Content-Encoding stage (gzip or deflate) whose output never exceeds a given limit."""

    def __init__(self, coding: str):
        self.coding = coding
        self._raw_fallback = coding == "deflate"
        self._obj = zlib.decompressobj(31 if coding == "gzip" else 15)
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        while data:
            # max_length bounds each step: a 1 KB bomb never turns into more than limit+1 bytes.
            try:
                piece = self._obj.decompress(data, limit - len(out) + 1)
            except zlib.error:
                if self._raw_fallback and not self._started:
                    # "deflate" is often sent raw, without the zlib header it should have.
                    self._raw_fallback = False
                    self._obj = zlib.decompressobj(-15)
                    continue
                raise
            self._started = True
            out += piece
            if len(out) > limit:
                raise Overflow
            if self._obj.eof:
                rest = self._obj.unused_data + self._obj.unconsumed_tail
                if self.coding == "gzip" and rest.lstrip(b"\x00")[:2] == b"\x1f\x8b":
                    # Concatenated gzip members are one valid stream (RFC 1952).
                    self._obj = zlib.decompressobj(31)
                    data = rest.lstrip(b"\x00")
                    continue
                break  # trailing garbage after the stream: ignored, as browsers do
            data = self._obj.unconsumed_tail
        return bytes(out)

    def flush(self, limit: int) -> bytes:
        out = self._obj.flush(limit + 1) if not self._obj.eof else b""
        if len(out) > limit:
            raise Overflow
        return out


class Overflow(Exception):
    pass


def decoders(content_encoding: str | None, url: str) -> list[Inflater]:
    stages = []
    for coding in (content_encoding or "").lower().split(","):
        coding = coding.strip()
        if coding in ("", "identity"):
            continue
        if coding in ("gzip", "x-gzip"):
            stages.append(Inflater("gzip"))
        elif coding == "deflate":
            stages.append(Inflater("deflate"))
        else:
            raise ContentDecodingError(
                Message(gettext_noop("%(address)s was sent with Content-Encoding %(coding)s, which Babelpress did not "
                                     "ask for and cannot decode (it accepts gzip and deflate). The server is "
                                     "misconfigured; ask the publisher to honour Accept-Encoding."),
                        address=url, coding=repr(coding)),
                url,
            )
    return list(reversed(stages))  # applied in reverse order of listing
