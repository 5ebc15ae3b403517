"""The upload package is one straight pipeline: every module imports only the stages before it.

twomountains/ingest/__init__.py lists the modules in pipeline order (STAGES). Every import of another
ingest module, at the top of a file or inside a function, must name a module listed earlier, so the
import graph has no cycle and the data visits each stage once, in order.
"""
from __future__ import annotations

import ast
from pathlib import Path

from twomountains import ingest

PACKAGE = Path(ingest.__file__).parent


def ordered_modules() -> list[str]:
    return [name for _, names in ingest.STAGES for name in names]


def imports_of(path: Path) -> set[str]:
    """The ingest modules a file imports, wherever the import statement stands."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "twomountains.ingest":
                found |= {alias.name for alias in node.names}
            elif node.module.startswith("twomountains.ingest."):
                found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("twomountains.ingest.")}
    return found


def test_every_module_has_its_place_in_the_pipeline():
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    listed = ordered_modules()
    assert len(listed) == len(set(listed))
    assert set(listed) == modules, set(listed) ^ modules


def test_modules_import_only_earlier_stages():
    order = {name: index for index, name in enumerate(ordered_modules())}
    wrong = {}
    for name, index in order.items():
        later = sorted(m for m in imports_of(PACKAGE / f"{name}.py") if order[m] >= index)
        if later:
            wrong[name] = later
    assert not wrong, f"imports of the same or a later stage: {wrong}"


def test_the_import_graph_is_acyclic():
    graph = {name: imports_of(PACKAGE / f"{name}.py") for name in ordered_modules()}
    done: set[str] = set()
    visiting: list[str] = []

    def visit(name):
        assert name not in visiting, " -> ".join(visiting + [name])
        if name in done:
            return
        visiting.append(name)
        for other in graph[name]:
            visit(other)
        visiting.pop()
        done.add(name)
    for name in graph:
        visit(name)


def test_the_checker_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from twomountains.ingest.pipeline import check\n"
                      "from twomountains.ingest import store, layout as l\n", encoding="utf-8")
    assert imports_of(source) == {"pipeline", "store", "layout"}
