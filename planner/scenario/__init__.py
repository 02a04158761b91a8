"""Reading the workbook, the typed Scenario, validation and the template."""

from planner.scenario.reader import read_workbook
from planner.scenario.scenario import Scenario, SensitivityRow
from planner.scenario.template import template_scenario, write_workbook

__all__ = ["Scenario", "SensitivityRow", "read_workbook", "template_scenario", "write_workbook"]
