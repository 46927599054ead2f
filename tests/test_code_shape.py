"""The size rules of tests/code_shape.py, checked on small files made for the purpose, so that a
package found in shape is in shape because the checker works, not because it looks at nothing."""

from __future__ import annotations

import textwrap

from .code_shape import Problem, describe, python_files, shape_problems


def module(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def function(name: str, lines: int, *, first: str = "", docstring: bool = False, indent: str = "") -> str:
    """A function of exactly ``lines`` lines, ``first`` (if any) opening its body."""
    body = ([f'    """{name} does things."""'] if docstring else []) + ([f"    {first}"] if first else [])
    body += [f"    x{n} = {n}" for n in range(lines - 1 - len(body))]
    return "\n".join(indent + line for line in [f"def {name}():", *body]) + "\n"


def messages(tmp_path, **limits) -> list[str]:
    return [p.message for p in shape_problems(tmp_path, **limits)]


def test_a_module_over_the_limit_is_reported_with_its_length(tmp_path):
    module(tmp_path, "small.py", "x = 1\n" * 400)
    big = module(tmp_path, "big.py", "x = 1\n" * 401)
    problems = shape_problems(tmp_path)
    assert problems == [Problem(big, 1, "module has 401 lines (at most 400): split it by concern, into modules "
                                        "named for what they hold")]
    assert str(problems[0]).endswith("big.py:1: module has 401 lines (at most 400): split it by concern, into "
                                     "modules named for what they hold")


def test_a_function_over_the_limit_is_reported_where_it_starts(tmp_path):
    module(tmp_path, "fine.py", function("fine", 60))
    path = module(tmp_path, "long.py", "import os\n\n\n" + function("too_long", 61))
    assert shape_problems(tmp_path) == [Problem(path, 4, "function too_long() has 61 lines (at most 60): split it, "
                                                         "or open its body with a one-line '# Long because: …' comment")]


def test_methods_nested_functions_and_async_ones_count_too(tmp_path):
    module(tmp_path, "kinds.py", "class Thing:\n" + function("method", 61, indent="    ")
           + "\n\ndef outer():\n" + function("inner", 61, indent="    ")
           + "\n\nasync " + function("waiting", 61))
    found = messages(tmp_path)
    assert [m.split(" has ")[0] for m in found] == ["function outer()", "function waiting()", "function method()",
                                                    "function inner()"]


def test_a_reason_on_the_first_body_line_or_after_the_docstring_allows_a_long_function(tmp_path):
    module(tmp_path, "reasons.py", function("first_line", 90, first="# Long because: one transaction, in order.")
           + "\n\n" + function("after_docstring", 90, docstring=True, first="# Long because: a table of cases.")
           + "\n\ndef multi_line_signature(\n    a,\n    b,\n):\n"
           + "".join(f"    {line}\n" for line in ["# Long because: a state machine.", *[f"y{n} = {n}" for n in range(80)]]))
    assert messages(tmp_path) == []


def test_a_reason_anywhere_else_or_without_words_does_not_count(tmp_path):
    later = function("later", 70).replace("    x3 = 3\n", "    x3 = 3\n    # Long because: hidden further down.\n")
    module(tmp_path, "bad.py", later + "\n\n"
           + function("empty_reason", 70, first="# Long because:") + "\n\n"
           + function("other_words", 70, first="# This is long because it is.") + "\n\n"
           + "# Long because: above the def, not in the body.\n" + function("above", 70))
    assert [m.split("()")[0] for m in messages(tmp_path)] == ["function later", "function empty_reason",
                                                             "function other_words", "function above"]


def test_limits_can_be_chosen_and_migrations_are_left_out(tmp_path):
    module(tmp_path, "app/migrations/0001_initial.py", "x = 1\n" * 900)
    module(tmp_path, "app/models.py", "x = 1\n" * 50 + function("f", 12))
    assert [p.name for p in python_files(tmp_path)] == ["models.py"]
    assert messages(tmp_path, max_module_lines=40, max_function_lines=10) == [
        "module has 62 lines (at most 40): split it by concern, into modules named for what they hold",
        "function f() has 12 lines (at most 10): split it, or open its body with a one-line '# Long because: …' "
        "comment"]
    assert len(shape_problems(tmp_path, max_module_lines=40, max_function_lines=10, exclude=())) == 3


def test_the_report_lists_every_problem_one_per_line(tmp_path):
    module(tmp_path, "a.py", "x = 1\n" * 401)
    module(tmp_path, "b.py", function("g", 61))
    text = describe(shape_problems(tmp_path))
    assert text.splitlines()[0] == 'Too long (docs/architecture.md, "Shape"):'
    assert len(text.splitlines()) == 3 and "a.py:1: module has 401 lines" in text and "b.py:1: function g()" in text


def test_no_module_or_function_of_babelpress_is_too_long():
    """The whole package keeps the shape (migrations aside): modules up to 400 lines, functions up
    to 60 unless their first line says why."""
    from .code_shape import PACKAGE

    problems = shape_problems(PACKAGE)
    assert not problems, describe(problems)
