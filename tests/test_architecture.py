"""The house's plan, checked: dependencies point one way (docs/architecture.md),
no import circles (lazy imports inside functions included), small modules.

`pytest tests/test_architecture.py -q` is the command that shows it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "alerts"
MAX_MODULE_LINES = 350

# Each part of the package by rank: a module may import its own part and parts
# of a lower rank, never a higher one nor another part of its own rank.
RANKS: dict[str, int] = {
    "alerts": 0,  # the package itself: version and homepage
    "model": 0,
    "errors": 0,
    "chunks": 0,  # one way to go through a long list a slice at a time (store, sources)
    "text": -1,  # text hygiene for strings from outside (model's descriptions use it)
    "boards": 1,
    "backoff": 1,
    "countries": 1,  # pure: country codes and names (pycountry), for config, filters and sources
    "config": 2,
    "filters": 3,
    "reconcile": 3,
    "pacing": 3,
    "sources": 4,
    "store": 4,
    "notify": 4,
    "delivery": 5,
    "cycle": 6,
    "service": 7,
    "cli": 8,
    "__main__": 9,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str, modules: set[str]) -> set[str]:
    """Every module of ours this file imports, at the top or inside functions.

    `from alerts.sources import ashby` imports the module alerts.sources.ashby;
    `from alerts.sources import SOURCES` imports alerts.sources itself.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    return found & modules


def _graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: _imports(path, name, set(files)) - {name} for name, path in files.items()}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "alerts"


def test_every_part_has_a_rank() -> None:
    assert {_part(name) for name in _graph()} <= set(RANKS)


def test_dependencies_point_one_way() -> None:
    wrong = []
    for module, imported in _graph().items():
        mine = _part(module)
        for other in imported:
            theirs = _part(other)
            if theirs != mine and RANKS[theirs] >= RANKS[mine]:
                wrong.append(f"{module} imports {other}")
    assert wrong == []


def test_no_import_circles() -> None:
    edges = _graph()
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for other in sorted(edges[module]):
            if state.get(other) == 1:
                circles.append(path[path.index(other) :] + [other])
            elif other not in state:
                visit(other)
        path.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert circles == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES


def test_every_package_ships() -> None:
    """pyproject.toml lists its packages one by one (migrations/ ships as
    alerts.migrations): a package left out is missing from every installed copy."""
    import tomli

    listed = set(
        tomli.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {_module_name(path) for path in PACKAGE.rglob("__init__.py")}
    assert found <= listed, f"not in pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"


def test_migrations_import_only_the_store_and_what_is_below_it() -> None:
    """migrations/ ships as alerts.migrations: it may use the store's tables
    and the pure parts under it (countries, model), never a higher part."""
    allowed = {part for part, rank in RANKS.items() if rank < RANKS["store"]} | {"store"}
    allowed -= {"alerts"}
    found: dict[str, set[str]] = {}
    for path in sorted((PACKAGE.parent / "migrations").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                if name.startswith("alerts."):
                    found.setdefault(_part(name), set()).add(path.name)
    assert set(found) <= allowed, {part: files for part, files in found.items() if part not in allowed}
    assert "store" in found  # the check reads the imports at all


def test_one_way_to_say_no_such_board() -> None:
    """Two copies of `unknown_board` and `redirect_target` (sources/failures.py
    and sources/not_found.py, one per merged branch) with different
    signatures and different guards: Breezy, Personio, Pinpoint and
    Teamtailor used one, Workday, BambooHR and Rippling the other."""
    from alerts.sources import failures, not_found

    assert not (hasattr(failures, "unknown_board") and hasattr(not_found, "unknown_board"))
    assert not (hasattr(failures, "redirect_target") and hasattr(not_found, "redirect_target"))


def test_one_chunked_for_every_batch_loop() -> None:
    """Every slice-at-a-time loop goes through alerts.chunks.chunked."""
    for path in PACKAGE.rglob("*.py"):
        if path.name != "chunks.py":
            assert "range(0, len(" not in path.read_text(), path
