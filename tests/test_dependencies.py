"""What babelpress/ imports is what pyproject.toml declares: an install from the package index works,
and nothing the product needs hides in the test extras.

Imports are read from the source (AST), so an import inside a function (a lazily loaded model, an
optional path) counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def distribution_key(requirement: str) -> str:
    """'psycopg[binary]>=3.2' -> 'psycopg'; names compared as PEP 503 normalises them."""
    name = re.match(r"[A-Za-z0-9._-]+", requirement.strip()).group(0)
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> tuple[set[str], set[str]]:
    """(runtime dependencies, test-only dependencies)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {distribution_key(r) for r in project["dependencies"]}
    test = {distribution_key(r) for r in project["optional-dependencies"]["test"]}
    return runtime, test - runtime


def imported_modules(package: Path) -> dict[str, set[str]]:
    """Top-level module name -> files importing it, for every absolute import anywhere in ``package``."""
    found: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(package.parent)))
    return found


def third_party(modules: dict[str, set[str]], own: str) -> dict[str, set[str]]:
    return {name: files for name, files in modules.items() if name not in sys.stdlib_module_names and name != own}


@functools.cache
def _installed() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()  # import name -> distributions providing it


def distributions_of(module: str) -> set[str]:
    return {distribution_key(d) for d in _installed().get(module, [])}


def undeclared(package: Path, runtime: set[str]) -> list[str]:
    problems = []
    for module, files in sorted(third_party(imported_modules(package), package.name).items()):
        dists = distributions_of(module)
        if not dists:
            problems.append(f"{module} (imported by {', '.join(sorted(files))}) is installed by no distribution")
        elif not dists & runtime:
            problems.append(f"{module} (imported by {', '.join(sorted(files))}) comes from {', '.join(sorted(dists))}, "
                            "which [project] dependencies do not list")
    return problems


def test_every_package_babelpress_imports_is_a_declared_runtime_dependency():
    runtime, _ = declared()
    problems = undeclared(ROOT / "babelpress", runtime)
    assert not problems, "Declare these in pyproject.toml [project] dependencies:\n" + "\n".join(problems)


def test_babelpress_imports_no_package_that_only_the_tests_install():
    _, test_only = declared()
    used = {dist for module in third_party(imported_modules(ROOT / "babelpress"), "babelpress")
            for dist in distributions_of(module)}
    assert not used & test_only, f"babelpress/ imports test-only packages: {sorted(used & test_only)}"


def test_the_check_sees_imports_inside_functions_and_reports_what_is_missing(tmp_path):
    package = tmp_path / "newsapp"
    package.mkdir()
    (package / "__init__.py").write_text("import os\nfrom . import helpers\n")
    (package / "lazy.py").write_text("def rank(texts):\n    import numpy\n    from babel.dates import format_date\n")

    assert set(third_party(imported_modules(package), "newsapp")) == {"numpy", "babel"}
    assert undeclared(package, {"babel", "numpy"}) == []
    [problem] = undeclared(package, {"babel"})
    assert problem.startswith("numpy (imported by newsapp/lazy.py) comes from numpy")
