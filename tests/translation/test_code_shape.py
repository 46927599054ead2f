"""The translation app keeps a shape a newcomer can find their way in: no module over 400 lines,
no function over 60 lines unless its first body line says why (``# Long because: …``).

A module named for one concept ("glossary enforcement", "the job queue") is the answer to "where
is …" (docs/architecture.md); a module that grows past 400 lines holds more than one. The checker
below is this app's own for now; the lead plans one shared checker for every app.
"""

from __future__ import annotations

import ast
from pathlib import Path

import babelpress.translation

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
REASON = "# Long because:"


def shape_problems(package: Path) -> list[str]:
    """What breaks the rules in the Python files under ``package`` (migrations are generated: left out)."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        if "migrations" in path.relative_to(package).parts:
            continue
        name = path.relative_to(package.parent).as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        if len(lines) > MAX_MODULE_LINES:
            problems.append(f"{name}: {len(lines)} lines, more than {MAX_MODULE_LINES}: split it by concept.")
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES and not _gives_a_reason(node, lines):
                problems.append(
                    f"{name}:{node.lineno}: {node.name}() is {length} lines, more than {MAX_FUNCTION_LINES}: split "
                    f"it, or say why as its first body line ({REASON} …)."
                )
    return problems


def _gives_a_reason(node: ast.FunctionDef, lines: list[str]) -> bool:
    """A "# Long because: <reason>" comment before the first statement (docstring aside)."""
    body = node.body
    first_code = body[1] if len(body) > 1 and _is_docstring(body[0]) else body[0]
    between = lines[node.lineno:first_code.lineno - 1]  # signature, docstring and comments before the code
    return any(line.strip().startswith(REASON) and line.strip()[len(REASON):].strip() for line in between)


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(
        statement.value.value, str)


def test_translation_modules_and_functions_are_small():
    package = Path(babelpress.translation.__file__).parent

    assert shape_problems(package) == []


def function(name: str, lines: int, first: str = "") -> str:
    body = [f"    x{i} = {i}" for i in range(lines - 1 - bool(first))]
    return "\n".join([f"def {name}():", *([first] if first else []), *body]) + "\n"


def test_the_checker_finds_a_long_module_and_a_long_function_without_its_reason(tmp_path):
    package = tmp_path / "app"
    (package / "migrations").mkdir(parents=True)
    (package / "big.py").write_text("x = 1\n" * 401)
    (package / "just_right.py").write_text("x = 1\n" * 400)
    (package / "migrations" / "0001_initial.py").write_text("x = 1\n" * 900)
    (package / "functions.py").write_text(
        function("sixty", 60)
        + function("unexplained", 61)
        + function("empty_reason", 61, "    # Long because:")
        + function("explained", 61, "    # Long because: one table of cases reads best whole.")
        + function("explained_after_its_docstring", 62, '    """Docstring."""\n    # Long because: same.')
    )

    assert shape_problems(package) == [
        "app/big.py: 401 lines, more than 400: split it by concept.",
        "app/functions.py:61: unexplained() is 61 lines, more than 60: split it, or say why as its first body "
        "line (# Long because: …).",
        "app/functions.py:122: empty_reason() is 61 lines, more than 60: split it, or say why as its first body "
        "line (# Long because: …).",
    ]
