"""Which charset a fetched document is in: byte-order mark, HTTP header, <meta>, XML declaration,
then sniffing, as browsers do (WHATWG Encoding Standard)."""

from __future__ import annotations

import codecs
import re

# WHATWG Encoding Standard: these labels mean a superset in practice (browsers decode them so).
_CHARSET_SUPERSETS = {
    "ascii": "cp1252", "latin-1": "cp1252", "iso8859-1": "cp1252",
    "iso8859-9": "cp1254", "iso8859-11": "cp874", "tis-620": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "euc_kr": "cp949",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE)
_CHARSET_PARAM_RE = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def _codec(label: str | bytes | None) -> str | None:
    """Python codec name for a charset label, None when unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _CHARSET_SUPERSETS.get(name, name)


def _strict(content: bytes, codec: str) -> str | None:
    try:
        return content.decode(codec)
    except (UnicodeDecodeError, LookupError):
        if codec == "cp1252":  # five bytes are undefined in cp1252; ISO-8859-1 maps them all
            return content.decode("latin-1")
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _CHARSET_PARAM_RE.search(content_type or "")
    return match.group(1) if match else None


def decode_bytes(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a document: (text, codec name).

    Order: a byte-order mark (it cannot lie, and the Encoding Standard lets it win over the
    header); the HTTP charset; <meta charset> / http-equiv; the XML declaration; then sniffing
    (UTF-8 if valid, charset_normalizer if installed), last UTF-8 with replacement characters.
    A declared legacy charset on bytes that are valid, non-ASCII UTF-8 is taken to be wrong:
    servers that default to ISO-8859-1 are far more common than such a coincidence.
    """
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content[len(bom):].decode(codec, "replace"), codec.replace("-le", "").replace("-be", "")
    head = content[:4096]
    declared = [
        charset_from_content_type(content_type),
        *(m.group(1).decode("ascii", "ignore") for m in _META_CHARSET_RE.finditer(head)),
    ]
    xml = _XML_DECL_RE.match(head)
    if xml:
        declared.append(xml.group(1).decode("ascii", "ignore"))
    utf8_text = None
    try:
        utf8_text = content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for label in declared:
        codec = _codec(label)
        if codec is None:
            continue
        if codec.startswith(("utf-16", "utf-32")):
            # Without a BOM, an ASCII-compatible document cannot really be UTF-16 (WHATWG: use UTF-8).
            if b"\x00" not in head:
                codec = "utf-8"
            else:
                text = _strict(content, codec)
                if text is not None:
                    return text, codec
                continue
        if utf8_text is not None and codec != "utf-8" and not content.isascii():
            return utf8_text, "utf-8"
        text = _strict(content, codec)
        if text is not None:
            return text, codec
    if utf8_text is not None:
        return utf8_text, "utf-8"
    codec = _guess(content)
    if codec:
        return content.decode(codec, "replace"), codec
    return content.decode("utf-8", "replace"), "utf-8"


def _guess(content: bytes) -> str | None:
    """The codec charset_normalizer finds most plausible for undeclared, non-UTF-8 bytes."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer ships with our dependencies
        return None
    matches = list(from_bytes(content[:65536]))
    if not matches:
        return None
    least = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= least + 0.001]
    # Equally plausible single-byte guesses (French in cp1250 and cp1252 look alike to the
    # detector): prefer windows-1252, the Encoding Standard's default for undeclared legacy
    # pages, which turns "à" into "ŕ" far less often than the alternatives.
    if any("cp1252" in m.could_be_from_charset for m in tied):
        return "cp1252"
    return _codec(matches[0].encoding)
