"""A new technology is one declaration: the worked example of docs/architecture.md (a biogas genset),
added to the registry from this file only, is built, balanced, priced and reported like the others."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pytest
from helpers import annuity, small_scenario

from planner import technologies
from planner.finance import CapitalItem
from planner.run import optimise
from planner.scenario.fields import YES_NO, inp
from planner.scenario.hourly import HourlyColumn
from planner.scenario.inputs import NO_LIMIT, Section
from planner.scenario.scenario import Scenario
from planner.solve import SolveOptions
from planner.technologies import spec
from planner.technologies.base import Ctx, hourly_con, hourly_var


@dataclass
class Biogas(Section):
    """Biogas gensets fed by a digester, sized in MW."""

    HOURLY = (HourlyColumn("biogas_mw_available", "MW", "Power the digester's gas can give", 0, None),)

    enabled: bool = inp(False, "yes/no", "Consider building biogas gensets", choices=YES_NO)
    existing_mw: float = inp(0.0, "MW", "Biogas capacity already on site", lo=0)
    min_new_mw: float = inp(0.0, "MW", "Smallest new build", lo=0)
    max_new_mw: float | None = inp(5.0, "MW", "Largest new build", lo=0, blank_means=NO_LIMIT)
    capex_usd_per_kw: float = inp(2500.0, "USD/kW", "Installed cost", lo=0, objective_only=True)
    fom_usd_per_kw_year: float = inp(60.0, "USD/kW-yr", "Fixed O&M", lo=0, objective_only=True)
    fuel_usd_per_mwh: float = inp(5.0, "USD/MWh", "Feedstock cost per MWh", lo=0, objective_only=True)
    life_years: int = inp(20, "years", "Economic life", lo=1, hi=60, objective_only=True)


@dataclass
class BiogasScenario(Scenario):
    biogas: Biogas = dataclasses.field(default_factory=Biogas)


NEW = "biogas_new_mw"


def add(ctx: Ctx) -> None:
    """Hourly output within the capacity and the gas the digester gives."""
    cap = ctx.sizes["biogas_mw"]
    gen = hourly_var(ctx.m, "biogas_mw", ctx.sc.n_steps, ub=ctx.col("biogas_mw_available"))
    hourly_con(ctx.m, "biogas_capacity", ctx.sc.n_steps, lambda t: gen[t] <= cap)
    ctx.hourly["biogas_mw"] = gen


BIOGAS = spec.Technology(
    name="biogas", label="Biogas", add=add,
    decisions=lambda sc: [spec.Decision(NEW, "MW", "min_new_mw", "max_new_mw")],
    sizes=(spec.Size("biogas_mw", "MW", "Biogas capacity", existing=lambda sc: sc.biogas.existing_mw, new=NEW),),
    flows=(spec.Flow("biogas_mw", spec.SUPPLY, "Biogas", energy_key="generation_biogas", generation=True),),
    capital=lambda sc: [CapitalItem("biogas", "biogas", sc.biogas.capex_usd_per_kw * 1000, sc.biogas.life_years,
                                    size=NEW)],
    streams=lambda sc: [
        spec.Stream("biogas_fuel", "fuel", lambda sc: -sc.biogas.fuel_usd_per_mwh, spec.Hourly("biogas_mw"),
                    "Biogas feedstock"),
        spec.Stream("biogas_fom", "om", lambda sc: -sc.biogas.fom_usd_per_kw_year * 1000,
                    spec.Capacity("biogas_mw"), "Biogas fixed O&M"),
    ],
    capacity_factors=(spec.CapacityFactor("biogas", "biogas_mw", "biogas_mw"),),
    firm=True,
)


def test_a_technology_declared_outside_the_package_is_built_balanced_priced_and_reported(monkeypatch):
    monkeypatch.setattr(technologies, "REGISTRY", technologies.REGISTRY + (BIOGAS,))
    base = small_scenario(24, export_price_usd_per_mwh=80.0)
    sc = BiogasScenario(**{f.name: getattr(base, f.name) for f in dataclasses.fields(Scenario)})
    sc.hourly["biogas_mw_available"] = 3.0  # the digester's gas feeds 3 MW in every hour
    sc.biogas.enabled = True
    sc.grid.connected, sc.grid.max_new_export_mw, sc.grid.export_capex_usd_per_kw = True, 10.0, 0.0
    sc.grid.import_limit_mw = 0.0
    r = optimise(sc, SolveOptions(mip_gap=1e-9), marginals=False)
    # a MW of biogas earns (80 - 5) USD/MWh all year, pays 60 USD/kW-yr and 2,500 USD/kW once (life = period):
    # every MW the gas can feed pays, a MW more than that only costs
    a = annuity(0.08, 20)
    per_mw = (80.0 - 5.0) * 8760 * a - 60.0 * 1000 * a - 2500.0 * 1000
    assert per_mw > 0
    assert r.sizes["biogas_mw"] == pytest.approx(3.0, abs=1e-6)
    assert r.sizes_new["biogas_mw"] == pytest.approx(3.0, abs=1e-6) and r.sizes_existing["biogas_mw"] == 0
    assert r.npv_usd == pytest.approx(3.0 * per_mw, rel=1e-7)
    assert r.proforma.npv_usd == pytest.approx(r.npv_usd, rel=1e-9)  # the streams, recomputed from the dispatch
    d = r.dispatch
    assert np.allclose(d["biogas_mw"], 3.0) and np.allclose(d["grid_export_mw"], 3.0)
    assert np.abs(d["balance_residual_mw"]).max() < 1e-9  # its flow is on the bus
    assert r.energy_mwh["generation_biogas"] == pytest.approx(3.0 * 8760)
    assert r.capacity_factors["biogas"] == pytest.approx(1.0)
    assert r.annual["biogas_fuel"] == ("fuel", pytest.approx(-5.0 * 3.0 * 8760))
    assert r.capex_by_technology_usd["biogas"] == pytest.approx(3.0 * 2.5e6)
    assert r.proforma.lcoe_usd_per_mwh == pytest.approx((2.5e6 + 60e3 * a + 5.0 * 8760 * a) / (8760 * a))
    summary = r.summary()
    assert {"column": "biogas_mw", "role": "supply", "label": "Biogas"}.items() <= next(
        f for f in summary["flows"] if f["column"] == "biogas_mw").items()
    assert summary["labels"]["sizes"]["biogas_mw"] == {"label": "Biogas capacity", "unit": "MW"}
    assert summary["labels"]["columns"]["biogas_mw"] == {"label": "Biogas", "unit": "MW"}
    assert summary["labels"]["streams"]["biogas_fom"]["label"] == "Biogas fixed O&M"
