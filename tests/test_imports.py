"""What `planner run` imports at startup (issue 20: imports <= 0.7 s): a module-set check, never a timing.

Each check runs in a fresh interpreter, so that what the test session itself has imported does not count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# scipy: only scipy.sparse, and only when a model is handed to HiGHS; pyomo.environ: its solver plugins
# (~0.4 s) are never used (planner modules import pyomo.core); tsam: only for --typical-days
RUN_PATH = ("import planner.cli\n"
            "from planner.run import optimise, write_outputs\n"
            "from planner.scenario.reader import read_workbook\n"
            "from planner.solve import SolveOptions\n"
            "from planner.report import write_reports\n")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "import sys, json\nprint(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_run_path_imports_no_scipy_no_pyomo_environ_no_tsam():
    mods = _modules_after(RUN_PATH)
    assert "pyomo.core" in mods and "pandas" in mods  # the check sees the run path's real imports
    assert not any(m == "scipy" or m.startswith("scipy.") for m in mods), "import scipy lazily, where it is used"
    assert "pyomo.environ" not in mods, "a planner module imports pyomo.environ: import pyomo.core as pyo instead"
    assert "tsam" not in mods


def test_handover_imports_scipy_sparse_but_not_scipy_stats():
    """Handing a model to HiGHS needs scipy.sparse (Pyomo's compiler), not what Pyomo's SciPy hook adds."""
    mods = _modules_after(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "from helpers import synthetic_site\n"
        "from planner.model import build\n"
        "from planner.solve import HighsModel, solve_model\n"
        "hm = HighsModel(build(synthetic_site(24, 'few')).m)\n"
        "assert solve_model(hm).status == 'optimal'\n")
    assert "scipy.sparse" in mods
    assert not {"scipy.stats", "scipy.integrate", "scipy.spatial"} & mods
    assert "pyomo.environ" not in mods


def test_the_solver_layers_names_are_its_functions_even_after_every_submodule_is_imported():
    """planner.solve imports its names on first use; a submodule named like one of them would shadow it once
    imported (the package attribute becomes the module), as `diagnose` did."""
    import importlib
    import pkgutil
    import types

    import planner.solve as solve

    for info in pkgutil.iter_modules(solve.__path__):
        importlib.import_module(f"planner.solve.{info.name}")
    for name in solve.__all__:
        assert not isinstance(getattr(solve, name), types.ModuleType), name
