"""PV capacity factor, PVWatts-style (pvlib): AC output of 1 MW_ac per hour (docs/resource.md, "PV").

Chain: sun position at mid-hour (NREL SPA), tracker or fixed orientation, Hay-Davies transposition, PVsyst
cell temperature, PVWatts DC model with a temperature coefficient, DC losses, PVWatts inverter, AC clipping.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from planner.resource import require


@dataclass(frozen=True)
class PVDesign:
    """The plant behind pv_cf: the defaults and their sources are in docs/resource.md."""

    tracking: bool = True  # single-axis tracker on a north-south axis; False: fixed tilt
    tilt_deg: float | None = None  # fixed tilt; None: latitude, at most 40 deg
    azimuth_deg: float | None = None  # fixed azimuth; None: facing the equator (180 north, 0 south)
    dc_ac_ratio: float = 1.3
    losses_fraction: float = 0.14  # DC system losses (soiling, mismatch, wiring, ...)
    inverter_efficiency: float = 0.96  # PVWatts nominal inverter efficiency
    gamma_pdc_per_c: float = -0.0037  # module power temperature coefficient, 1/degC
    gcr: float = 0.35  # tracker ground coverage ratio
    max_angle_deg: float = 60.0  # tracker rotation limit
    backtrack: bool = True
    albedo: float = 0.25

    def describe(self, latitude_deg: float) -> str:
        """The design in words for the Sources sheet."""
        if self.tracking:
            mount = (f"single-axis tracker (N-S axis, +-{self.max_angle_deg:g} deg, GCR {self.gcr:g}, "
                     f"{'backtracking' if self.backtrack else 'no backtracking'})")
        else:
            tilt, az = self.orientation(latitude_deg)
            mount = f"fixed tilt {tilt:g} deg, azimuth {az:g} deg"
        return (f"{mount}; DC/AC {self.dc_ac_ratio:g}; DC losses {self.losses_fraction:g}; inverter "
                f"{self.inverter_efficiency:g}; gamma {self.gamma_pdc_per_c:g}/degC; albedo {self.albedo:g}")

    def orientation(self, latitude_deg: float) -> tuple[float, float]:
        """(tilt, azimuth) of a fixed plant."""
        tilt = min(abs(latitude_deg), 40.0) if self.tilt_deg is None else self.tilt_deg
        az = (180.0 if latitude_deg >= 0 else 0.0) if self.azimuth_deg is None else self.azimuth_deg
        return tilt, az

    def as_dict(self) -> dict:
        return asdict(self)


def pv_cf(ghi: np.ndarray, dni: np.ndarray, dhi: np.ndarray, temp_air_c: np.ndarray, wind_mps: np.ndarray,
          times_utc: pd.DatetimeIndex, latitude_deg: float, longitude_deg: float,
          design: PVDesign = PVDesign(), elevation_m: float | None = None) -> np.ndarray:
    """AC output of 1 MW_ac (a fraction, 0..1) for each hour beginning at `times_utc` (naive UTC).

    Irradiance is taken as the hour's mean, so the sun is placed at mid-hour. `elevation_m` sets the pressure of
    the refraction correction (None: pvlib's elevation map).
    """
    pvlib = require("pvlib", "planner resource --pv")
    idx = pd.DatetimeIndex(times_utc) + pd.Timedelta(minutes=30)
    loc = pvlib.location.Location(latitude_deg, longitude_deg, altitude=elevation_m)
    sun = loc.get_solarposition(idx)
    ghi, dni, dhi = (np.asarray(a, dtype=float) for a in (ghi, dni, dhi))
    if design.tracking:
        trk = pvlib.tracking.singleaxis(sun["apparent_zenith"], sun["azimuth"], axis_azimuth=180,
                                        max_angle=design.max_angle_deg, backtrack=design.backtrack, gcr=design.gcr)
        tilt, azimuth = trk["surface_tilt"].fillna(0).to_numpy(), trk["surface_azimuth"].fillna(180).to_numpy()
    else:
        t, a = design.orientation(latitude_deg)
        tilt, azimuth = np.full(len(idx), t), np.full(len(idx), a)
    poa = pvlib.irradiance.get_total_irradiance(tilt, azimuth, sun["apparent_zenith"].to_numpy(),
                                                sun["azimuth"].to_numpy(), dni, ghi, dhi,
                                                dni_extra=pvlib.irradiance.get_extra_radiation(idx).to_numpy(),
                                                albedo=design.albedo, model="haydavies")["poa_global"]
    poa = np.nan_to_num(np.asarray(poa, dtype=float), nan=0.0).clip(min=0)
    t_cell = pvlib.temperature.pvsyst_cell(poa, np.asarray(temp_air_c, dtype=float), np.asarray(wind_mps, float))
    p_dc = pvlib.pvsystem.pvwatts_dc(poa, t_cell, pdc0=design.dc_ac_ratio, gamma_pdc=design.gamma_pdc_per_c) * (
        1 - design.losses_fraction)
    p_ac = pvlib.inverter.pvwatts(p_dc, pdc0=1.0 / design.inverter_efficiency,
                                  eta_inv_nom=design.inverter_efficiency)
    return np.clip(np.nan_to_num(np.asarray(p_ac, dtype=float)), 0.0, 1.0)
