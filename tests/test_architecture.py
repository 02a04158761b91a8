"""The dependency rules of docs/architecture.md, checked on the source (ast): they hold or this fails.

- no import cycle between the planner's modules (imports inside functions count);
- planner/scenario/ reaches neither Pyomo nor any technology, the model or the solver;
- planner/finance.py (the pro-forma) and planner/report/ never reach Pyomo;
- nothing below the command line calls print (progress goes through callbacks);
- a technology's name appears outside planner/technologies/ only in its input declarations.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from planner.paths import REPO_ROOT

PKG = REPO_ROOT / "planner"
CLI_MODULES = {"planner.cli", "planner.sensitivity_cli", "planner.cli_progress"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in PKG.rglob("*.py")}


def resolve(name: str) -> str | None:
    """The planner module an import of `name` runs (a module, else its package), or None if not ours."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports(mod: str) -> tuple[set[str], set[str]]:
    """(planner modules, top-level third-party packages) that `mod` imports anywhere in its file."""
    tree = ast.parse(MODULES[mod].read_text())
    ours, theirs = set(), set()
    package = mod if MODULES[mod].name == "__init__.py" else mod.rpartition(".")[0]
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base
                                                                                                    else []))
            # `from pkg import mod` imports the module; `from pkg import name` the package's __init__
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        for n in names:
            if n.startswith("planner"):
                target = resolve(n)
                if target and target != mod:
                    ours.add(target)
            elif n:
                theirs.add(n.split(".")[0])
    return ours, theirs


GRAPH = {m: imports(m) for m in MODULES}


def reachable(mod: str) -> tuple[set[str], set[str]]:
    """Every planner module and third-party package `mod` reaches through imports."""
    seen, stack, third = set(), [mod], set()
    while stack:
        m = stack.pop()
        if m in seen:
            continue
        seen.add(m)
        ours, theirs = GRAPH[m]
        third |= theirs
        stack.extend(ours)
    return seen - {mod}, third


def test_no_import_cycles():
    index, low, on_stack, stack, cycles = {}, {}, set(), [], []

    def strongconnect(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v][0]:
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            strongconnect(v)
    assert cycles == [], f"import cycles: {cycles}"


@pytest.mark.parametrize("mod", sorted(m for m in MODULES if m.startswith("planner.scenario")))
def test_scenario_reaches_no_pyomo_and_no_technology(mod):
    ours, theirs = reachable(mod)
    assert "pyomo" not in theirs and "highspy" not in theirs
    forbidden = {m for m in ours if m.startswith(("planner.technologies", "planner.model", "planner.solve",
                                                  "planner.results", "planner.run", "planner.report"))}
    assert forbidden == set()


@pytest.mark.parametrize("mod", ["planner.finance", "planner.compare", "planner.run_files"]
                         + sorted(m for m in MODULES if m.startswith("planner.report")))
def test_finance_and_report_never_reach_pyomo(mod):
    ours, theirs = reachable(mod)
    assert "pyomo" not in theirs and "highspy" not in theirs, sorted(ours)


def test_no_module_imports_the_package_root():
    """planner/__init__.py is the public API's facade (docs/api.md): importing it from inside would make a cycle;
    the version is read from planner/version.py."""
    assert sorted(m for m in MODULES if m != "planner" and "planner" in GRAPH[m][0]) == []
    assert GRAPH["planner"][0] == {"planner.version", "planner.api"}


def test_nothing_below_the_cli_prints():
    offenders = []
    for mod, path in MODULES.items():
        if mod in CLI_MODULES:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    assert offenders == []


@pytest.mark.parametrize("word", ["nuclear", "geothermal", "hydro"])
def test_a_technology_is_named_only_in_its_module_and_its_input_declarations(word):
    """Outside planner/technologies/ and the example sites, at most two files name it (issue 16)."""
    naming = sorted(str(p.relative_to(REPO_ROOT)) for m, p in MODULES.items()
                    if not m.startswith("planner.technologies") and m != "planner.examples"
                    and re.search(word, p.read_text(), re.IGNORECASE))
    assert len(naming) <= 2, naming
    assert naming == ["planner/scenario/inputs.py"]
