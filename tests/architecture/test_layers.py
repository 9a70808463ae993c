"""The layout shows the design, and stays that way: layers only look down, no import cycle, one
home per output, modules of a readable size (docs/dev/architecture.md explains each rule)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import exporter
from exporter.writers import WRITERS, resolve

PACKAGE = Path(exporter.__file__).resolve().parent

#: Lowest first. A module may import its own layer and the layers below it, never above.
LAYERS: list[tuple[str, ...]] = [
    ("exporter", "exporter.errors", "exporter.messages", "exporter.text", "exporter.labels"),
    ("exporter.options", "exporter.model", "exporter.files"),
    ("exporter.content",),
    ("exporter.pdf",),
    ("exporter.writers",),
    ("exporter.build", "exporter.importer", "exporter.starter"),
    ("exporter.cli", "exporter.commands", "exporter.__main__"),
    ("exporter.testing",),
]
MAX_MODULE_LINES = 450


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path, known: set[str]) -> Iterator[tuple[int, str]]:
    """Every exporter module the file imports, at the top or inside a function (a lazy import
    is still a dependency)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name.startswith("exporter"):
                yield node.lineno, name
                break


def layer_of(name: str) -> int:
    best, best_length = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    assert best >= 0, f"{name} is in no layer: add it to LAYERS and to docs/dev/architecture.md"
    return best


def import_graph() -> dict[str, dict[str, int]]:
    found = modules()
    known = set(found)
    return {name: {target: line for line, target in imported_modules(path, known)} for name, path in found.items()}


def writer_home(name: str) -> str | None:
    """The output a module belongs to (writers/<output>...), or None outside writers/."""
    parts = name.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "writers" else None


def test_every_import_looks_down_the_layers() -> None:
    upward = [
        f"{modules()[source].relative_to(PACKAGE.parent)}:{line}: {source} imports {target}"
        for source, targets in import_graph().items()
        for target, line in targets.items()
        if layer_of(target) > layer_of(source) and not target == "exporter"
    ]
    assert upward == []


def test_the_import_graph_has_no_cycle() -> None:
    graph = {source: set(targets) - {source} for source, targets in import_graph().items()}
    # A package's __init__ importing its own modules is how a package is made, not a cycle.
    for source, targets in graph.items():
        graph[source] = {t for t in targets if not (source.startswith(t + ".") and t != "exporter")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                cycles.append(trail[trail.index(target) :] + [target] if target in trail else [node, target])
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_no_writer_imports_another_writers_home() -> None:
    crossing = [
        f"{source} imports {target}"
        for source, targets in import_graph().items()
        for target in targets
        if writer_home(source) and writer_home(target) and writer_home(source) != writer_home(target)
    ]
    assert crossing == []


def test_each_output_is_one_home_under_writers_and_one_table_entry() -> None:
    for name, spec in WRITERS.items():
        module = spec.target.split(":")[0]
        assert writer_home(module) is not None, f"{name}: its writer is not under exporter.writers"
        assert callable(resolve(spec.target))
        for target in (spec.share, spec.join, spec.course_part):
            if target is not None:
                assert writer_home(target.split(":")[0]) == writer_home(module)
    homes = {writer_home(spec.target.split(":")[0]) for spec in WRITERS.values()}
    on_disk = {path.stem for path in (PACKAGE / "writers").iterdir() if path.name != "__init__.py"}
    on_disk -= {"__pycache__"}
    assert on_disk == homes, "every folder or module under writers/ is one output in the table"


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_over_450_lines(name: str) -> None:
    lines = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{name} has {lines} lines: split it along a real seam"


def test_the_program_never_imports_the_test_helpers() -> None:
    users = [s for s, targets in import_graph().items() if not s.startswith("exporter.testing") for t in targets
             if t.startswith("exporter.testing")]  # fmt: skip
    assert users == []
