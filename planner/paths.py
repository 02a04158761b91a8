"""Where the bundled data live: the equipment catalog (models/) and example data (inputs/)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = Path(os.environ.get("PLANNER_MODELS_DIR", REPO_ROOT / "models"))
INPUTS_DIR = REPO_ROOT / "inputs"
DATA_DIR = INPUTS_DIR / "data"
TEMPLATE_HOURLY_SITE = "west_texas"  # the template's hourly series come from this example site
