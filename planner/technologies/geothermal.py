"""Geothermal units: firm, integer, with availability, must-run floor and planned outages (see firm.py)."""

from planner.technologies.firm import technology

TECHNOLOGY = technology("geothermal", "Geothermal")
