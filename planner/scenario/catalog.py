"""The equipment catalog: CSV files in models/, one row per model, each with its source."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from planner.paths import MODELS_DIR

CATALOG_FILES = {
    "asics": "asics.csv",
    "gpu_systems": "gpu_systems.csv",
    "wind_turbines": "wind_turbines.csv",
    "gas_gensets": "gas_gensets.csv",
    "firm_units": "firm_units.csv",
    "heat_recovery": "heat_recovery.csv",
}


@dataclass
class Catalog:
    """All catalog tables, indexed by model name."""

    tables: dict[str, pd.DataFrame]
    power_curves: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def names(self, kind: str) -> list[str]:
        """Model names of one catalog table, in file order."""
        return list(self.tables[kind].index)

    def row(self, kind: str, model: str) -> pd.Series:
        """One model's row; KeyError if unknown."""
        return self.tables[kind].loc[model]

    def closest(self, kind: str, model: str) -> str | None:
        """The catalog name closest to a misspelt one, if any is close."""
        lower = {n.lower(): n for n in self.names(kind)}
        hit = difflib.get_close_matches(str(model).lower(), list(lower), n=1, cutoff=0.3)
        return lower[hit[0]] if hit else None


@lru_cache(maxsize=4)
def load_catalog(models_dir: Path = MODELS_DIR) -> Catalog:
    """Read every catalog CSV (and the wind power curves) from models/."""
    tables = {kind: pd.read_csv(models_dir / fname).set_index("model") for kind, fname in CATALOG_FILES.items()}
    curves_df = pd.read_csv(models_dir / "wind_power_curves.csv")
    curves = {
        str(model): (g["wind_speed_mps"].to_numpy(float), g["power_kw"].to_numpy(float))
        for model, g in curves_df.groupby("model", sort=False)
    }
    return Catalog(tables=tables, power_curves=curves)
