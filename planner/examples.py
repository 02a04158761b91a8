"""The worked example sites: each is the default Scenario plus the changes below and real hourly data.

`python scripts/make_examples.py` writes them to inputs/examples/<id>.xlsx. Every value that differs
from the documented defaults (docs/inputs.md) is set here with the reason next to it; the hourly series
and their sources are in inputs/data/ (SOURCES.md).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from planner.scenario.scenario import DeclineRow, InvestmentPeriod, Scenario, SensitivityRow
from planner.scenario.template import (
    DEFAULT_SENSITIVITY,
    DEFAULT_UNCERTAIN,
    TEMPLATE_SOURCES,
    data_sources,
    load_site_hourly,
)


def _base(site_id: str, name: str, description: str, lat: float, lon: float, data: str | None = None) -> Scenario:
    """The defaults with the site's identity and the hourly data of inputs/data/<data or site_id>.csv."""
    sc = Scenario()
    sc.site.name, sc.site.description = name, description
    sc.site.latitude_deg, sc.site.longitude_deg = lat, lon
    sc.hourly = load_site_hourly(data or site_id)
    sc.sensitivity = list(DEFAULT_SENSITIVITY)
    sc.uncertain = list(DEFAULT_UNCERTAIN)
    sc.sources = list(TEMPLATE_SOURCES) + data_sources(data or site_id)
    return sc


def _off(sc: Scenario, *techs: str) -> None:
    for t in techs:
        if t == "grid":
            sc.grid.connected = False
        else:
            getattr(sc, t).enabled = False


ERCOT_4CP_MONTHS = (6, 7, 8, 9)  # ERCOT's four coincident peaks: one interval in each of June to September


def peak_price_flags(hourly: pd.DataFrame, months: tuple[int, ...] = ERCOT_4CP_MONTHS) -> np.ndarray:
    """1 in the highest-export-price hour of each of `months`, 0 elsewhere: a stand-in for ERCOT's 4CP intervals.

    ERCOT's 4CP intervals are the 15-minute intervals of highest system load in June-September; the example's
    data hold no system load, so the highest price of the month stands in for it (inputs/data/SOURCES.md).
    """
    stamps = pd.DatetimeIndex(hourly["timestamp"])
    price = hourly["export_price_usd_per_mwh"].to_numpy(float)
    flags = np.zeros(len(stamps))
    for month in months:
        hours = np.flatnonzero(stamps.month == month)
        flags[hours[np.argmax(price[hours])]] = 1.0
    return flags


def west_texas() -> Scenario:
    """Surplus solar and wind behind a congested export line, real-shaped prices with negative hours."""
    sc = _base("west_texas", "west-texas", "West Texas: an existing 100 MW wind farm behind a congested 60 MW "
               "export line; does mining absorb the curtailment and make more renewables pay?", 32.32, -100.18)
    _off(sc, "gas", "hydro", "geothermal", "nuclear", "site_load")
    sc.wind.existing_turbines = 24  # 24 x 4.2 MW = 100.8 MW already built
    sc.wind.max_new_turbines = 12
    sc.grid.existing_export_mw = 60.0  # congested node: the line exists and cannot grow
    sc.grid.max_new_export_mw = 0.0
    sc.grid.import_limit_mw = 5.0
    sc.ai.max_new_blocks = 10
    sc.mining.max_new_containers = 150
    # the ERCOT supply tariff on the 5 MW import (docs/sources.md, Grid): 4CP transmission, a TDSP demand charge
    sc.hourly["coincident_peak"] = peak_price_flags(sc.hourly)
    sc.grid.coincident_peak_charge_usd_per_kw_year = 60.0
    sc.grid.demand_charge_usd_per_kw_month = 5.0
    # an ECRS-like reserve product the mining fleet could sell (docs/sources.md, Reserves)
    sc.reserves.enabled = True
    sc.reserves.product_1_name = "ECRS-like"
    sc.reserves.product_1_response_time_s = 600.0  # ECRS: full response within 10 minutes
    sc.reserves.product_1_deployment_probability = 0.005  # about 44 h/yr deployed of every MW held all year
    sc.reserves.product_1_max_fleet_share = 0.5
    sc.hourly["reserve_1_price_usd_per_mw_h"] = 10.0
    return sc


def permian_gas() -> Scenario:
    """Stranded associated gas at an oil field, no grid line: gensets, mining, AI."""
    sc = _base("permian_gas", "permian-gas", "Permian Basin oil field: ~1.5 MMcf/d of associated gas now "
               "flared, no grid; gensets feeding mining and/or AI", 30.66, -101.71)
    _off(sc, "wind", "hydro", "geothermal", "nuclear", "grid")
    sc.gas.enabled = True
    sc.gas.fuel_price_usd_per_mmbtu = 0.5  # royalty to the producer (estimate, docs/sources.md, Gas)
    sc.gas.max_new_units = 12
    sc.site_load.enabled = True  # a small oilfield load (pumps, camp)
    sc.pv.max_new_mw_ac = 20.0
    sc.battery.max_new_mw, sc.battery.max_new_mwh = 10.0, 40.0
    sc.ai.max_new_blocks = 8
    sc.mining.max_new_containers = 15
    # methane-destruction credits (issue 19): the gas is flared today, and Permian flares destroy less than
    # the 98 % default (Plant et al. 2022, Science 377: 95.2 % effective, unlit flares included); methane-
    # avoidance credits traded at about 5 USD/tCO2e in 2025 (AlliedOffsets via EcoEngineers;
    # docs/sources.md, Carbon)
    sc.gas.credit_baseline = "flaring"
    sc.gas.flare_efficiency = 0.952
    sc.gas.carbon_credit_usd_per_t_co2e = 5.0
    # investment periods (issue 17): the wells' gas declines, and what no longer pays is relocated or resold
    c = int(sc.site.cod_year)
    sc.investment_periods = [InvestmentPeriod(c + k) for k in (0, 3, 8, 13)]
    sc.declines = [DeclineRow("hourly.gas_supply_mmbtu_per_h", PERMIAN_D_PER_YEAR, PERMIAN_B, PERMIAN_DECLINE_NOTE)]
    return sc


# A Permian gas well's Arps curve: a 68 % first-year decline (Incorrys 2021) with b = 1 (Wachtmeister et al. 2017)
# is D = 2.125/yr (docs/sources.md, Gas). The pad's wells are one year old at COD (their gas is flared while the
# plant is built): from its second year on, the same curve is an Arps curve with the same b and
# D = 2.125 / (1 + b x 2.125 x 1) = 0.68/yr (q(1 + t) / q(1) = (1 + b D' t)^(-1/b)).
PERMIAN_WELL_D_PER_YEAR, PERMIAN_B, PERMIAN_WELL_AGE_YEARS = 2.125, 1.0, 1.0
PERMIAN_D_PER_YEAR = PERMIAN_WELL_D_PER_YEAR / (1 + PERMIAN_B * PERMIAN_WELL_D_PER_YEAR * PERMIAN_WELL_AGE_YEARS)
PERMIAN_DECLINE_NOTE = ("Permian well: 68 % first-year decline (Incorrys 2021), b = 1 (Wachtmeister et al. 2017), "
                        "wells one year old at COD: D = 2.125 / 3.125 = 0.68/yr (docs/sources.md, Gas)")


def remote_hydro() -> Scenario:
    """Run-of-river hydro with seasonal flow and a weak transmission line: what to do with the spill."""
    sc = _base("remote_hydro", "remote-hydro", "Remote run-of-river hydro (40 m head), export capped at "
               "8 MW by a weak line; mining and AI compete for the spill", 60.0, 15.0)
    _off(sc, "pv", "wind", "gas", "geothermal", "nuclear", "site_load", "battery")
    sc.hydro.enabled = True
    sc.hydro.head_m = 40.0
    sc.hydro.max_new_mw = 15.0
    sc.grid.max_new_export_mw = 8.0  # weak line
    sc.grid.import_limit_mw = 2.0
    sc.ai.max_new_blocks = 5
    sc.ai.firmness = "sla"  # a seasonal river cannot promise firm power all year
    sc.mining.max_new_containers = 20
    return sc


def factory() -> Scenario:
    """A factory with its own load, maintenance shutdowns and weekends; existing PV, flexible mining."""
    sc = _base("factory", "factory", "German metal works (~8 MW peak) with maintenance weeks and weekends; "
               "existing 3 MW PV; mining absorbs surplus during shutdowns", 51.0, 10.0)
    _off(sc, "wind", "gas", "hydro", "geothermal", "nuclear", "ai")
    sc.site_load.enabled = True
    sc.pv.existing_mw_ac = 3.0
    sc.pv.max_new_mw_ac = 20.0
    sc.grid.max_new_export_mw = 10.0
    sc.grid.import_limit_mw = 15.0
    sc.site.site_capacity_mw = 20.0  # the factory's substation
    sc.mining.max_new_containers = 15
    return sc


def iceland() -> Scenario:
    """Geothermal units in a cold climate (low PUE) for AI and mining, modest export."""
    sc = _base("iceland", "iceland", "Iceland-style geothermal field: flash units, cold climate (PUE 1.1), "
               "AI and mining, a 10 MW export line (Nordic prices stand in)", 64.0, -21.0)
    _off(sc, "pv", "wind", "gas", "hydro", "nuclear", "site_load", "battery")
    sc.geothermal.enabled = True
    sc.geothermal.unit_model = "Geothermal flash 30 MW"
    sc.geothermal.max_new_units = 2
    sc.ai.pue = 1.1  # free cooling
    sc.ai.max_new_blocks = 40
    sc.mining.container_pue = 1.01  # air-cooled containers in a cold climate
    sc.mining.max_new_containers = 60
    sc.grid.max_new_export_mw = 10.0
    sc.grid.import_limit_mw = 5.0
    _district_heating(sc)
    return sc


ICELAND_HEAT_PEAK_MW_TH = 10.0  # the offtake's peak (estimate: a small town's network)
ICELAND_HEAT_BASE = 0.25  # share of the peak taken all year (hot water; estimate)
HEATING_BASE_C = 17.0  # heating-degree-hour base temperature (estimate)


def _district_heating(sc: Scenario) -> None:
    """A district-heating offtake for the mining heat (issue 19): demand follows the site's temperature.

    Demand = peak x (base + (1 - base) x heating degree hours / their maximum), from the Hourly temperature_c
    (a stand-in year, inputs/data/SOURCES.md). Price: Veitur's Reykjavik hot-water tariff, 151.04 ISK/m3
    before taxes (from 1 Jul 2022); one m3 cooled by 40 K gives 0.0465 MWh, so about 3,250 ISK/MWh or
    24 USD/MWh at 137 ISK/USD, the retail ceiling of what a waste-heat supplier could get (docs/sources.md,
    Heat). Icelandic networks supply 75-80 C: the air-cooled containers' 40 C heat needs the heat pump.
    """
    hdh = (HEATING_BASE_C - sc.hourly["temperature_c"]).clip(lower=0.0)
    sc.hourly["heat_demand_mwh_th"] = ICELAND_HEAT_PEAK_MW_TH * (ICELAND_HEAT_BASE + (1 - ICELAND_HEAT_BASE)
                                                                  * hdh / float(hdh.max()))
    h = sc.heat
    h.enabled = True
    h.price_usd_per_mwh_th = 24.0
    h.supply_temp_c = 75.0
    h.mining_cooling = "air"
    h.max_new_connection_mw_th = ICELAND_HEAT_PEAK_MW_TH
    h.max_new_heat_pump_mw_th = ICELAND_HEAT_PEAK_MW_TH
    sc.sources = sc.sources + [("Heat demand (iceland)", "stand-in: heating degree hours of the Hourly "
                                "temperature_c (17 C base), 25 % hot-water base, 10 MW_th peak (estimate; "
                                "planner/examples.py)"),
                               ("Heat price (iceland)", "Veitur hot-water tariff H1A-C, 151.04 ISK/m3 before "
                                "taxes from 1 Jul 2022 (veitur.is), about 24 USD/MWh_th (docs/sources.md, Heat)")]


def middle_east() -> Scenario:
    """Desert solar with storage, hot climate, firm AI through the night."""
    sc = _base("middle_east", "middle-east", "Desert solar + battery (Mojave data stand in for the Gulf), "
               "hot climate (PUE 1.45), firm AI through the night, flat regulated tariff", 24.0, 54.0)
    _off(sc, "wind", "gas", "hydro", "geothermal", "nuclear", "site_load")
    sc.pv.capex_usd_per_kw_ac = 900.0  # Gulf utility PV bids are far below ATB (estimate, see docs)
    sc.pv.max_new_mw_ac = 400.0
    sc.ai.pue = 1.45  # hot climate
    sc.ai.max_new_blocks = 20
    sc.grid.import_limit_mw = 10.0
    sc.grid.max_new_export_mw = 50.0
    sc.mining.max_new_containers = 100
    return sc


def nuclear_ai() -> Scenario:
    """A small-reactor powered AI data centre with a must-run floor; mining absorbs the rest."""
    sc = _base("nuclear_ai", "nuclear-ai", "SMR-powered AI campus: a committed 77 MW module with a must-run "
               "floor, firm AI load, mining absorbs what AI and an export-only line do not", 35.2, -101.9)
    _off(sc, "pv", "wind", "gas", "hydro", "geothermal", "site_load", "battery")
    sc.nuclear.enabled = True
    sc.nuclear.unit_model = "SMR 77 MW module"
    sc.nuclear.existing_units = 1  # the module is committed: the question is what to put behind it
    sc.nuclear.max_new_units = 1
    sc.ai.block_it_mw = 5.0
    sc.ai.max_new_blocks = 12
    sc.grid.max_new_export_mw = 20.0
    sc.grid.import_limit_mw = 0.0  # islanded campus: the line only exports
    sc.mining.max_new_containers = 80
    sc.sensitivity = sc.sensitivity + [SensitivityRow("nuclear.capex_usd_per_kw", 8000, 15000, "uniform",
                                                      "range: Lazard 2023 and estimate (docs/sources.md, Nuclear)")]
    return sc


PHASE_2_YEAR = 2030  # the second feed and the second AI hall (an assumption of the example)


def phased_ai() -> Scenario:
    """A wind site whose AI campus is built in two phases around a second grid feed, mining around the halvings."""
    sc = _base("phased_ai", "phased-ai", "West Texas wind behind a congested 60 MW line: AI built in two phases "
               "(a second feed in 2030), a mining fleet across the 2028 and 2032 halvings", 32.32, -100.18,
               data="west_texas")
    _off(sc, "gas", "hydro", "geothermal", "nuclear", "site_load")
    sc.wind.existing_turbines = 24  # 24 x 4.2 MW = 100.8 MW already built, as west_texas
    sc.wind.max_new_turbines = 12
    sc.grid.existing_export_mw = 60.0  # the congested line exists and cannot grow
    sc.grid.max_new_export_mw = 0.0
    sc.grid.import_limit_mw = PHASE_1_IMPORT_MW
    sc.ai.max_new_blocks = PHASE_1_AI_BLOCKS
    sc.mining.max_new_containers = 150
    # periods at COD, after each halving (2028.3, 2032.3: the next one, then every 4 years) and at phase 2
    phase_2 = {"grid.import_limit_mw": PHASE_2_IMPORT_MW, "ai.max_new_blocks": PHASE_2_AI_BLOCKS}
    sc.investment_periods = [InvestmentPeriod(2027), InvestmentPeriod(2029), InvestmentPeriod(PHASE_2_YEAR, phase_2),
                             InvestmentPeriod(2033, phase_2), InvestmentPeriod(2037, phase_2)]
    return sc


PHASE_1_IMPORT_MW, PHASE_2_IMPORT_MW = 5.0, 40.0  # the site's feed today, and with the second feed (assumption)
PHASE_1_AI_BLOCKS, PHASE_2_AI_BLOCKS = 4, 12  # the first hall, and both halls (assumption)


EXAMPLES: dict[str, Callable[[], Scenario]] = {
    "west_texas": west_texas,
    "permian_gas": permian_gas,
    "remote_hydro": remote_hydro,
    "factory": factory,
    "iceland": iceland,
    "middle_east": middle_east,
    "nuclear_ai": nuclear_ai,
    "phased_ai": phased_ai,
}
