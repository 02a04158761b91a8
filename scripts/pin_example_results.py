"""Record every example's NPV and sizes in tests/data/example_results.json (the regression pin).

    python scripts/pin_example_results.py [site ...]

With sites named, only those are solved and re-pinned; every other site's pin is kept as it is.

tests/test_examples.py fails when a change moves any of these by more than 1e-9 relative. Re-pin only
for a change that is meant to move the answers, and say in the commit message which and why.
"""

from __future__ import annotations

import json
import sys

from planner.examples import EXAMPLES
from planner.paths import INPUTS_DIR, REPO_ROOT
from planner.run import optimise
from planner.scenario.reader import read_workbook
from planner.solve import SolveOptions

PIN = REPO_ROOT / "tests" / "data" / "example_results.json"
OPTIONS = SolveOptions(mip_gap=0.005, time_limit_s=900)  # as tests/test_examples.py solves them


def main() -> None:
    wanted = sys.argv[1:] or list(EXAMPLES)
    unknown = sorted(set(wanted) - set(EXAMPLES))
    if unknown:
        raise SystemExit(f"unknown example(s): {', '.join(unknown)} (known: {', '.join(EXAMPLES)})")
    kept = json.loads(PIN.read_text()) if PIN.exists() else {}
    out = {}
    for site in EXAMPLES:
        if site not in wanted:
            out[site] = kept[site]
            continue
        r = optimise(read_workbook(INPUTS_DIR / "examples" / f"{site}.xlsx"), OPTIONS, marginals=False)
        out[site] = {"npv_usd": r.npv_usd, "sizes": r.sizes}
        print(f"{site}: NPV {r.npv_usd:,.2f} USD")
    PIN.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {PIN}")


if __name__ == "__main__":
    main()
