"""Grid: a sized export line, a given import limit, hourly export and import prices (may be negative)."""

from __future__ import annotations

from planner.finance import CapitalItem
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var

NEW = "grid_new_export_mw"


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
)
