"""The hourly series: column names, units, ranges, and which technology needs each column."""

from __future__ import annotations

from dataclasses import dataclass

HOURS_PER_YEAR = 8760


@dataclass(frozen=True)
class HourlyColumn:
    """One column of the Hourly sheet."""

    name: str
    unit: str
    note: str
    lo: float | None = None
    hi: float | None = None
    needed_by: str | None = None  # dotted enable flag that makes blanks an error, e.g. "pv.enabled"


HOURLY_COLUMNS: tuple[HourlyColumn, ...] = (
    HourlyColumn("pv_cf", "fraction", "AC output of 1 MW_ac of PV (capacity factor)", 0, 1, "pv.enabled"),
    HourlyColumn("wind_speed_mps", "m/s", "Hub-height wind speed (used with Wind.resource = wind_speed)",
                 0, 80, "wind.enabled"),
    HourlyColumn("wind_cf", "fraction", "Turbine capacity factor (used with Wind.resource = capacity_factor)",
                 0, 1),
    HourlyColumn("hydro_flow_m3s", "m3/s", "River flow available to the turbines", 0, None, "hydro.enabled"),
    HourlyColumn("gas_supply_mmbtu_per_h", "MMBtu/h", "Stranded or flared gas available", 0, None, "gas.enabled"),
    HourlyColumn("export_price_usd_per_mwh", "USD/MWh", "Price received for exported energy (may be negative)",
                 -10000, 100000, "grid.connected"),
    HourlyColumn("import_price_usd_per_mwh", "USD/MWh",
                 "Price paid for imported energy; blank = export price + Grid.import_adder_usd_per_mwh",
                 -10000, 100000),
    HourlyColumn("site_load_mw", "MW", "Existing site load (zero or low during shutdowns)", 0, None,
                 "site_load.enabled"),
    HourlyColumn("ai_utilisation", "fraction", "Share of AI IT capacity that can be sold this hour", 0, 1,
                 "ai.enabled"),
    HourlyColumn("firm_available_fraction", "fraction",
                 "Planned-outage profile of geothermal and nuclear units (1 = fully available)", 0, 1),
    HourlyColumn("temperature_c", "degC", "Ambient temperature (for the record and the report)", -90, 70),
)

HOURLY_NAMES = tuple(c.name for c in HOURLY_COLUMNS)
