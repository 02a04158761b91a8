"""How the reader turns a cell into a number, and which magnitudes it refuses.

Text that looks like a number is read only when its meaning does not depend on the writer's country:
`40.5`, `-3`, `1e6` and a thousands grouping *with* a decimal point (`12,500.5`, `1,234,567.5`). A comma
anywhere else is an error that says how to write the number: `40,5` and `1,3` are decimal commas (most of
Europe), and `1,000` is 1 in half the world and 1000 in the other half.

Magnitudes: the planner solves one LP whose objective is the NPV in USD (HiGHS sees it in million USD).
An input is multiplied by up to ~1e6..1e9 on its way into the model (kW -> MW, 8760 hours, unit sizes of
up to ~1000 MW, present-worth factors of ~10-20), while a double carries ~16 digits and HiGHS works with
tolerances of ~1e-7. Measured on the small-reactor example site (77 MW units): a unit capex of 1e8 USD/kW makes
HiGHS warn of "excessively large costs", 1e12 and 1e15 still solve to the asked gap (1e15 twice as slowly),
1e18 and 1e300 end "optimal" with a 28.6 % gap when 0.5 % was asked; a fuel cost or fixed O&M of
1e12 (fields without a typical range) still solves to the asked gap. So:

- any number above `MAX_MAGNITUDE` (1e12) in any unit is an error: no quantity the planner takes reaches
  it (a trillion USD, a million TW), and beyond it the LP no longer represents the rest of the plan;
- a field that declares a `typical` range is an error above `FAR_BEYOND_TYPICAL` (1000) times the top of
  that range read in the largest unit slip it declares (e.g. a firm unit's capex: typical up to 30000 USD/kW,
  slip USD/MW = x1000, so at most 3e10 is accepted): that is no unit slip but extra digits or a
  "huge number meaning never", which the enabled and max_new_* fields say without wrecking the solve;
- an hourly column without a declared upper bound is an error above `HOURLY_MAX` (1e6) in its unit:
  1e6 MW is a terawatt (more than the average US load), 1e6 m3/s five times the Amazon's mean flow,
  1e6 MMBtu/h about 290 GW of fuel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.scenario.fields import FieldInfo

MAX_MAGNITUDE = 1e12
FAR_BEYOND_TYPICAL = 1e3
HOURLY_MAX = 1e6

_PLAIN = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_GROUPED_WITH_POINT = re.compile(r"[-+]?\d{1,3}(,\d{3})+\.\d+([eE][-+]?\d+)?")
_GROUPED_NO_POINT = re.compile(r"[-+]?\d{1,3}(,\d{3})+")
_DECIMAL_COMMA = re.compile(r"[-+]?(\d+|\d{1,3}(\.\d{3})+),\d+")  # 40,5  1,3  1234,5  1.234,5
_SPACE_GROUPED = re.compile(r"[-+]?\d{1,3}([ \u00a0\u202f']\d{3})+([.,]\d+)?")  # 1 000  1'000.5
_NONFINITE = {"inf", "infinity", "nan"}


@dataclass(frozen=True)
class TextNumber:
    """What a text cell says as a number."""

    value: float | None  # None: not a number the planner reads
    hint: str = ""  # when value is None: how to write it (empty if the text is simply not a number)
    grouped: bool = False  # read from a thousands grouping with a decimal point (worth a warning)


def parse_text_number(text: str) -> TextNumber:
    """Read a number typed as text, refusing every form whose value depends on the writer's country."""
    s = text.strip()
    if _PLAIN.fullmatch(s):
        return TextNumber(float(s))
    if s.lstrip("+-").lower() in _NONFINITE:
        return TextNumber(float(s))  # the caller reports it as not finite
    if _GROUPED_WITH_POINT.fullmatch(s):
        return TextNumber(float(s.replace(",", "")), grouped=True)
    quoted = f'"{s}"'
    if _GROUPED_NO_POINT.fullmatch(s):
        bare = s.replace(",", "")
        if s.count(",") == 1:
            as_decimal = s.replace(",", ".")
            return TextNumber(None, f"{quoted} is {_g(as_decimal)} where the comma is the decimal separator and "
                                    f"{bare} where it groups thousands: type {bare} or {_g(as_decimal)}, "
                                    f"without the comma")
        return TextNumber(None, f"type {bare} without thousands separators (a grouping is read only with a "
                                f"decimal point, e.g. {s}.0)")
    if _DECIMAL_COMMA.fullmatch(s):
        fixed = s.replace(".", "").replace(",", ".")
        return TextNumber(None, f"{quoted} has a decimal comma: type {fixed} (the decimal separator is a point)")
    if _SPACE_GROUPED.fullmatch(s):
        fixed = re.sub(r"[ \u00a0\u202f']", "", s).replace(",", ".")
        return TextNumber(None, f"type {fixed} without spaces or apostrophes between the digits")
    if "," in s and any(ch.isdigit() for ch in s):
        return TextNumber(None, "type the number with a point as the decimal separator and no thousands "
                                "separators")
    return TextNumber(None)


def _g(number_text: str) -> str:
    """A decimal written back without trailing zeros: '1.000' -> '1', '12.500' -> '12.5'."""
    return f"{float(number_text):g}" if abs(float(number_text)) < 1e15 else number_text


def largest_plausible(fi: FieldInfo) -> float | None:
    """Top of the field's typical range in the largest unit slip it declares (None without a typical range)."""
    if fi.typical is None:
        return None
    factor = max([1.0] + [f for f, _ in fi.slips])
    return max(abs(fi.typical[0]), abs(fi.typical[1])) * factor


def magnitude_limit(fi: FieldInfo | None) -> float:
    """The largest |value| the reader accepts for a field (module docstring: why)."""
    top = None if fi is None else largest_plausible(fi)
    if top is None or top == 0:
        return MAX_MAGNITUDE
    return min(MAX_MAGNITUDE, FAR_BEYOND_TYPICAL * top)


def magnitude_problem(value: float, fi: FieldInfo | None) -> str:
    """'' when |value| is within magnitude_limit(fi), else the end of an error message saying what is allowed."""
    limit = magnitude_limit(fi)
    if abs(value) <= limit:
        return ""
    unit = "" if fi is None else f" {fi.unit}"
    if fi is not None and fi.typical is not None and limit < MAX_MAGNITUDE:
        lo, hi = fi.typical
        why = (f"far beyond any plausible value (typical {lo:g}..{hi:g}{unit}; at most {limit:g} is accepted, "
               f"{FAR_BEYOND_TYPICAL:g} times the top of that range")
        why += " even in the largest unit slip)" if fi.slips else ")"
    else:
        why = (f"beyond what the planner can compute with (at most {MAX_MAGNITUDE:g}{unit} is accepted: larger "
               f"numbers leave the rest of the plan below the solver's precision)")
    if fi is not None and "USD" in fi.unit:
        why += "; to keep the planner from building something, set its enabled or max_new_* field instead"
    return why
