"""How the tests hold modules and functions to their size (docs/architecture.md, "Shape").

A module has at most ``MAX_MODULE_LINES`` lines; a function or method (nested ones too) at most
``MAX_FUNCTION_LINES``, counted from its ``def`` line to its last line (decorators excluded),
unless its body opens with a one-line reason, a comment starting ``# Long because:`` followed by
the reason, written as the first line of the body or as the first line after the docstring:

    def translate_article(article, language):
        # Long because: one transaction that reads as the steps it takes, in order.
        ...

Use it on any folder of the package:

    problems = shape_problems(PACKAGE / "ingest")
    assert not problems, describe(problems)

Generated migrations are left out (``exclude``); so are files that are not Python.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "babelpress"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
REASON = re.compile(r"^\s*# Long because: \S")
EXCLUDE = ("migrations",)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        try:
            shown = self.path.relative_to(REPO)
        except ValueError:
            shown = self.path
        return f"{shown}:{self.line}: {self.message}"


def python_files(root: Path, exclude: Iterable[str] = EXCLUDE) -> list[Path]:
    """Every .py file under ``root`` (or ``root`` itself), but those inside a folder named in ``exclude``."""
    if root.is_file():
        return [root]
    skipped = set(exclude)
    return sorted(p for p in root.rglob("*.py") if not skipped & set(p.relative_to(root).parts[:-1]))


def shape_problems(root: Path, *, max_module_lines: int = MAX_MODULE_LINES,
                   max_function_lines: int = MAX_FUNCTION_LINES, exclude: Iterable[str] = EXCLUDE) -> list[Problem]:
    """Modules and functions under ``root`` longer than allowed (functions without a reason)."""
    problems = []
    for path in python_files(root, exclude):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if len(lines) > max_module_lines:
            problems.append(Problem(path, 1, f"module has {len(lines)} lines (at most {max_module_lines}): split it "
                                             "by concern, into modules named for what they hold"))
        problems += _long_functions(path, ast.parse(text, filename=str(path)), lines, max_function_lines)
    return problems


def _long_functions(path: Path, tree: ast.Module, lines: list[str], limit: int) -> list[Problem]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        length = node.end_lineno - node.lineno + 1
        if length > limit and not has_reason(node, lines):
            found.append(Problem(path, node.lineno, f"function {node.name}() has {length} lines (at most {limit}): "
                                                    "split it, or open its body with a one-line "
                                                    "'# Long because: …' comment"))
    return found


def has_reason(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    """Whether the body's first line, or the first line after its docstring, is a reason comment."""
    body = node.body
    if REASON.match(_comment_above(lines, node.lineno, body[0].lineno - 1)):
        return True
    has_docstring = isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str)
    return has_docstring and len(body) > 1 and bool(REASON.match(_comment_above(lines, body[0].end_lineno,
                                                                                body[1].lineno - 1)))


def _comment_above(lines: list[str], start: int, stop: int) -> str:
    """The first line of the comments right above ``lines[stop]`` and below ``lines[start - 1]``, or ""."""
    top = stop
    while top > start and (not lines[top - 1].strip() or lines[top - 1].lstrip().startswith("#")):
        top -= 1
    return next((line for line in lines[top:stop] if line.strip()), "")


def describe(problems: list[Problem]) -> str:
    return "Too long (docs/architecture.md, \"Shape\"):\n" + "\n".join(f"  {p}" for p in problems)
