"""A translated fragment with its placeholders replaced by what they stand for (``items``).

Never raises on bad markup: stray tags are dropped, unclosed pairs closed, missing kept items
appended; each repair is a ``Problem`` (a code and what it concerns), which QA shows as an error
in the reviewer's language (``translation/qa_messages.py``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from babelpress.translation.placeholders import TAG, split_on_placeholders, tidy_tags
from babelpress.translation.segmenter.items import Kept, Pair


@dataclass(frozen=True)
class Problem:
    """A repair: ``code`` (a key of ``qa_messages.MESSAGES``) and its ``params``; ``str()`` is the
    message in the active language."""

    code: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        from babelpress.translation.qa_messages import render

        return render(self.code, self.params)


def restore(segment, fragment: str, *, is_html: bool, alts: dict, original: bool = False) -> tuple[str, list[Problem]]:
    """(``fragment`` with the items of ``segment`` put back, the repairs made). HTML for body blocks
    (``is_html``), plain text otherwise; ``original`` puts glossary terms back in their source form."""
    return _Restorer(segment._items, is_html=is_html, alts=alts, original=original).run(fragment)


class _Restorer:
    """One pass over a fragment's text runs and tags, repairing as it goes."""

    def __init__(self, items: list, *, is_html: bool, alts: dict, original: bool):
        self.items, self.is_html, self.alts, self.original = items, is_html, alts, original
        self.out: list[str] = []
        self.problems: list[Problem] = []
        self.stack: list[int] = []  # open pairs, innermost last
        self.used: set[int] = set()
        self.overlapped: set[int] = set()  # pairs closed early: their own end tag is expected later
        self.dropped: list[int] = []  # second copies of a pair: their end tag goes too

    def run(self, fragment: str) -> tuple[str, list[Problem]]:
        for kind, run in split_on_placeholders(tidy_tags(fragment)):
            if kind == "text":
                text = html.unescape(run)
                self.out.append(html.escape(text, quote=False) if self.is_html else text)
            else:
                self.tag(run)
        while self.stack:
            n = self.stack.pop()
            self.close(n)
            self.report(n, "markup.unclosed")
        self.add_missing()
        return "".join(self.out), self.problems

    def report(self, n: int, code: str) -> None:
        self.problems.append(Problem(code, {"item": self.items[n - 1].identity()}))

    def close(self, n: int) -> None:
        if self.is_html:
            self.out.append(self.items[n - 1].close_html())

    def put(self, item) -> str:
        return item.html(self.alts, self.original) if self.is_html else item.plain(self.original)

    def tag(self, run: str) -> None:
        m = TAG.fullmatch(run)
        closing, letter, n = m[1] == "/", m[2], int(m[3])
        item = self.items[n - 1] if 0 < n <= len(self.items) else None
        expected = Pair if letter == "g" else Kept
        # "</x1>" and "<g1/>" are not forms we send: treat them as stray.
        malformed = (letter == "x" and closing) or (letter == "g" and m[4] == "/")
        if not isinstance(item, expected) or malformed:
            self.problems.append(Problem("markup.stray"))
        elif letter == "x":
            self.kept(n, item)
        elif not closing:
            self.open(n, item)
        else:
            self.end(n)

    def kept(self, n: int, item) -> None:
        if n in self.used:
            self.report(n, "markup.twice")
            return
        self.used.add(n)
        self.out.append(self.put(item))

    def open(self, n: int, item) -> None:
        if n in self.used:
            self.report(n, "markup.twice")
            self.dropped.append(n)  # its end tag goes too, without a second report
            return
        self.used.add(n)
        self.stack.append(n)
        if self.is_html:
            self.out.append(item.open_html())

    def end(self, n: int) -> None:
        if n in self.stack:
            while self.stack:
                top = self.stack.pop()
                self.close(top)
                if top == n:
                    break
                self.overlapped.add(top)
                self.report(top, "markup.overlapped")
        elif n in self.overlapped:
            self.overlapped.discard(n)  # already closed (and reported) above
        elif n in self.dropped:
            self.dropped.remove(n)
        elif n in self.used:
            self.report(n, "markup.closed-twice")
        else:
            self.report(n, "markup.end-first")

    def add_missing(self) -> None:
        for n, item in enumerate(self.items, start=1):
            if n in self.used:
                continue
            if isinstance(item, Pair):
                self.report(n, "markup.lost")
                continue
            self.report(n, "markup.missing")
            restored = self.put(item)
            if self.out and restored and not "".join(self.out[-1:]).endswith((" ", "\n")):
                self.out.append(" ")
            self.out.append(restored)
