"""The import layering of models/ and planner/ (issue 12): imports run downwards only, modules
import one another in no cycle, the math and its parameters import no solver, and only
models/highs reaches HiGHS itself (everyone else goes through models.highs.session).

Read from the source files with ``ast`` (nothing is imported), every import counted, also those
inside functions: a lazy import that runs upwards is still an upward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "planner")

#: Lowest first. A module may import modules of its own layer and of the layers below. A module
#: belongs to the entry that is the longest prefix of its name (``models.analysis`` covers
#: ``models.analysis.resolve`` unless that has an entry of its own); the package roots
#: ``models`` and ``planner`` name their __init__ only. The order is the data flow
#: (docs/architecture.md): what the input is, how it is read and validated, the parameters, the
#: math, the model, HiGHS, what is read from a solved model, the solve pipeline, what drives it,
#: and the application around them.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("what the input is, and the types of a solve",
     ("planner", "planner.schema", "models.outcome", "models.memory")),
    # the reader's cell level is below validation, which reports cells; reading a workbook into a
    # Dataset (the package, overrides) is above it
    ("workbook cells", ("planner.io.reading.sheets", "planner.io.reading.limits", "planner.io.reading.zipscan",
                        "planner.io.reading.damage")),
    ("validation", ("planner.validation",)),
    ("reading a workbook", ("planner.io.reading",)),
    ("parameters (pure Python)", ("models.params",)),
    ("constraint families (the math, no solver)", ("models.families",)),
    ("the model's wiring", ("models.build",)),
    ("HiGHS: hand-off, session, options, starts", ("models.highs",)),
    ("reading a solved model; starts from a saved plan",
     ("models.analysis.results", "models.analysis.tidy", "models.analysis.groups", "models.analysis.marginals",
      "models.warm")),
    ("the solve pipeline: start, MIP, extraction, marginal values", ("models.pipeline",)),
    ("what drives the pipeline: solve, re-solve, diagnosis, frontier, alternatives",
     ("models.solve", "models", "models.analysis")),
    ("plan workbooks, templates, instances", ("planner.io", "planner.instances")),
    ("saved plans: compare, check, audit", ("planner.plans",)),
    ("the report and the what-if commands", ("planner.report", "planner.whatif")),
    ("the command line", ("planner.cli", "planner.__main__")),
)
#: (layer prefix, imports it may not make): the math and its parameters are solver-free, and
#: the parameters are plain Python.
FORBIDDEN = (
    ("models.families", ("highspy", "models.highs", "pyomo.contrib.solver", "pyomo.contrib.appsi")),
    ("models.params", ("highspy", "models.highs", "pyomo")),
)
#: Modules outside these may not import highspy nor read ``.highs`` (the session's HiGHS object).
HIGHS_INSIDE = ("models.highs",)
#: The stages of a solve (models.pipeline) and the stages' own parts: only these run HiGHS on a
#: session (``session.run``); a driver (solve, re-solve, frontier, alternatives, diagnosis) goes
#: through the pipeline.
RUNS_INSIDE = ("models.pipeline", "models.highs", "models.warm", "models.analysis.marginals")
#: A plan is extracted in one place only (models.pipeline): these calls nowhere else.
EXTRACTION = ("release_idle_binaries", "earn_incentives_in_full", "load_values")


def _modules() -> dict[str, Path]:
    out = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports: internal ones resolved to a module of MODULES, others as written."""
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:
                out.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return out


IMPORTS = {name: _imports(name, path) for name, path in MODULES.items()}


def _covers(prefix: str, name: str) -> bool:
    if prefix in PACKAGES:
        return name == prefix
    return name == prefix or name.startswith(prefix + ".")


def layer_of(name: str) -> int:
    best, rank = None, -1
    for index, (_title, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if _covers(prefix, name) and len(prefix) > rank:
                best, rank = index, len(prefix)
    if best is None:
        raise LookupError(f"{name} is in no layer: add it (or its package) to LAYERS in tests/test_layering.py")
    return best


def _internal(imported: str) -> bool:
    return imported.split(".")[0] in PACKAGES


def upward(imports: dict[str, set[str]]) -> list[str]:
    """Imports of a module of a higher layer."""
    out = []
    for name, imported in imports.items():
        for other in imported:
            if _internal(other) and layer_of(other) > layer_of(name):
                out.append(f"{name} ({LAYERS[layer_of(name)][0]}) imports {other} ({LAYERS[layer_of(other)][0]})")
    return sorted(out)


def cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Groups of internal modules that import one another, directly or not."""
    graph = {name: sorted(o for o in imported if o in imports and o != name) for name, imported in imports.items()}
    return [sorted(c) for c in _strongly_connected(graph) if len(c) > 1]


def solver_imports(imports: dict[str, set[str]]) -> list[str]:
    """Imports FORBIDDEN makes."""
    found = []
    for name, imported in imports.items():
        for prefix, banned in FORBIDDEN:
            if _covers(prefix, name):
                found += [f"{name} imports {o}" for o in imported if any(o == b or o.startswith(b + ".") for b in banned)]
    return sorted(found)


def test_every_module_has_a_layer():
    for name in MODULES:
        layer_of(name)


def test_imports_run_downwards_only():
    found = upward(IMPORTS)
    assert not found, "imports running upwards:\n" + "\n".join(found)


def test_no_import_cycles():
    found = cycles(IMPORTS)
    assert not found, "modules that import each other: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_math_and_its_parameters_import_no_solver():
    found = solver_imports(IMPORTS)
    assert not found, "\n".join(found)


def test_only_models_highs_reaches_highs():
    found = []
    for name, path in MODULES.items():
        if any(_covers(p, name) for p in HIGHS_INSIDE):
            continue
        found += [f"{name} imports highspy" for o in IMPORTS[name] if o.split(".")[0] == "highspy"]
        found += [f"{name}:{node.lineno} reads .highs (use a HighsSession method)"
                  for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Attribute)
                  and node.attr == "highs"]
    assert not found, "\n".join(found)


def pipeline_bypasses(name: str, tree: ast.AST) -> list[str]:
    """Calls in module ``name`` that run HiGHS or extract a plan outside the pipeline."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        attr, owner = node.func.attr, node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        if attr == "run" and owner_name.endswith("session") and not any(_covers(p, name) for p in RUNS_INSIDE):
            found.append(f"{name}:{node.lineno} runs HiGHS itself (use models.pipeline.Pipeline)")
        if attr in EXTRACTION and not _covers("models.pipeline", name) and not (
                attr == "load_values" and any(_covers(p, name) for p in RUNS_INSIDE)):
            found.append(f"{name}:{node.lineno} calls {attr} (the pipeline extracts plans)")
    return found


def test_only_the_pipeline_runs_highs_and_extracts_plans():
    found = []
    for name, path in MODULES.items():
        found += pipeline_bypasses(name, ast.parse(path.read_text()))
    assert not found, "\n".join(found)


def test_the_checks_find_what_they_are_for():
    # made-up modules that break each rule
    assert upward({"models.params.x": {"models.build"}}) == [
        "models.params.x (parameters (pure Python)) imports models.build (the model's wiring)"]
    assert not upward({"models.build": {"models.params.x"}})
    assert solver_imports({"models.families.x": {"models.highs.session"}, "models.params.y": {"pyomo.environ"},
                           "models.build": {"pyomo.environ"}}) == [
        "models.families.x imports models.highs.session", "models.params.y imports pyomo.environ"]
    assert cycles({"models.a": {"models.b"}, "models.b": {"models.c"}, "models.c": {"models.a"},
                   "models.d": {"models.a"}}) == [["models.a", "models.b", "models.c"]]
    assert pipeline_bypasses("models.analysis.resolve", ast.parse(
        "self.session.run(solver)\ntidy.release_idle_binaries(m)\nsession.load_values()")) == [
        "models.analysis.resolve:1 runs HiGHS itself (use models.pipeline.Pipeline)",
        "models.analysis.resolve:2 calls release_idle_binaries (the pipeline extracts plans)",
        "models.analysis.resolve:3 calls load_values (the pipeline extracts plans)"]
    assert not pipeline_bypasses("models.warm.start", ast.parse("session.run(solver)"))
    with pytest.raises(LookupError, match="in no layer"):
        layer_of("elsewhere.module")


def _strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative: no recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    out.append(component)
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph.get(child, ()))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return out
