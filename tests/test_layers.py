"""The layer rules on the import graph (issue 20 item 1): every import arrow points one way.

ingestion -> dbt -> checks -> publish -> dashboards, orchestration wiring them, `seamline_core` shared by
all, benchmarks and tests on top. Every .py file of the project packages is parsed (never imported), and
each import (``import x``, ``from x import y``, relative imports resolved, ``importlib.import_module`` /
``__import__`` with a literal name) is checked against the rules below. Imports inside functions and
``if TYPE_CHECKING:`` blocks count too: a deferred import is still an arrow.

A rule that cannot be met yet is listed in ``KNOWN_EXCEPTIONS`` with its issue number; the test fails on
any other backward import and on an exception that no longer occurs (delete it then).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# Top-level folders whose Python files form the import graph (dbt_project: the dbt Python models).
PACKAGES = ("seamline_core", "ingestion", "sandbox", "orchestration", "dashboards", "analytics", "evaluation",
            "benchmarks", "dbt_project", "tests")
OTHER_PROJECT_PACKAGES = {package: set(PACKAGES) - {package} for package in PACKAGES}

# importer package -> project packages it must not import
FORBIDDEN: dict[str, set[str]] = {
    # shared by every layer, so it depends on none of them
    "seamline_core": OTHER_PROJECT_PACKAGES["seamline_core"],
    # the first layer: connectors only; they never know they may be talking to a sandbox
    "ingestion": {"sandbox", "orchestration", "dashboards", "analytics", "evaluation", "benchmarks",
                  "dbt_project", "tests"},
    # the vendors' stand-in (demo world, truth, API servers); its direct loader writes raw tables with the
    # connectors' own record specs, so it may import ingestion, never the layers above
    "sandbox": {"orchestration", "dashboards", "analytics", "evaluation", "benchmarks", "dbt_project",
                "tests"},
    # reads only the published snapshot, through seamline_core.snapshots
    "dashboards": {"orchestration", "ingestion", "sandbox", "benchmarks", "tests"},
    # logic used by dbt models and scoring against the world's truth
    "analytics": {"orchestration", "dashboards", "benchmarks", "tests"},
    "evaluation": {"orchestration", "dashboards", "benchmarks", "tests"},
    "dbt_project": {"orchestration", "dashboards", "evaluation", "benchmarks", "sandbox", "tests"},
    # wiring: may import the layers it wires, not the readers on top nor the tests ...
    "orchestration": {"dashboards", "benchmarks", "tests"},
    "benchmarks": {"tests"},
}
# ... except the `seamline` console script, which sits on top of everything.
UNRESTRICTED_MODULES = {"orchestration.cli"}

# (importer module, imported top-level package) -> why it is still allowed. None today; add one only
# with the issue that will remove it, e.g.
#   ("sandbox.world.x", "orchestration"): "issue 20 item 1: ...",
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def _project_files() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            relative = path.relative_to(REPO_ROOT)
            if any(part.startswith(".") or part in {"target", "dbt_packages", "__pycache__"}
                   for part in relative.parts):
                continue
            yield ".".join(relative.with_suffix("").parts).removesuffix(".__init__"), path


def _imports(module: str, path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package_parts = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level + 1]
                yield node.lineno, ".".join([*base, *([node.module] if node.module else [])])
            elif node.module:
                yield node.lineno, node.module
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id in {"import_module", "__import__"}))):
            yield node.lineno, node.args[0].value


def _edits_sys_path(path: Path) -> list[int]:
    """Lines that change ``sys.path`` (how a module reaches files outside the packages, e.g. tests/)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        is_method_call = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        target = node.func.value if is_method_call else None
        if (isinstance(target, ast.Attribute) and target.attr == "path"
                and isinstance(target.value, ast.Name) and target.value.id == "sys"):
            lines.append(node.lineno)
    return lines


def _import_graph() -> list[tuple[str, str, int, str]]:
    """(importer module, its file, line, imported module) for every import in the project."""
    return [(module, str(path.relative_to(REPO_ROOT)), line, imported)
            for module, path in _project_files() for line, imported in _imports(module, path)]


def _violations() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for module, file, line, imported in _import_graph():
        importer, target = module.split(".")[0], imported.split(".")[0]
        if module in UNRESTRICTED_MODULES or target not in FORBIDDEN.get(importer, set()):
            continue
        found.setdefault((module, target), []).append(f"{file}:{line} imports {imported}")
    return found


def test_the_walker_sees_the_import_graph() -> None:
    """Guard against a vacuous pass: every package has files and known arrows are found."""
    modules = {module for module, _ in _project_files()}
    for package in PACKAGES:
        assert any(module.split(".")[0] == package for module in modules), f"no Python files under {package}/"
    edges = {(module, imported) for module, _, _, imported in _import_graph()}
    assert ("ingestion.pipelines", "seamline_core.paths") in edges
    assert ("dashboards.snapshot", "seamline_core.snapshots") in edges
    assert ("orchestration.cli", "dashboards") in edges  # a deferred import inside a function


def test_imports_point_one_way() -> None:
    found = _violations()
    new = {key: where for key, where in found.items() if key not in KNOWN_EXCEPTIONS}
    assert not new, "backward imports (see the rules in tests/test_layers.py):\n" + "\n".join(
        line for where in new.values() for line in where)
    stale = set(KNOWN_EXCEPTIONS) - set(found)
    assert not stale, f"these exceptions no longer occur; delete them from KNOWN_EXCEPTIONS: {sorted(stale)}"


def test_nothing_outside_tests_edits_sys_path() -> None:
    """A ``sys.path`` insertion is how a benchmark imported a test helper without naming ``tests``."""
    edits = [f"{path.relative_to(REPO_ROOT)}:{line}" for module, path in _project_files()
             if not module.startswith("tests") for line in _edits_sys_path(path)]
    assert not edits, f"sys.path changed outside tests/: {edits}"
