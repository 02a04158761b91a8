"""Regenerate docs/inputs.md and inputs/template.xlsx from the field declarations.

Run after changing planner/scenario/inputs.py or the template; tests fail while either is stale.
"""

from pathlib import Path

from planner.scenario.docs import inputs_markdown
from planner.scenario.template import template_scenario, write_workbook

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    doc = ROOT / "docs" / "inputs.md"
    doc.write_text(inputs_markdown())
    print(f"wrote {doc}")
    print(f"wrote {write_workbook(template_scenario(), ROOT / 'inputs' / 'template.xlsx')}")
