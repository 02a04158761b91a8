"""Write the worked example workbooks to inputs/examples/<id>.xlsx (run after changing planner/examples.py)."""

import sys

from planner.examples import EXAMPLES
from planner.paths import INPUTS_DIR
from planner.scenario.template import write_workbook

if __name__ == "__main__":
    wanted = sys.argv[1:] or list(EXAMPLES)
    for site_id in wanted:
        path = write_workbook(EXAMPLES[site_id](), INPUTS_DIR / "examples" / f"{site_id}.xlsx")
        print(f"wrote {path}")
