"""Is this binary? The importer asks before treating a download or an upload as a page or a feed.

One answer for feeds and pages alike: a NUL byte means binary unless the bytes are UTF-16 or UTF-32
text (with a byte-order mark, or without one but starting with "<" or "{" once decoded); otherwise
more than 5 % control characters (at least 8) means binary. The 5 % is the more lenient of the two
thresholds this replaced (pages had 5 %, feeds 2 %): real binaries nearly always hold a NUL in their
first kilobyte, while legitimate text can carry control bytes (ISO-2022-JP's escapes, stray form
feeds), and a wrong "binary" loses a story where a wrong "text" only fails to parse, with its message.
"""

from __future__ import annotations

_UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00")
_WIDE_CODECS = (("utf-32-be", 4), ("utf-32-le", 4), ("utf-16-be", 2), ("utf-16-le", 2))


def looks_binary(head: bytes) -> bool:
    """True when ``head`` (the first kilobyte or so of a document) is not text."""
    if head.startswith(_UNICODE_BOMS):
        return False
    if b"\x00" in head:
        return not _wide_text(head)
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls > max(8, len(head) // 20)


def _wide_text(head: bytes) -> bool:
    """UTF-16/32 without a byte-order mark: markup or JSON still starts with "<" or "{" once decoded."""
    for codec, unit in _WIDE_CODECS:
        sample = head[: len(head) - len(head) % unit][:256]
        try:
            if sample.decode(codec).lstrip()[:1] in ("<", "{"):
                return True
        except UnicodeDecodeError:
            continue
    return False
