"""Field metadata: one declaration per input gives its unit, note, range, choices and source.

The template writer, the reader, the validation, `docs/inputs.md` and `planner params` all read
these declarations, so the workbook, the typed Scenario and the docs cannot drift apart.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldInfo:
    """What a user needs to know to fill in one input cell."""

    unit: str
    note: str
    lo: float | None = None  # inclusive lower bound
    hi: float | None = None  # inclusive upper bound
    lo_open: bool = False  # lower bound is strict (value must be > lo)
    choices: tuple[str, ...] | None = None  # enum values (Excel drop-down)
    catalog: str | None = None  # catalog file whose `model` column lists the valid names
    blank_means: str | None = None  # a blank cell is allowed and means this
    source: str = ""
    # typical magnitude used for unit-slip warnings: (lo, hi, {factor: "likely unit"})
    typical: tuple[float, float] | None = None
    slips: tuple[tuple[float, str], ...] = ()
    from_catalog: str | None = None  # a blank is filled from this column of the sheet's catalog model
    objective_only: bool = False  # changing it only re-prices a built model (no constraint changes)
    key: bool = False  # a key assumption, shown on the report's first page
    # added after the first template, its default switching nothing on: a workbook without its row reads the default
    may_be_absent: bool = False


def inp(default: Any, unit: str, note: str, **kw: Any) -> Any:
    """Declare an input field with its default and metadata."""
    return dataclasses.field(default=default, metadata={"info": FieldInfo(unit=unit, note=note, **kw)})


def info(f: dataclasses.Field) -> FieldInfo:
    """Metadata of a dataclass field declared with `inp`."""
    return f.metadata["info"]


def catalog_field(section) -> dataclasses.Field | None:
    """The field of a section that names its catalog model (e.g. Mining.asic_model), if any."""
    return next((f for f in dataclasses.fields(section) if info(f).catalog), None)


YES_NO = ("yes", "no")
