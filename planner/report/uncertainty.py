"""The uncertainty section of both reports (a stochastic run: summary.json "stochastic"), as rows of values.

report.xlsx (planner/report/excel.py: uncertainty_sheet) and report.html (planner/report/html.py:
uncertainty_section) both write what these functions return, so the two show the same figures, rounded by
the same planner/fmt.py rules. A deterministic run has no "stochastic" block (or null): no section at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner import fmt, risk
from planner.report.data import ReportData

FIGURES = ("expected_npv_usd", "cvar_usd", "p10_usd", "p50_usd", "p90_usd", "probability_of_loss")
NOT_COMPUTED = "not computed"
STOCHASTIC = "Stochastic design"
EV = "Expected-value design"
SIZE_EPS = 1e-9


def block(data: ReportData) -> dict | None:
    """summary.json's "stochastic" block, or None on a deterministic run."""
    return data.summary.get("stochastic") or None


@dataclass(frozen=True)
class Figure:
    """One row of the figures table: the stochastic design's value and the expected-value design's (None: n/a)."""

    key: str
    label: str
    unit: str
    stochastic: float | None
    ev: float | None


def share_text(alpha: float) -> str:
    """A CVaR share as a person reads it: 0.1 -> "10 %"."""
    return f"{fmt.round_significant(100 * alpha, 3):g} %"


def figure_label(data: ReportData, key: str) -> str:
    """A figure's label; the CVaR's says which share it averages ("CVaR: mean of the worst 10 %")."""
    label = data.label("stochastic", key)
    if key == "cvar_usd":
        return f"{label}: mean of the worst {share_text(block(data)['cvar_alpha'])}"
    return label


def figures(data: ReportData) -> list[Figure]:
    """Expected NPV, CVaR, P10/P50/P90 and probability of a loss of both designs."""
    st = block(data)
    ev = st.get("ev_design") or {}
    return [Figure(k, figure_label(data, k), data.unit("stochastic", k), st.get(k), ev.get(k)) for k in FIGURES]


@dataclass(frozen=True)
class Value:
    """VSS, EVPI or the value of one flexibility: its label, amount (None: not computed) and a sentence."""

    key: str
    label: str
    usd: float | None
    text: str


def values(data: ReportData) -> list[Value]:
    """VSS, EVPI, then the value of each flexibility the run asked about, each with its sentence."""
    st = block(data)
    vss, evpi = st.get("vss_usd"), st.get("evpi_usd")
    out = [Value("vss_usd", data.label("stochastic", "vss_usd"), vss,
                 NOT_COMPUTED if vss is None else
                 f"Choosing one build for all {len(st['scenarios'])} scenarios, not for the expected one, adds "
                 f"{fmt.money(vss)} of expected NPV."),
           Value("evpi_usd", data.label("stochastic", "evpi_usd"), evpi,
                 (f"{NOT_COMPUTED}: {st['evpi_not_computed']}" if st.get("evpi_not_computed") else NOT_COMPUTED)
                 if evpi is None else
                 f"Knowing the scenario before building would add {fmt.money(evpi)} of expected NPV.")]
    for tech, usd in (st.get("value_of_flexibility_usd") or {}).items():
        name = data.label("technologies", tech)
        out.append(Value(f"value_of_flexibility_usd.{tech}", f"{data.label('stochastic', 'value_of_flexibility_usd')}"
                         f": {name}", usd, NOT_COMPUTED if usd is None else
                         f"{name} as a hedge is worth {fmt.money(usd)} here (expected NPV with it allowed minus "
                         f"without)."))
    return out


@dataclass(frozen=True)
class BuildRow:
    """One size of the two designs: label, unit, existing, new in the stochastic design, new in the EV design."""

    key: str
    label: str
    unit: str
    existing: float | None
    stochastic: float | None
    ev: float | None


def build(data: ReportData) -> list[BuildRow]:
    """Every size either design builds (or the site has), the new part of each design side by side."""
    st = block(data)
    design, ev = st["design"], st.get("ev_design") or {}
    new_s = design.get("sizes_new") or design.get("sizes") or {}
    new_e = (ev.get("sizes_new") or ev.get("sizes") or {}) if ev else {}
    existing = data.summary.get("sizes_existing") or {}
    keys = list(dict.fromkeys([*design.get("sizes", {}), *new_s, *ev.get("sizes", {}), *new_e]))
    rows = []
    for key in keys:
        numbers = [design.get("sizes", {}).get(key), new_s.get(key), ev.get("sizes", {}).get(key), new_e.get(key)]
        if all(v is None or abs(v) <= SIZE_EPS for v in numbers):  # neither design has it
            continue
        rows.append(BuildRow(key, data.label("sizes", key), data.unit("sizes", key), existing.get(key),
                             new_s.get(key), new_e.get(key) if ev else None))
    return rows


@dataclass(frozen=True)
class Parameter:
    """A parameter some scenario changes: its dotted name, the input's note and unit (from scenario.json)."""

    name: str
    note: str
    unit: str


def parameters(data: ReportData) -> list[Parameter]:
    """The parameters the scenarios change, in the order they first appear."""
    names = list(dict.fromkeys(k for s in block(data)["scenarios"] for k in (s.get("changes") or {})))
    return [Parameter(n, *data.input_info(n)) for n in names]


def scenario_npvs(data: ReportData) -> dict[str, list[float]]:
    """Design -> each scenario's NPV (the expected-value design only where every scenario has one)."""
    sc = block(data)["scenarios"]
    out = {STOCHASTIC: [float(s["npv_usd"]) for s in sc]}
    if sc and all(s.get("ev_design_npv_usd") is not None for s in sc):
        out[EV] = [float(s["ev_design_npv_usd"]) for s in sc]
    return out


def cdf_steps(x, cum) -> tuple[list[float], list[float]]:
    """The corners of a step CDF drawn as a line: (x1, 0), (x1, F1), (x2, F1), (x2, F2), ..."""
    xs, ys, last = [], [], 0.0
    for xi, fi in zip(x, cum, strict=True):
        xs += [float(xi), float(xi)]
        ys += [last, float(fi)]
        last = float(fi)
    return xs, ys


def cdfs(data: ReportData) -> dict[str, tuple[list[float], list[float]]]:
    """Design -> the corners of its NPV's step CDF (planner/risk.py: weighted_cdf)."""
    p = [float(s["probability"]) for s in block(data)["scenarios"]]
    if not p:  # no scenario: nothing to draw
        return {}
    return {name: cdf_steps(*risk.weighted_cdf(v, p)) for name, v in scenario_npvs(data).items()}


def notes(data: ReportData) -> list[str]:
    """What the figures are: the objective, the scenarios, the time resolution and the solve, in sentences."""
    st = block(data)
    lam, alpha = float(st.get("risk_aversion") or 0.0), share_text(st["cvar_alpha"])
    objective = ("the expected NPV" if lam == 0 else
                 f"{fmt.round_significant(1 - lam, 3):g} x expected NPV + {fmt.round_significant(lam, 3):g} x CVaR "
                 f"(the mean NPV of the worst {alpha} of the probability)")
    days = st.get("typical_days")
    out = [f"One build chosen for {len(st['scenarios'])} scenarios at once (a two-stage stochastic programme); each "
           f"scenario is then dispatched with that build.",
           f"The build maximises {objective}.",
           "The expected-value design is the build chosen for the probability-weighted mean scenario, evaluated "
           "over the same scenarios.",
           "VSS = E[NPV | stochastic design] - E[NPV | expected-value design]; EVPI = the expected NPV with "
           "perfect information minus the stochastic optimum's.",
           "P10 is the lowest scenario NPV whose cumulative probability reaches 10 % (P50 and P90 likewise).",
           (f"The build was sized on {days} typical days per scenario" if days else
            "The build was sized on the full year of every scenario")
           + ("; every scenario NPV is a full-year re-dispatch of the design." if st.get("full_year_check")
              else "; the scenario NPVs are those of the sizing model (no full-year re-dispatch).")]
    rows = build(data)
    if st.get("ev_design") and rows and all(b.stochastic == b.ev for b in rows):
        out.append("Both designs are the same build here, so their figures and curves coincide.")
    sol = st.get("solver") or {}
    if sol:
        out.append(f"Solver: {sol.get('status', fmt.NA)}, MIP gap {fmt.gap(sol.get('mip_gap'))}, "
                   f"{fmt.seconds(sol.get('seconds'))}; whole stochastic run "
                   f"{fmt.seconds((st.get('timings_s') or {}).get('total'))}.")
    return out
