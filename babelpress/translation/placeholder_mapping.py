"""What a reviewer typed, back into a segment with its placeholders.

The editable column shows a segment with each placeholder's value in place of its tag
(``placeholder_display.pieces``): "Il coûte 1 240 euros", the link's words without markup. The
reviewer edits plain text; nothing they type is ever taken as a tag ("<x1/>" typed is text).
``segment_from_typed`` compares what they sent with what they were shown, word by word
(``difflib``), and carries each placeholder across the edit:

- a kept value (number, address, glossary term, image …) is an atom: where the reviewer left its
  text as it was, it becomes its ``<xN/>`` again, wherever they moved it. A number written another
  way ("1,240" for "1 240") is the same number: it goes back as the original writes it. Where
  they changed or deleted a value, the placeholder is missing, so the repair adds the original
  value back and QA reports it as an error — a number is never silently changed or lost;
- a kept value the draft lost (an engine dropped the number) is its placeholder again where the
  reviewer types it back;
- a link or emphasis (``<gN>…</gN>``) keeps its two ends where the words around them are; words
  typed just inside stay inside, words typed just outside stay outside, and rewritten link words
  stay the link. Deleting all of a link's words drops the link (QA reports it lost).

Text left exactly as shown gives back the stored segment itself, so saving without changes is
not an edit.
"""

from __future__ import annotations

import difflib
import html
import re

from babelpress.translation.placeholder_display import Atom, atom_for, pieces
from babelpress.translation.segmenter.items import Kept

# A number as people write it ("1 240", "1,240.5"), words, runs of spaces, a line break (an atom
# of its own: "<br>"), any other character.
_BASE_TOKENS = r"\d+(?:[ \u00a0\u202f\u2009,.'’]\d{3}(?!\d))*(?:[.,]\d+)?(?!\w)|\w+|[^\S\n]+|\n|."


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch.isdigit()).lstrip("0")


def _tokenizer(values) -> re.Pattern:
    """Tokens of a text in which each kept value is one token (matched as a whole word)."""
    alternatives = []
    for value in sorted({v for v in values if v and v != "\n"}, key=len, reverse=True):
        pattern = re.escape(value)
        if re.match(r"\w", value):
            pattern = r"(?<!\w)" + pattern
        if re.search(r"\w$", value):
            pattern += r"(?!\w)"
        alternatives.append(pattern)
    return re.compile("|".join([*alternatives, _BASE_TOKENS]), re.DOTALL)


def segment_from_typed(typed: str, stored: str, items: list | None) -> str:
    """``typed`` (the editable column as sent back) as a segment, with the placeholders of
    ``stored`` (the segment that was shown) put back; ``items`` as for ``pieces``."""
    shown = pieces(stored, items)
    if typed == shown.text:
        return stored
    missing = _missing_atoms(shown, items)
    tokenizer = _tokenizer([*(run.shown for kind, run in shown.runs if kind == "atom"), *(a.shown for a in missing)])
    before, atoms, pairs = _shown_tokens(shown, tokenizer)
    after = tokenizer.findall(typed)
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    placed = _place_atoms(atoms, missing, after, opcodes)
    events = _pair_events(pairs, opcodes, len(after))
    out = []
    for position, token in enumerate(after):
        out.extend(events.get(position, ()))
        out.append(f"<x{placed[position].number}/>" if position in placed else html.escape(token, quote=False))
    out.extend(events.get(len(after), ()))
    return "".join(out)


def _shown_tokens(shown, tokenizer):
    """(tokens of the shown text, {token index: Atom}, [(pair number, first token, end token)]
    in the order the pairs open)."""
    tokens: list[str] = []
    atoms: dict[int, Atom] = {}
    starts: dict[int, int] = {}
    pairs: list[tuple[int, int, int]] = []
    order: list[int] = []
    for kind, run in shown.runs:
        if kind == "text":
            tokens.extend(tokenizer.findall(run))
        elif kind == "atom":
            atoms[len(tokens)] = run
            tokens.append(run.shown)
        elif kind == "open":
            starts[run] = len(tokens)
            order.append(run)
        elif kind == "close" and run in starts:
            pairs.append((run, starts[run], len(tokens)))
    pairs.sort(key=lambda pair: order.index(pair[0]))
    return tokens, atoms, pairs


def _missing_atoms(shown, items: list | None) -> list[Atom]:
    """The kept items of the source that the shown text lacks (an engine dropped the number): if
    the reviewer types one back, it is that placeholder again."""
    if items is None:
        return []
    present = {run.number for kind, run in shown.runs if kind == "atom"}
    return [atom_for(item, number, original=False) for number, item in enumerate(items, start=1)
            if isinstance(item, Kept) and number not in present and item.identity()["kind"] not in ("br", "image")]


def _place_atoms(atoms: dict[int, Atom], missing: list[Atom], after, opcodes) -> dict[int, Atom]:
    """{typed token index: Atom}: each atom where its unchanged token went, else at the nearest
    typed token with exactly its text that was not there before (it was moved); then each missing
    atom at the first such token with its text (it was typed back)."""
    kept: dict[int, int] = {}
    for tag, i1, i2, j1, _j2 in opcodes:
        if tag == "equal":
            kept.update({i1 + k: j1 + k for k in range(i2 - i1)})
    placed = {kept[i]: atom for i, atom in atoms.items() if i in kept}
    taken = set(kept.values())
    for i, atom in atoms.items():
        if i in kept:
            continue
        expected = _map_start(i, opcodes, len(after))
        candidates = [j for j, token in enumerate(after) if j not in taken and _same(atom, token)]
        if candidates:
            j = min(candidates, key=lambda j: abs(j - expected))
            placed[j] = atom
            taken.add(j)
    for atom in missing:
        candidates = [j for j, token in enumerate(after) if j not in taken and _same(atom, token)]
        if candidates:
            placed[candidates[0]] = atom
            taken.add(candidates[0])
    return placed


def _same(atom: Atom, token: str) -> bool:
    if token == atom.shown:
        return True
    return atom.kind == "number" and bool(_digits(token)) and _digits(token) == _digits(atom.shown)


def _map_start(boundary: int, opcodes, end: int) -> int:
    """Where a pair starting before shown token ``boundary`` starts in the typed tokens: words
    inserted just before it stay outside."""
    for tag, i1, i2, j1, j2 in opcodes:
        if i2 > boundary:
            return j1 + (boundary - i1) if tag == "equal" else min(j1 + (boundary - i1), j2)
    return end


def _map_end(boundary: int, opcodes) -> int:
    """Where a pair ending before shown token ``boundary`` ends in the typed tokens: words
    inserted just after it stay outside, rewritten last words stay inside."""
    for tag, i1, i2, j1, j2 in reversed(opcodes):
        if i1 < boundary:
            if tag == "equal":
                return j1 + (boundary - i1)
            return j2 if boundary == i2 else min(j1 + (boundary - i1), j2)
    return 0


def _pair_events(pairs, opcodes, end: int) -> dict[int, list[str]]:
    """{typed token index: tags written before it}: ends before starts, inner ends first, outer
    starts first, so pairs nest as they did. A pair left with no words is dropped."""
    marks: list[tuple[int, int, int, str]] = []
    for rank, (number, first, last) in enumerate(pairs):
        start, stop = _map_start(first, opcodes, end), _map_end(last, opcodes)
        if first == last:  # an empty pair stays empty, where it was
            marks.append((start, 1, rank, f"<g{number}></g{number}>"))
            continue
        if stop <= start:
            continue  # its words were all deleted: the repair reports the pair as lost
        marks.append((start, 1, rank, f"<g{number}>"))
        marks.append((stop, 0, -rank, f"</g{number}>"))
    events: dict[int, list[str]] = {}
    for position, _kind, _rank, tag in sorted(marks):
        events.setdefault(position, []).append(tag)
    return events
