"""Grid: a sized export line, a given import limit, hourly export and import prices (may be negative)."""

from __future__ import annotations

import pandas as pd

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies.base import Ctx, hourly_con, hourly_var, new_var, series_scale

NEW = "grid_new_export_mw"


def capital_items(sc: Scenario) -> list[tuple[CapitalItem, str]]:
    g = sc.grid
    return [(CapitalItem("grid_export", "grid", g.export_capex_usd_per_kw * 1000, g.export_life_years), NEW)]


def add(ctx: Ctx) -> None:
    """Export capacity, hourly export and import with their prices, line O&M and capex."""
    g = ctx.sc.grid
    m, n = ctx.m, ctx.sc.n_steps
    new = new_var(m, NEW, g.min_new_export_mw, g.max_new_export_mw)
    cap = g.existing_export_mw + new
    exp = hourly_var(m, "grid_export_mw", n)
    imp = hourly_var(m, "grid_import_mw", n, ub=g.import_limit_mw)
    hourly_con(m, "grid_export_limit", n, lambda t: exp[t] <= cap)
    ctx.supply["grid_import_mw"] = lambda t: imp[t]
    ctx.demand["grid_export_mw"] = lambda t: exp[t]
    ctx.site_uses["grid_export_mw"] = ctx.demand["grid_export_mw"]
    ctx.hourly.update(grid_export_mw=exp, grid_import_mw=imp)
    # prices enter as the base series times a multiplier (1 unless a sensitivity scales the series)
    s_exp, s_imp = series_scale(ctx.sc, "export_price_usd_per_mwh"), series_scale(ctx.sc, "import_price_usd_per_mwh")
    ctx.stream("export_revenue", "electricity", lambda sc: series_scale(sc, "export_price_usd_per_mwh") / s_exp,
               ctx.weighted_sum(lambda t: exp[t], ctx.col("export_price_usd_per_mwh")))
    ctx.stream("import_cost", "electricity", lambda sc: -series_scale(sc, "import_price_usd_per_mwh") / s_imp,
               ctx.weighted_sum(lambda t: imp[t], ctx.col("import_price_usd_per_mwh")))
    ctx.stream("grid_fom", "om", lambda sc: -sc.grid.export_fom_usd_per_kw_year * 1000, cap)
    ctx.sizes["export_mw"] = cap
    ctx.sizes["import_limit_mw"] = g.import_limit_mw


def annual_cash(sc: Scenario, new: dict[str, float], d: pd.DataFrame) -> dict[str, tuple[str, float]]:
    g = sc.grid
    w = d["weight"]
    out = {
        "export_revenue": ("electricity", float((w * d["grid_export_mw"] * d["export_price_usd_per_mwh"]).sum())),
        "import_cost": ("electricity", -float((w * d["grid_import_mw"] * d["import_price_usd_per_mwh"]).sum())),
    }
    if g.export_fom_usd_per_kw_year:
        out["grid_fom"] = ("om", -g.export_fom_usd_per_kw_year * 1000 * (g.existing_export_mw + new[NEW]))
    return out
