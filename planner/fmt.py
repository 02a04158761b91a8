"""How numbers are shown to a person: one place for the reports, the command line and the sensitivity page.

Pyomo-free and dependency-free, so planner/report/ and the CLI use it alike. The rules (docs/report.md):

- money in prose to 0.1 M USD (239,353,495.47 -> "239.4 M USD"); below 1 M USD to 0.1 k USD, below
  1 k USD to the dollar; from 10 B USD up to 0.1 B USD;
- times to 0.1 s, percentages to 0.1 % (a MIP gap to 0.01 %), paybacks to 0.1 years;
- energy in whole MWh;
- sizes by unit: counts (GPUs, ASICs, blocks, containers, turbines, units) as whole numbers, MW and MWh to
  0.01 below 10 and to 0.1 from 10 up;
- nothing shown in prose carries more than 6 significant digits (SIGNIFICANT): a larger whole number is
  rounded to 6 (1,234,567 MWh -> "1,234,570 MWh").

Full precision stays in the data files (summary.json, the CSVs) and the data sheets of report.xlsx; the
Excel formats below only change how a cell is displayed, never its value.
"""

from __future__ import annotations

import math

SIGNIFICANT = 6  # most significant digits of any number shown outside a data table

# units that count things: shown as whole numbers
COUNT_UNITS = frozenset({"count", "units", "blocks", "GPUs", "ASICs", "servers", "containers", "turbines", "nodes",
                         "cases", "solves"})
ENERGY_UNITS = frozenset({"MWh", "MWh/yr"})
SHARE_UNITS = frozenset({"fraction", "fraction/yr", "fraction/h"})
NA = "n/a"


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def round_significant(x: float, digits: int = SIGNIFICANT) -> float:
    """x rounded to `digits` significant digits (0 stays 0)."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - int(math.floor(math.log10(abs(x)))))


def _fixed(x: float, decimals: int) -> str:
    """x with thousands separators and `decimals` decimals, at most SIGNIFICANT significant digits, no "-0"."""
    x = round_significant(round(x, decimals))
    text = f"{x:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


def number(x, decimals: int = 1) -> str:
    """A plain number to `decimals` decimals (n/a for a missing value)."""
    return _fixed(float(x), decimals) if _finite(x) else NA


# (smallest magnitude shown with the prefix, divisor, prefix): a value that rounds to 1,000 of a prefix
# takes the next one ("1.0 M USD", not "1,000.0 k USD"); billions only from 10 B, as a project's money is
# read in M USD
SCALES = ((9_999_950_000, 1e9, "B"), (999_950, 1e6, "M"), (999.5, 1e3, "k"))


def scaled(x: float, decimals: int = 1) -> tuple[str, str]:
    """x in thousands, millions or billions: 239353495.47 -> ("239.4", "M"); 812.4 -> ("812", "")."""
    for smallest, divisor, prefix in SCALES:
        if abs(x) >= smallest:
            return _fixed(x / divisor, decimals), prefix
    return _fixed(x, 0), ""


def money(x, per: str = "") -> str:
    """Money in prose: 239353495.47 -> "239.4 M USD"; 45210 -> "45.2 k USD"; 812.4 -> "812 USD".

    `per` is appended to the unit ("/yr" -> "M USD/yr")."""
    if not _finite(x):
        return NA
    n, prefix = scaled(x)
    return f"{n} {prefix + ' ' if prefix else ''}USD{per}"


def seconds(x) -> str:
    """A duration to 0.1 s: 32.17961991100003 -> "32.2 s"."""
    return f"{_fixed(x, 1)} s" if _finite(x) else NA


def percent(x, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.13712 -> "13.7 %"."""
    return f"{_fixed(100 * x, decimals)} %" if _finite(x) else NA


def gap(x) -> str:
    """A relative MIP gap to 0.01 %: 4.9e-7 -> "0.00 %"; None (no bound yet) -> "n/a"."""
    return percent(x, 2)


def years(x) -> str:
    """A number of years to 0.1: 7.0815 -> "7.1 years"."""
    return f"{_fixed(x, 1)} years" if _finite(x) else NA


def energy(x, unit: str = "MWh") -> str:
    """Energy in whole MWh: 18221.37 -> "18,221 MWh"."""
    return f"{_fixed(x, 0)} {unit}" if _finite(x) else NA


def count(x) -> str:
    """A count as a whole number: 1600.0 -> "1,600"."""
    return _fixed(x, 0) if _finite(x) else NA


def _decimals(x: float) -> int:
    return 2 if abs(x) < 10 else 1


def size(x, unit: str) -> str:
    """A size by its unit, without the unit: counts whole, MW/MWh to 0.01 below 10 and 0.1 from 10 up."""
    if not _finite(x):
        return NA
    if unit in COUNT_UNITS:
        return count(x)
    return _fixed(x, _decimals(x))


def value(x, unit: str = "") -> str:
    """Any number with its unit, as a person reads it: money, shares, times, energy, counts, sizes."""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if x is None:
        return NA
    if not _finite(x):
        return str(x)
    if unit == "USD":
        return money(x)
    if unit == "USD/yr":
        return money(x, "/yr")
    if unit in SHARE_UNITS:
        return percent(x) + unit[len("fraction"):]
    if unit == "s":
        return seconds(x)
    if unit == "years":
        return years(x)
    if unit in ENERGY_UNITS:
        return energy(x, unit)
    if unit == "year":
        return f"{x:.1f}" if x != int(x) else f"{int(x)}"
    if unit in COUNT_UNITS or unit.startswith("MW") or unit in ("PH/s", "ha"):
        return f"{size(x, unit)} {unit}"
    if unit.startswith("USD/"):  # a price or a cost per unit: 27.46 USD/MWh -> "27.5 USD/MWh"
        return f"{_fixed(x, _decimals(x))} {unit}"
    return f"{_general(x)} {unit}".rstrip()


def _general(x: float) -> str:
    """Up to four significant digits, no trailing zeros: 1.3 -> "1.3", 0.919 -> "0.919", 1606.2 -> "1,606"."""
    a = abs(x)
    decimals = 0 if a == 0 or a >= 1000 else max(0, min(6, 3 - int(math.floor(math.log10(a)))))
    text = _fixed(x, decimals)
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain(x, unit: str = "") -> str:
    """A count or a size without its unit (a table's next column gives it); anything else as `value` writes it."""
    if unit in COUNT_UNITS or unit.startswith("MW"):
        return size(x, unit)
    return value(x, unit)


# ---------------------------------------------------------------------------------------------- Excel

XL_MUSD = '#,##0.0,," M USD";[Red]-#,##0.0,," M USD"'  # full USD in the cell, shown to 0.1 M USD
XL_USD = '#,##0;[Red]-#,##0'
XL_PCT = '0.0%'
XL_GAP = '0.00%'
XL_MWH = '#,##0'
XL_SECONDS = '0.0" s"'
XL_YEARS = '0.0'


def excel_format(unit: str, x: float | None = None) -> str:
    """The number format that shows a cell of this unit the way `value` writes it (the value stays full)."""
    if unit == "USD":
        return XL_MUSD
    if unit == "USD/yr":
        return XL_USD
    if unit in SHARE_UNITS:
        return XL_PCT
    if unit == "s":
        return XL_SECONDS
    if unit == "years":
        return '0' if isinstance(x, int) else XL_YEARS
    if unit in ENERGY_UNITS or unit in COUNT_UNITS:
        return '#,##0'
    if unit == "year":
        return '0.0'
    if unit.startswith("MW") or unit in ("PH/s", "ha"):
        return '#,##0.00' if x is None or abs(x) < 10 else '#,##0.0'
    return "General"


XL_KUSD = '#,##0.0," k USD";[Red]-#,##0.0," k USD"'
XL_BUSD = '#,##0.0,,," B USD";[Red]-#,##0.0,,," B USD"'
XL_WHOLE_USD = '#,##0" USD";[Red]-#,##0" USD"'


def excel_money(x: float | None) -> str:
    """The number format that shows an amount in USD as `money` writes it (B from 10 B, M, k, whole dollars)."""
    if not _finite(x):
        return XL_MUSD
    for (smallest, _divisor, _prefix), xl in zip(SCALES, (XL_BUSD, XL_MUSD, XL_KUSD), strict=True):
        if abs(x) >= smallest:
            return xl
    return XL_WHOLE_USD
