"""Stable dotted names for every input (`mining.hashprice_usd_per_ph_day`), to list, get and change them.

`hourly.<column>` names a whole hourly series; setting it to a number multiplies the series
(a sweep of `hourly.export_price_usd_per_mwh` from 0.8 to 1.2 scales prices by -20 % .. +20 %).
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass

from planner.scenario.fields import FieldInfo, info
from planner.scenario.inputs import HOURLY_COLUMNS, SECTION_ATTR, SECTIONS
from planner.scenario.scenario import Scenario


@dataclass(frozen=True)
class ParamInfo:
    """A dotted parameter name with its unit and description."""

    name: str
    unit: str
    note: str
    numeric: bool


def all_params() -> list[ParamInfo]:
    """Every dotted name a sensitivity can change, in workbook order."""
    out = []
    for attr, sheet in SECTION_ATTR.items():
        for f in dataclasses.fields(SECTIONS[sheet]):
            i = info(f)
            numeric = any(t in str(f.type) for t in ("float", "int")) and i.choices is None
            out.append(ParamInfo(f"{attr}.{f.name}", i.unit, i.note, numeric))
    for c in HOURLY_COLUMNS:
        out.append(ParamInfo(f"hourly.{c.name}", "multiplier", f"scales the whole series: {c.note}", True))
    return out


# what an hourly.X parameter is: a factor on the whole series, never negative
MULTIPLIER_INFO = FieldInfo("multiplier", "factor on the whole hourly series", lo=0)


def param_info(name: str) -> FieldInfo:
    """The declaration behind a numeric dotted name (unit, range); MULTIPLIER_INFO for an hourly.X multiplier."""
    section, attr = _split(name)
    if section == "hourly":
        return MULTIPLIER_INFO
    return info(next(f for f in dataclasses.fields(SECTIONS[SECTION_ATTR[section]]) if f.name == attr))


def numeric_param_names() -> list[str]:
    """Names that accept a number (the ones sensitivities can sweep)."""
    return [p.name for p in all_params() if p.numeric]


def suggest(name: str) -> str:
    """' (did you mean X?)' for a misspelt parameter, or ''."""
    hit = difflib.get_close_matches(name, numeric_param_names(), n=1, cutoff=0.5)
    return f" (did you mean {hit[0]}?)" if hit else ""


def get_param(sc: Scenario, name: str) -> float:
    """Current value of a dotted parameter (1.0 for an hourly series multiplier)."""
    section, attr = _split(name)
    if section == "hourly":
        return 1.0
    return getattr(getattr(sc, section), attr)


def set_param(sc: Scenario, name: str, value: float) -> None:
    """Change one parameter in place; `hourly.X` multiplies the series X by value."""
    section, attr = _split(name)
    if section == "hourly":
        sc.hourly[attr] = sc.hourly[attr] * float(value)
        scale = dict(sc.hourly.attrs.get("scale", {}))
        scale[attr] = scale.get(attr, 1.0) * float(value)
        sc.hourly.attrs["scale"] = scale
        return
    obj = getattr(sc, section)
    ftype = str({f.name: f.type for f in dataclasses.fields(obj)}[attr])
    setattr(obj, attr, int(round(value)) if ftype.startswith("int") else float(value))


def _split(name: str) -> tuple[str, str]:
    if name not in numeric_param_names():
        raise KeyError(f"unknown parameter {name!r}{suggest(name)}")
    section, attr = name.split(".", 1)
    return section, attr


def _objective_only() -> frozenset[str]:
    """Dotted names declared `objective_only` (planner/scenario/inputs.py): changing one only re-prices."""
    names = {f"{attr}.{f.name}" for attr, sheet in SECTION_ATTR.items() for f in dataclasses.fields(SECTIONS[sheet])
             if info(f).objective_only}
    return frozenset(names | {f"hourly.{c.name}" for c in HOURLY_COLUMNS if c.objective_only})


# Parameters that change only prices, costs and financial factors (stream rates, PWFs, capital costs),
# never a constraint: a built model can be re-priced in place (planner/solve: reprice).
OBJECTIVE_ONLY = _objective_only()


def objective_only(name: str) -> bool:
    """True when changing `name` is declared to only re-price the model (no constraint changes).

    A technology may still make such a parameter structural for a given scenario (e.g. the discount
    rate sets degrading PV's average output): planner/technologies: reprice_only asks them too.
    """
    return name in OBJECTIVE_ONLY
