"""Grid: a sized export line, a given import limit, hourly export and import prices (may be negative).

The supply tariff on the site's own import adds, when the workbook sets them: a time-of-use energy charge
(Hourly import_tariff_usd_per_mwh, on top of the import price), a monthly demand charge on each calendar
month's highest hourly import, and a coincident-peak transmission charge on the average import over the
intervals flagged in Hourly coincident_peak (ERCOT 4CP style). Export is paid the export price only.
"""

from __future__ import annotations

import numpy as np

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var

NEW = "grid_new_export_mw"
TOU, CP = "import_tariff_usd_per_mwh", "coincident_peak"  # the tariff's hourly columns


def add(ctx: Ctx) -> None:
    """Hourly export within the line's capacity and import within the import limit (7)."""
    g = ctx.sc.grid
    m, n = ctx.m, ctx.sc.n_steps
    cap = ctx.sizes["export_mw"]
    exp = hourly_var(m, "grid_export_mw", n)
    imp = hourly_var(m, "grid_import_mw", n, ub=g.import_limit_mw)
    hourly_con(m, "grid_export_limit", n, lambda t: exp[t] <= cap)
    ctx.hourly.update(grid_export_mw=exp, grid_import_mw=imp)


def capital(sc: Scenario) -> list[CapitalItem]:
    g = sc.grid
    return [CapitalItem("grid_export", "grid", g.export_capex_usd_per_kw * 1000, g.export_life_years, size=NEW)]


def tou_charged(sc: Scenario) -> bool:
    """Does the supply tariff charge a time-of-use energy charge in some hour?"""
    return bool(np.any(sc.hourly[TOU].to_numpy(float) != 0)) if TOU in sc.hourly else False


def peak_weight(sc: Scenario) -> float:
    """Hours the flagged coincident-peak intervals stand for: sum_t w_t x flag_t (0 when none is flagged)."""
    if CP not in sc.hourly:
        return 0.0
    return float((sc.weights * sc.hourly[CP].to_numpy(float)).sum())


def tariff_streams(sc: Scenario) -> list[spec.Stream]:
    """The supply tariff's charges on the site's own import, each only when the workbook sets it (7a)-(7c)."""
    g, out = sc.grid, []
    if tou_charged(sc):  # (7c) time of use: on top of the import price, hour by hour
        out.append(spec.Stream("import_energy_charge", "electricity", lambda sc: -1.0,
                               spec.Hourly("grid_import_mw", TOU), "Grid import energy charge (time of use)"))
    if g.demand_charge_usd_per_kw_month > 0:  # (7a) USD/kW-month x each month's peak import
        out.append(spec.Stream("import_demand_charge", "electricity",
                               lambda sc: -sc.grid.demand_charge_usd_per_kw_month * 1000,
                               spec.MonthlyPeak("grid_import_mw"), "Grid import demand charge"))
    if g.coincident_peak_charge_usd_per_kw_year > 0 and peak_weight(sc) > 0:
        # (7b) USD/kW-yr x the average import over the flagged intervals = rate x sum_t w_t flag_t imp_t
        out.append(spec.Stream("import_coincident_peak_charge", "electricity",
                               lambda sc: -sc.grid.coincident_peak_charge_usd_per_kw_year * 1000 / peak_weight(sc),
                               spec.Hourly("grid_import_mw", CP), "Coincident-peak transmission charge"))
    return out


def structural(sc: Scenario) -> set[str]:
    """A charge that is zero has no term in the model: setting it needs a rebuild, not a re-pricing."""
    out = set()
    if sc.grid.demand_charge_usd_per_kw_month <= 0:
        out.add("grid.demand_charge_usd_per_kw_month")
    if sc.grid.coincident_peak_charge_usd_per_kw_year <= 0 or peak_weight(sc) <= 0:
        out.add("grid.coincident_peak_charge_usd_per_kw_year")
    return out


def streams(sc: Scenario) -> list[spec.Stream]:
    # the hourly prices are the quantities' own series: the rate is 1 (USD per USD) or -1
    return [
        spec.Stream("export_revenue", "electricity", lambda sc: 1.0, spec.Hourly("grid_export_mw",
                                                                                 "export_price_usd_per_mwh"),
                    "Grid export revenue", driver="hourly.export_price_usd_per_mwh"),
        spec.Stream("import_cost", "electricity", lambda sc: -1.0, spec.Hourly("grid_import_mw",
                                                                               "import_price_usd_per_mwh"),
                    "Grid import cost", driver="hourly.import_price_usd_per_mwh"),
        spec.Stream("grid_fom", "om", lambda sc: -sc.grid.export_fom_usd_per_kw_year * 1000, spec.Capacity("export_mw"),
                    "Export line fixed O&M"),
        *tariff_streams(sc),
    ]


TECHNOLOGY = spec.Technology(
    name="grid",
    label="Grid connection",
    add=add,
    decisions=lambda sc: [spec.Decision(NEW, "MW", "min_new_export_mw", "max_new_export_mw")],
    sizes=(
        spec.Size("export_mw", "MW", "Export line", existing=lambda sc: sc.grid.existing_export_mw, new=NEW),
        spec.Size("import_limit_mw", "MW", "Import limit", existing=lambda sc: sc.grid.import_limit_mw),
    ),
    flows=(
        spec.Flow("grid_import_mw", spec.SUPPLY, "Grid import", energy_key="grid_import"),
        spec.Flow("grid_export_mw", spec.DEMAND, "Grid export", site_use=True, energy_key="export"),
    ),
    capital=capital,
    streams=streams,
    limits=(spec.Limit("grid_import_mw", "import_limit_mw", "Grid import limit", "MW", bound=True),),
    structural=structural,
)
