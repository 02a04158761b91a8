"""Hourly resource columns from weather, price and flow files (`planner resource`, docs/resource.md).

- `weather`: readers of NSRDB/PSM CSV, WIND Toolkit CSV, PVGIS TMY and hourly CSV and EPW files into one typed
  `Weather` (irradiance, temperature, wind speeds by height, the site's coordinates and time zones);
- `pv`: PVWatts-style AC capacity factor (pvlib), single-axis tracking or fixed tilt;
- `wind`: hub-height speed (power or log law), air density, a windpowerlib catalog power curve;
- `series`: a timestamp-and-value CSV (prices, river flow) checked hour by hour and put on the workbook's year;
- `workbook`: the columns written into a workbook's Hourly sheet, and their sources into its Sources sheet.

pvlib and windpowerlib are an optional extra (`pip install "planner[resource]"`): they are imported only
when a PV or wind column is computed (`require`), so the planner runs without them.
"""

from __future__ import annotations

import importlib

from planner.errors import SetupError

EXTRA_INSTALL = 'pip install "planner[resource]"'


def require(module: str, what: str):
    """Import an optional package of the resource extra, or raise SetupError (exit 2) saying how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise SetupError(f"{what} needs the Python package {module}, which is not installed; install the "
                         f"planner's resource extra: {EXTRA_INSTALL} (or, in a source checkout, "
                         f'pip install -e ".[resource]")') from None
