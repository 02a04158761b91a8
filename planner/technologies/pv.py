"""Solar PV: continuous MW_ac; output = pv_cf x degradation-average x capacity (surplus is curtailed)."""

from __future__ import annotations

import numpy as np

from planner.finance import CapitalItem, degradation_factor
from planner.scenario.scenario import Scenario
from planner.technologies import spec
from planner.technologies.base import Ctx

NEW = "pv_new_mw_ac"


def available_cf(sc: Scenario) -> np.ndarray:
    """Hourly AC output per MW_ac, with the discount-weighted average degradation over the period."""
    return sc.hourly["pv_cf"].to_numpy(float) * degradation_factor(sc.finance, sc.pv.degradation_per_year)


def add(ctx: Ctx) -> None:
    """PV output into the balance as an expression, cf_t x D x capacity (docs/formulation.md (1))."""
    cap = ctx.sizes["pv_mw_ac"]
    cf = available_cf(ctx.sc).tolist()
    ctx.hourly["pv_mw"] = lambda t: cf[t] * cap


def capital(sc: Scenario) -> list[CapitalItem]:
    p = sc.pv
    return [CapitalItem("pv", "pv", p.capex_usd_per_kw_ac * 1000, p.life_years, 0.0, p.itc_fraction, size=NEW)]


def streams(sc: Scenario) -> list[spec.Stream]:
    return [
        spec.Stream("pv_fom", "om", lambda sc: -sc.pv.fom_usd_per_kw_year * 1000, spec.Capacity("pv_mw_ac"),
                    "PV fixed O&M"),
        spec.Stream("pv_vom", "om", lambda sc: -sc.pv.vom_usd_per_mwh, spec.Hourly("pv_mw"), "PV variable O&M"),
    ]


def structural(sc: Scenario) -> set[str]:
    """The discount rate and the period set the average degradation, which scales PV output in the balance."""
    return {"finance.discount_rate", "finance.analysis_years"} if sc.pv.degradation_per_year else set()


TECHNOLOGY = spec.Technology(
    name="pv",
    label="Solar PV",
    add=add,
    decisions=lambda sc: [spec.Decision(NEW, "MW_ac", "min_new_mw_ac", "max_new_mw_ac")],
    sizes=(
        spec.Size("pv_mw_ac", "MW_ac", "PV capacity (AC)", existing=lambda sc: sc.pv.existing_mw_ac, new=NEW),
        spec.Size("pv_mw_dc", "MW_dc", "PV capacity (DC)", existing=lambda sc: sc.pv.existing_mw_ac, new=NEW,
                  per_unit=lambda sc: sc.pv.dc_ac_ratio),
    ),
    flows=(spec.Flow("pv_mw", spec.SUPPLY, "PV", energy_key="generation_pv", generation=True),),
    capital=capital,
    streams=streams,
    land=(spec.Land(lambda sc: sc.pv.land_ha_per_mw, NEW),),
    capacity_factors=(spec.CapacityFactor("pv", "pv_mw", "pv_mw_ac"),),
    structural=structural,
)
