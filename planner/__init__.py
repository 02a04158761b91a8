"""Site investment planner: what to build at an energy site, how big, and what it is worth.

The public Python API (docs/api.md), loaded on first use so that `import planner` stays cheap (no pandas,
Pyomo or HiGHS until a function needs them):

- `planner.read_workbook(path) -> Scenario`: read and validate an input workbook;
- `planner.optimise(scenario, **options) -> planner.Result`: the pipeline of `planner run`, printing nothing;
- `planner.Result`: `.sizes`, `.dispatch`, `.cashflow`, `.summary`, `.write(out_dir)`;
- `planner.load_results(folder) -> planner.Result`: an output folder read back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planner.version import __version__

if TYPE_CHECKING:  # pragma: no cover - typing only
    from planner.api import Result, load_results, optimise, read_workbook

__all__ = ["Result", "__version__", "load_results", "optimise", "read_workbook"]
_API = ("Result", "load_results", "optimise", "read_workbook")


def __getattr__(name: str):
    """The API's names, imported from planner/api.py the first time one is used."""
    if name in _API:
        from planner import api

        return getattr(api, name)
    raise AttributeError(f"module 'planner' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
