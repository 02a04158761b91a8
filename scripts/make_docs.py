"""Regenerate docs/inputs.md from the field declarations (run after changing planner/scenario/inputs.py)."""

from pathlib import Path

from planner.scenario.docs import inputs_markdown

if __name__ == "__main__":
    path = Path(__file__).resolve().parents[1] / "docs" / "inputs.md"
    path.write_text(inputs_markdown())
    print(f"wrote {path}")
