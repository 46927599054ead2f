"""How tests/test_boundaries.py checks the app boundaries (docs/architecture.md).

The rules are the import-linter contracts in pyproject.toml. They are checked on grimp's import
graph, which holds every import statement of the package, inside functions and under
``if TYPE_CHECKING`` too, to which this module adds the string references that bind one app to
another, as if they were imports:

- a dotted path into the package (``"babelpress.translation.jobs.enqueue"``,
  ``"babelpress.wsgi:application"``): what ``import_module``, ``mock.patch`` or a setting resolves;
- a model label (``"translation.TranslationJob"``), as in ``ForeignKey("…")`` or ``apps.get_model("…")``;
- the name of a URL whose view another app defines, wherever a string equals it (``reverse("…")``,
  ``redirect("…")``), and ``{% url "…" %}`` in templates;
- the name of a template another app ships (``render(request, "admin/ingest/import.html")``,
  ``{% extends %}``, ``{% include %}``).

Docstrings do not count (prose may name anything); comments are not in the syntax tree. A template
counts as a module of the app whose ``templates/`` folder holds it.
"""

from __future__ import annotations

import ast
import copy
import functools
import inspect
import re
from dataclasses import dataclass
from pathlib import Path

import grimp
from importlinter import api as importlinter
from importlinter.application import output
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.protected import ProtectedContract

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = REPO / "pyproject.toml"
ROOT = "babelpress"
# Top-level modules that wire the apps together and may import any of them; every other top-level
# module is a shared helper and must be named in the "shared-helpers" contract.
WIRING = {"__main__", "cli", "settings", "urls", "wsgi"}
CONTRACT_TYPES = {"forbidden": ForbiddenContract, "independence": IndependenceContract,
                  "protected": ProtectedContract}
MODULE_FIELDS = ("source_modules", "forbidden_modules", "modules", "protected_modules", "allowed_importers")
TEMPLATE_SUFFIXES = {".html", ".txt", ".xml"}
TEMPLATE_TAG = re.compile(r"""{%\s*(url|extends|include)\s+(["'])(?P<name>[^"']+)\2""")


@dataclass(frozen=True)
class Reference:
    importer: str
    imported: str
    line_number: int
    line_contents: str


def contracts(root: str = ROOT) -> list[dict]:
    """The contracts of pyproject.toml, as import-linter reads them, with ``babelpress`` renamed ``root``."""
    options = importlinter.read_configuration(str(PYPROJECT))["contracts_options"]

    def rename(module: str) -> str:
        return root + module.removeprefix(ROOT) if module == ROOT or module.startswith(ROOT + ".") else module

    return [{key: [rename(m) for m in value] if key in MODULE_FIELDS else value for key, value in contract.items()}
            for contract in options]


def check(graph: grimp.ImportGraph, root: str = ROOT) -> dict[str, str]:
    """``{contract id: what breaks it, as lint-imports prints it}`` for each broken contract."""
    broken = {}
    for options in contracts(root):
        contract = CONTRACT_TYPES[options["type"]](name=options["name"], session_options={"root_packages": [root]},
                                                  contract_options=options)
        result = contract.check(copy.deepcopy(graph), verbose=False)
        if not result.kept:
            with output.console.capture() as captured:
                contract.render_broken_contract(result)
            broken[options["id"]] = f"{options['name']}:\n{captured.get()}"
    return broken


def import_graph(root: str, package_dir: Path, *, url_owners: dict[str, str], app_labels: dict[str, str]) -> grimp.ImportGraph:
    """grimp's graph of ``root`` (imported from sys.path) with the string references of ``package_dir`` added."""
    graph = grimp.build_graph(root, cache_dir=None)
    templates = template_modules(root, package_dir)
    for ref in string_references(root, package_dir, graph.modules, url_owners, app_labels, templates):
        graph.add_import(importer=ref.importer, imported=ref.imported, line_number=ref.line_number,
                         line_contents=ref.line_contents)
    return graph


def top_level_modules(package_dir: Path) -> set[str]:
    """The names of the package's top-level modules and subpackages that are not Django apps."""
    names = {path.stem for path in package_dir.glob("*.py") if path.stem != "__init__"}
    names |= {path.parent.name for path in package_dir.glob("*/__init__.py") if not (path.parent / "apps.py").exists()}
    return names


def apps(package_dir: Path) -> set[str]:
    return {path.parent.name for path in package_dir.glob("*/apps.py")}


# --- String references ---------------------------------------------------------------------------


def template_modules(root: str, package_dir: Path) -> dict[str, str]:
    """``{template name: the module it counts as}`` for every template the package ships."""
    found = {}
    for folder in sorted(package_dir.glob("**/templates")):
        for path in sorted(folder.rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES:
                name = path.relative_to(folder).as_posix()
                found.setdefault(name, _template_module(root, package_dir, path))
    return found


def _template_module(root: str, package_dir: Path, path: Path) -> str:
    parts = path.relative_to(package_dir).with_suffix("").parts
    return ".".join([root, *(re.sub(r"\W", "_", part) for part in parts)])


def string_references(root: str, package_dir: Path, modules, url_owners: dict[str, str],
                      app_labels: dict[str, str], templates: dict[str, str]):
    def target(value: str) -> str | None:
        if value == root or value.startswith(root + "."):
            dotted = value.split(":")[0]
            while dotted.count(".") >= 1:
                if dotted in modules:
                    return dotted
                dotted = dotted.rsplit(".", 1)[0]
            return None
        label, _, model = value.partition(".")
        if label in app_labels and re.fullmatch(r"[A-Z]\w*", model):
            models = f"{app_labels[label]}.models"
            return models if models in modules else app_labels[label]
        return url_owners.get(value) or templates.get(value)

    for path in sorted(package_dir.rglob("*.py")):
        module = ".".join([root, *path.relative_to(package_dir).with_suffix("").parts]).removesuffix(".__init__")
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in _strings(ast.parse("\n".join(lines), filename=str(path))):
            imported = target(node.value)
            if imported and imported != module:
                yield Reference(module, imported, node.lineno, lines[node.lineno - 1].strip())
    for name, module in templates.items():
        path = next(p for p in package_dir.glob(f"**/templates/{name}") if _template_module(root, package_dir, p) == module)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in TEMPLATE_TAG.finditer(line):
                imported = target(match["name"])
                if imported and imported != module:
                    yield Reference(module, imported, number, line.strip())


def _strings(tree: ast.AST):
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


# --- What the running project says: URL names and app labels ------------------------------------


def url_owners(root: str = ROOT) -> dict[str, str]:
    """``{URL name: the module defining its view}`` for every named URL of the project served by ``root``."""
    from django.urls import URLResolver, get_resolver

    owners = {}

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif pattern.name:
                module = view_module(pattern.callback)
                if module.startswith(root + "."):
                    owners.setdefault(namespace + pattern.name, module)

    walk(get_resolver().url_patterns, "")
    return owners


def view_module(view) -> str:
    """The module that defines ``view``, through the admin's wrappers and partials."""
    while True:
        if getattr(view, "model_admin", None) is not None:  # ModelAdmin.get_urls' wrapper
            return type(view.model_admin).__module__
        if isinstance(view, functools.partial):
            view = view.func
        elif inspect.ismethod(view):
            return type(view.__self__).__module__
        elif hasattr(view, "__wrapped__"):
            view = view.__wrapped__
        elif hasattr(view, "view_class"):
            return view.view_class.__module__
        else:
            return view.__module__


def app_labels(root: str = ROOT) -> dict[str, str]:
    from django.apps import apps as django_apps

    return {config.label: config.name for config in django_apps.get_app_configs() if config.name.startswith(root + ".")}
