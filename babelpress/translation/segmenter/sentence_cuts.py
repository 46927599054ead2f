"""A text block longer than an engine accepts (``max_segment_chars``) is cut between sentences,
never inside inline markup (``<gN>…</gN>``) or a kept item, into chunks of whole sentences.

Where the sentences end is pysbd's answer (``translation/sentences.py``); this module maps those
ends back onto the block's tokens (see ``items``).
"""

from __future__ import annotations

from babelpress.translation.segmenter.html_tree import HTML_SPACE
from babelpress.translation.segmenter.items import render_tokens
from babelpress.translation.sentences import split_sentences


def chunks(tokens: list, language: str, max_chars: int | None) -> list[tuple[str, list]]:
    """[(joiner before, tokens)]: one chunk, or chunks of whole sentences of at most max_chars."""
    if not max_chars or len(render_tokens(tokens)[0]) <= max_chars:
        return [("", tokens)]
    pieces = sentence_pieces(tokens, language)
    if len(pieces) < 2:
        return [("", tokens)]
    found: list[tuple[str, list]] = []
    joiner, current = pieces[0]
    for piece_joiner, piece in pieces[1:]:
        candidate = current + [("text", piece_joiner)] + piece
        if len(render_tokens(candidate)[0]) <= max_chars:
            current = candidate
        else:
            found.append((joiner, current))
            joiner, current = piece_joiner, piece
    found.append((joiner, current))
    return found


def sentence_pieces(tokens: list, language: str) -> list[tuple[str, list]]:
    """Split tokens at sentence boundaries outside any <gN> pair and outside kept items.

    Returns [(joiner, tokens)]: the joiner is " " when whitespace separated the sentence from the
    previous one (it is trimmed off both pieces), "" otherwise (scripts without spaces). Only HTML
    whitespace is trimmed: a no-break space is text and stays with its sentence.
    """
    display, starts, depths = _layout(tokens)
    boundaries = _boundaries("".join(display), language)
    cuts = _cut_points(tokens, display, starts, depths, boundaries)
    if not cuts:
        return [("", tokens)]
    return _joined(_cut(tokens, cuts))


def _layout(tokens: list) -> tuple[list[str], list[int], list[int]]:
    """The text pysbd sees, token by token (kept items by their source text, so "1 200,50" or a URL
    read naturally), with each token's offset in it and its depth inside <gN> pairs."""
    display, starts, depths = [], [], []
    pos = depth = 0
    for kind, value in tokens:
        shown = value if kind == "text" else (value.source if kind == "x" and value.kind != "br" else "")
        if kind == "x" and value.kind == "br":
            shown = " "
        starts.append(pos)
        if kind == "close":
            depth -= 1
        depths.append(depth)
        if kind == "open":
            depth += 1
        display.append(shown)
        pos += len(shown)
    return display, starts, depths


def _boundaries(text: str, language: str) -> list[int]:
    """Offsets in ``text`` where a sentence other than the first starts."""
    boundaries, pos, first = [], 0, True
    for sentence in split_sentences(text, language):
        sentence = sentence.strip()
        if not sentence:
            continue
        found = text.find(sentence, pos)
        if found < 0:
            continue  # pysbd altered this sentence: no boundary before it
        if not first:
            boundaries.append(found)
        first = False
        pos = found + len(sentence)
    return boundaries


def _cut_points(tokens: list, display, starts, depths, boundaries) -> list[tuple[int, int]]:
    """Boundary offsets → cut points (token index, offset in that token's text)."""
    cuts = []
    for b in boundaries:
        for i, (kind, value) in enumerate(tokens):
            end = starts[i] + len(display[i])
            if kind == "text" and starts[i] <= b < end and depths[i] == 0:
                cuts.append((i, b - starts[i]))
                break
            if starts[i] == b and kind in ("x", "open") and depths[i] == 0:
                cuts.append((i, 0))
                break
            if starts[i] > b:
                break  # inside a pair or a kept item: these sentences stay together
    return cuts


def _cut(tokens: list, cuts: list[tuple[int, int]]) -> list[list]:
    """The tokens cut at the cut points: a list of pieces, each a list of tokens."""
    pieces: list[list] = [[]]
    cut_set = {}
    for i, offset in cuts:
        cut_set.setdefault(i, []).append(offset)
    for i, token in enumerate(tokens):
        kind, value = token
        offsets = sorted(set(cut_set.get(i, [])))
        if kind != "text" or not offsets:
            if offsets:  # cut before a non-text token
                pieces.append([])
            pieces[-1].append(token)
            continue
        last = 0
        for offset in offsets:
            if offset > last:
                pieces[-1].append(("text", value[last:offset]))
            pieces.append([])
            last = offset
        if last < len(value):
            pieces[-1].append(("text", value[last:]))
    return pieces


def _joined(pieces: list[list]) -> list[tuple[str, list]]:
    """[(joiner, piece)]: whitespace between pieces trimmed off them and remembered as " "."""
    out: list[tuple[str, list]] = []
    pending_space = False
    for piece in pieces:
        lead, piece = _strip_tokens(piece)
        if not piece:
            pending_space = pending_space or lead
            continue
        trail = _strip_trailing(piece)
        out.append((" " if (pending_space or lead) else "", piece))
        pending_space = trail
    if out:
        out[0] = ("", out[0][1])
    return out


def _strip_tokens(piece: list) -> tuple[bool, list]:
    """Drop leading whitespace of a piece; True if there was some."""
    piece = list(piece)
    stripped = False
    while piece and piece[0][0] == "text":
        value = piece[0][1].lstrip(HTML_SPACE)
        stripped = stripped or value != piece[0][1]
        if value:
            piece[0] = ("text", value)
            break
        piece.pop(0)
    return stripped, piece


def _strip_trailing(piece: list) -> bool:
    """Drop trailing whitespace of a piece in place; True if there was some."""
    stripped = False
    while piece and piece[-1][0] == "text":
        value = piece[-1][1].rstrip(HTML_SPACE)
        stripped = stripped or value != piece[-1][1]
        if value:
            piece[-1] = ("text", value)
            break
        piece.pop()
    return stripped
