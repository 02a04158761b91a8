"""Wind: the measured speed carried to hub height, air density, and a catalog turbine's capacity factor
(windpowerlib's turbine library; docs/resource.md, "Wind")."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.errors import InputError
from planner.resource import require

RHO_STANDARD = 1.225  # kg/m3, ISO standard atmosphere at sea level, 15 degC: the density of catalog power curves
R_DRY_AIR = 287.058  # J/(kg K)
G = 9.80665  # m/s2
LAPSE_K_PER_M = 0.0065  # ISO standard atmosphere temperature gradient
P0_PA = 101325.0


def default_turbine() -> str:
    """The planner's default turbine model (the Wind sheet's default, models/wind_turbines.csv)."""
    from planner.scenario.inputs import Wind

    return next(f.default for f in dataclasses.fields(Wind) if f.name == "turbine_model")


@dataclass(frozen=True)
class WindDesign:
    """How the hub-height speed and the capacity factor are made; defaults and sources in docs/resource.md."""

    turbine: str = dataclasses.field(default_factory=default_turbine)
    hub_height_m: float = 99.0  # E-126/4200's lowest catalog hub height
    shear: str = "power"  # power: Hellman power law; log: logarithmic profile
    alpha: float = 1 / 7  # Hellman exponent (neutral stability, open terrain)
    roughness_m: float = 0.03  # log law: open flat terrain (WMO class, Davenport)
    air_density: bool = False  # True: IEC 61400-12-1 density-equivalent speed

    def describe(self, measured_m: float) -> str:
        if abs(measured_m - self.hub_height_m) < 1e-9:
            shear = f"speed measured at the hub height {self.hub_height_m:g} m"
        elif self.shear == "power":
            shear = f"power law alpha {self.alpha:.4g} from {measured_m:g} m to hub {self.hub_height_m:g} m"
        else:
            shear = f"log law z0 {self.roughness_m:g} m from {measured_m:g} m to hub {self.hub_height_m:g} m"
        density = ("air density correction (IEC 61400-12-1: speed x (rho/1.225)^(1/3))" if self.air_density
                   else "no air density correction (curve at 1.225 kg/m3)")
        return f"{shear}; windpowerlib power curve of {self.turbine}; {density}; gross (no losses)"


def hub_speed(speed_mps: np.ndarray, measured_m: float, hub_m: float, shear: str = "power", alpha: float = 1 / 7,
              roughness_m: float = 0.03) -> np.ndarray:
    """The speed at hub height: power law v (h/h0)^alpha, or log law v ln(h/z0)/ln(h0/z0)."""
    v = np.asarray(speed_mps, dtype=float)
    if measured_m == hub_m:
        return v.copy()
    if shear == "power":
        return v * (hub_m / measured_m) ** alpha
    if shear == "log":
        return v * np.log(hub_m / roughness_m) / np.log(measured_m / roughness_m)
    raise InputError([f"shear must be power or log, found {shear!r}"])


def air_density(temp_c: np.ndarray, temp_height_m: float, hub_m: float, pressure_pa: np.ndarray | None = None,
                pressure_height_m: float = 2.0, elevation_m: float = 0.0) -> np.ndarray:
    """Air density at hub height, kg/m3: ideal gas at the hub's temperature (standard lapse rate from the
    measurement) and pressure (the measured pressure, else the standard atmosphere at the site's elevation,
    carried up by the barometric formula)."""
    t_hub_k = np.asarray(temp_c, dtype=float) + 273.15 - LAPSE_K_PER_M * (hub_m - temp_height_m)
    if pressure_pa is None:
        p_ground = P0_PA * (1 - LAPSE_K_PER_M * elevation_m / 288.15) ** (G / (R_DRY_AIR * LAPSE_K_PER_M))
        pressure_pa, pressure_height_m = np.full_like(t_hub_k, p_ground), 0.0
    p_hub = np.asarray(pressure_pa, dtype=float) * np.exp(-G * (hub_m - pressure_height_m) / (R_DRY_AIR * t_hub_k))
    return p_hub / (R_DRY_AIR * t_hub_k)


def density_equivalent_speed(speed_mps: np.ndarray, density: np.ndarray) -> np.ndarray:
    """IEC 61400-12-1 normalisation: the speed at which the standard-density power curve gives the power at
    `density`, v (rho / 1.225)^(1/3)."""
    return np.asarray(speed_mps, dtype=float) * (np.asarray(density, dtype=float) / RHO_STANDARD) ** (1 / 3)


def turbine_power_curve(turbine: str, hub_m: float) -> tuple[np.ndarray, np.ndarray, float]:
    """(speeds m/s, power W, nominal power W) of a windpowerlib library turbine."""
    require("windpowerlib", "planner resource --wind")
    from windpowerlib import WindTurbine

    try:
        t = WindTurbine(turbine_type=turbine, hub_height=hub_m)
    except (ValueError, KeyError) as e:
        raise InputError([f"--turbine {turbine!r}: not in windpowerlib's turbine library with a power curve ({e}); "
                          f"see windpowerlib.get_turbine_types()"]) from None
    if t.power_curve is None:
        raise InputError([f"--turbine {turbine!r}: windpowerlib has no power curve for it"])
    return (t.power_curve["wind_speed"].to_numpy(float), t.power_curve["value"].to_numpy(float),
            float(t.nominal_power))


def wind_cf(speed_hub_mps: np.ndarray, turbine: str, hub_m: float) -> np.ndarray:
    """Capacity factor of one turbine on its power curve (windpowerlib; gross: the planner applies its losses)."""
    from windpowerlib.power_output import power_curve

    speeds, power_w, nominal_w = turbine_power_curve(turbine, hub_m)
    p = power_curve(pd.Series(np.asarray(speed_hub_mps, dtype=float)), pd.Series(speeds), pd.Series(power_w))
    return np.clip(np.asarray(p, dtype=float) / nominal_w, 0.0, 1.0)
