"""One module per technology; each adds its variables, constraints and cash flows to the shared Ctx.

Every module has `capital_items(sc)`, `add(ctx)` and `annual_cash(sc, new_sizes, dispatch)`.
"""

from planner.technologies import (
    ai,
    battery,
    gas,
    geothermal,
    grid,
    hydro,
    mining,
    nuclear,
    pv,
    site_load,
    wind,
)

# (module, is it part of this scenario?) in the order they are added to the model
MODULES = {
    "pv": (pv, lambda sc: sc.pv.enabled),
    "wind": (wind, lambda sc: sc.wind.enabled),
    "gas": (gas, lambda sc: sc.gas.enabled),
    "hydro": (hydro, lambda sc: sc.hydro.enabled),
    "geothermal": (geothermal, lambda sc: sc.geothermal.enabled),
    "nuclear": (nuclear, lambda sc: sc.nuclear.enabled),
    "battery": (battery, lambda sc: sc.battery.enabled),
    "grid": (grid, lambda sc: sc.grid.connected),
    "site_load": (site_load, lambda sc: sc.site_load.enabled),
    "ai": (ai, lambda sc: sc.ai.enabled),
    "mining": (mining, lambda sc: sc.mining.enabled),
}


def active(sc):
    """(name, module) of every technology the scenario enables."""
    return [(name, mod) for name, (mod, on) in MODULES.items() if on(sc)]
