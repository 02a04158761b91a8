"""Small inline-SVG chart helpers for the self-contained HTML report (no scripts, no network)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import numpy as np

from planner import fmt

PALETTE = ["#f2b701", "#3b8ea5", "#7f3c8d", "#11a579", "#e73f74", "#3969ac", "#80ba5a", "#e68310", "#008695",
           "#cf1c90", "#a5aa99"]


def _nice(v: float) -> str:
    """An axis tick: 1500000 -> "1.5M" (planner/fmt.py: scaled)."""
    n, prefix = fmt.scaled(v)
    return n + prefix


def bar_chart(labels: list[str], values: list[float], title: str, width: int = 720, height: int = 260,
              text: Callable[[float], str] = fmt.money) -> str:
    """Vertical bars (negative values below the axis); `text` writes a bar's value in its tooltip."""
    pad_l, pad_b, pad_t = 60, 30, 28
    vmax, vmin = max(max(values, default=0), 0), min(min(values, default=0), 0)
    span = (vmax - vmin) or 1.0
    plot_h, plot_w = height - pad_b - pad_t, width - pad_l - 10
    y0 = pad_t + plot_h * vmax / span
    bw = plot_w / max(len(values), 1)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<text x="{pad_l}" y="18" class="ct">{escape(title)}</text>',
             f'<line x1="{pad_l}" x2="{width - 10}" y1="{y0:.1f}" y2="{y0:.1f}" stroke="#555"/>']
    for v in (vmax, vmin):
        y = pad_t + plot_h * (vmax - v) / span
        parts.append(f'<text x="{pad_l - 6}" y="{y + 4:.1f}" class="ax" text-anchor="end">{_nice(v)}</text>')
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * abs(v) / span
        y = y0 - h if v >= 0 else y0
        color = "#11a579" if v >= 0 else "#e73f74"
        parts.append(f'<rect x="{pad_l + i * bw + 2:.1f}" y="{y:.1f}" width="{max(bw - 4, 1):.1f}" '
                     f'height="{h:.1f}" fill="{color}"><title>{escape(lab)}: {escape(text(v))}</title></rect>')
        if len(labels) <= 31:
            parts.append(f'<text x="{pad_l + (i + 0.5) * bw:.1f}" y="{height - 10}" class="ax" '
                         f'text-anchor="middle">{escape(lab)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(rows: dict[str, dict[str, float]], title: str, unit: str = "MWh", width: int = 720) -> str:
    """Horizontal 100 % stacked bars, one per row (e.g. where energy comes from / where it goes)."""
    height = 40 + 56 * len(rows)
    pad_l = 130
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<text x="10" y="18" class="ct">{escape(title)}</text>']
    names = sorted({k for r in rows.values() for k in r})
    color = {n: PALETTE[i % len(PALETTE)] for i, n in enumerate(names)}
    for i, (label, parts_row) in enumerate(rows.items()):
        y = 34 + i * 56
        total = sum(v for v in parts_row.values() if v > 0) or 1.0
        parts.append(f'<text x="10" y="{y + 20}" class="ax">{escape(label)}</text>')
        x = pad_l
        for name, v in parts_row.items():
            if v <= 0:
                continue
            w = (width - pad_l - 10) * v / total
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="30" fill="{color[name]}">'
                         f'<title>{escape(name)}: {fmt.energy(v, unit)} ({fmt.percent(v / total)})</title></rect>')
            if w > 60:
                parts.append(f'<text x="{x + 4:.1f}" y="{y + 19}" class="lbl">{escape(name)} {100 * v / total:.0f}%'
                             f'</text>')
            x += w
    parts.append("</svg>")
    return "".join(parts)


def heatmap(values: np.ndarray, title: str, unit: str, width: int = 730, height: int = 200) -> str:
    """Hour of day (rows) x day of year (columns) heatmap of an 8760-long series."""
    n_days = len(values) // 24
    grid = np.asarray(values[: n_days * 24], dtype=float).reshape(n_days, 24).T
    peak = float(grid.max())
    vmax = peak or 1.0
    pad_l, pad_t = 40, 24
    cw, chh = (width - pad_l - 10) / n_days, (height - pad_t - 20) / 24
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<text x="{pad_l}" y="16" class="ct">{escape(title)} '
             f'(max {fmt.size(peak, unit)} {escape(unit)})</text>']
    for h in range(24):
        row = grid[h]
        for d in range(n_days):
            v = row[d] / vmax
            if v <= 0.005:
                continue
            parts.append(f'<rect x="{pad_l + d * cw:.2f}" y="{pad_t + h * chh:.2f}" width="{cw + 0.3:.2f}" '
                         f'height="{chh + 0.3:.2f}" fill="#3b8ea5" fill-opacity="{v:.2f}"/>')
    for h in (0, 6, 12, 18):
        parts.append(f'<text x="{pad_l - 4}" y="{pad_t + (h + 0.8) * chh:.1f}" class="ax" text-anchor="end">'
                     f'{h:02d}h</text>')
    parts.append(f'<text x="{pad_l}" y="{height - 4}" class="ax">1 Jan</text>')
    parts.append(f'<text x="{width - 10}" y="{height - 4}" class="ax" text-anchor="end">31 Dec</text>')
    parts.append(f'<rect x="{pad_l}" y="{pad_t}" width="{width - pad_l - 10}" height="{24 * chh:.1f}" '
                 f'fill="none" stroke="#999"/>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(series: dict[str, np.ndarray], title: str, unit: str = "MW", width: int = 730,
               height: int = 260) -> str:
    """Several lines over the same hours (a week of dispatch)."""
    pad_l, pad_t, pad_b = 50, 26, 40
    n = max((len(v) for v in series.values()), default=1)
    vmax = max((float(np.max(v)) for v in series.values() if len(v)), default=1.0) or 1.0
    pw, ph = width - pad_l - 130, height - pad_t - pad_b
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<text x="{pad_l}" y="16" class="ct">{escape(title)}</text>',
             f'<rect x="{pad_l}" y="{pad_t}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>',
             f'<text x="{pad_l - 4}" y="{pad_t + 8}" class="ax" text-anchor="end">{fmt.size(vmax, unit)}</text>',
             f'<text x="{pad_l - 4}" y="{pad_t + ph}" class="ax" text-anchor="end">0 {unit}</text>']
    for i, (name, v) in enumerate(series.items()):
        pts = " ".join(f"{pad_l + pw * t / max(n - 1, 1):.1f},{pad_t + ph * (1 - x / vmax):.1f}"
                       for t, x in enumerate(v))
        col = PALETTE[i % len(PALETTE)]
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{col}" stroke-width="1.6"/>')
        parts.append(f'<rect x="{pad_l + pw + 10}" y="{pad_t + 14 * i}" width="10" height="10" fill="{col}"/>')
        parts.append(f'<text x="{pad_l + pw + 24}" y="{pad_t + 9 + 14 * i}" class="ax">{escape(name)}</text>')
    for day in range(0, n // 24 + 1):
        x = pad_l + pw * day * 24 / max(n - 1, 1)
        parts.append(f'<text x="{x:.1f}" y="{height - pad_b + 14}" class="ax">d{day + 1}</text>')
    parts.append("</svg>")
    return "".join(parts)


def step_cdf(series: dict[str, tuple[list[float], list[float]]], title: str, width: int = 730,
             height: int = 280) -> str:
    """Step CDFs of several distributions on one axis: each series is the (x, probability) corners of its steps
    (planner/report/uncertainty.py: cdf_steps), drawn from probability 0 to 1 with a legend."""
    pad_l, pad_t, pad_b, pad_r = 50, 26, 40, 190
    xs = [x for pts, _ in series.values() for x in pts] or [0.0]
    lo, hi = min(xs), max(xs)
    margin = (hi - lo) * 0.05 or max(abs(hi), 1.0) * 0.05
    lo, hi = lo - margin, hi + margin
    pw, ph = width - pad_l - pad_r, height - pad_t - pad_b

    def px(x: float) -> float:
        return pad_l + pw * (x - lo) / (hi - lo)

    def py(p: float) -> float:
        return pad_t + ph * (1 - p)

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<text x="{pad_l}" y="16" class="ct">{escape(title)}</text>',
             f'<rect x="{pad_l}" y="{pad_t}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>']
    for p in (0.0, 0.5, 1.0):
        parts.append(f'<text x="{pad_l - 4}" y="{py(p) + 4:.1f}" class="ax" text-anchor="end">{100 * p:.0f}%</text>')
    for x in (lo + margin, hi - margin):
        parts.append(f'<text x="{px(x):.1f}" y="{height - pad_b + 14}" class="ax" text-anchor="middle">'
                     f'{_nice(x)}</text>')
    if lo < 0 < hi:  # the line of a zero NPV: the step's height there is the probability of a loss
        parts.append(f'<line x1="{px(0):.1f}" x2="{px(0):.1f}" y1="{pad_t}" y2="{pad_t + ph}" stroke="#999" '
                     f'stroke-dasharray="4 3"/>')
        if min(abs(px(0) - px(lo + margin)), abs(px(0) - px(hi - margin))) > 40:  # not on top of an end's label
            parts.append(f'<text x="{px(0):.1f}" y="{height - pad_b + 14}" class="ax" text-anchor="middle">0</text>')
    parts.append(f'<text x="{pad_l + pw / 2:.1f}" y="{height - 6}" class="ax" text-anchor="middle">NPV (USD); '
                 f'height: probability of an NPV at most this</text>')
    for i, (name, (x, p)) in enumerate(series.items()):
        col = PALETTE[(i + 1) % len(PALETTE)]
        pts = " ".join(f"{px(a):.1f},{py(b):.1f}" for a, b in zip([lo, *x, hi], [0.0, *p, 1.0], strict=True))
        # the first line wide, the next ones narrower and dashed: curves that coincide all stay visible
        style = 'stroke-width="4"' if i == 0 else 'stroke-width="2" stroke-dasharray="6 4"'
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{col}" {style}/>')
        parts.append(f'<rect x="{pad_l + pw + 10}" y="{pad_t + 16 * i}" width="10" height="10" fill="{col}"/>')
        parts.append(f'<text x="{pad_l + pw + 24}" y="{pad_t + 9 + 16 * i}" class="ax">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_columns(categories: list[str], series: dict[str, list[float]], title: str, unit: str, width: int = 730,
                    height: int = 280) -> str:
    """Vertical stacked columns, one per category (a period), one coloured segment per series, with a legend.

    A segment's height is the plot's height x its value / the tallest column's total (the sum of its positive
    values), so heights are proportional to the values; a value of zero or less draws nothing. The plot area
    is the frame rectangle (class "frame"); each segment's tooltip gives its value as fmt.size writes it."""
    pad_l, pad_t, pad_b, pad_r = 60, 26, 40, min(190, width // 3)
    totals = [sum(v[i] for v in series.values() if v[i] > 0) for i in range(len(categories))]
    vmax = max(totals, default=0.0) or 1.0
    pw, ph = width - pad_l - pad_r, height - pad_t - pad_b
    slot = pw / max(len(categories), 1)
    bw = min(slot * 0.6, 90.0)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<text x="{pad_l}" y="16" class="ct">{escape(title)}</text>',
             f'<rect class="frame" x="{pad_l}" y="{pad_t}" width="{pw}" height="{ph}" fill="none" stroke="#ccc"/>',
             f'<text x="{pad_l - 4}" y="{pad_t + 8}" class="ax" text-anchor="end">{fmt.size(vmax, unit)}</text>',
             f'<text x="{pad_l - 4}" y="{pad_t + ph}" class="ax" text-anchor="end">0</text>',
             f'<text x="{pad_l - 4}" y="{pad_t + ph + 14}" class="ax" text-anchor="end">{escape(unit)}</text>']
    for i, cat in enumerate(categories):
        x, base = pad_l + slot * i + (slot - bw) / 2, pad_t + ph
        for name, values in series.items():
            v = values[i]
            if v <= 0:
                continue
            h = ph * v / vmax
            base -= h
            col = PALETTE[list(series).index(name) % len(PALETTE)]
            parts.append(f'<rect x="{x:.1f}" y="{base:.2f}" width="{bw:.1f}" height="{h:.2f}" fill="{col}">'
                         f'<title>{escape(name)}, {escape(cat)}: {fmt.size(v, unit)} {escape(unit)}</title></rect>')
        for k, line in enumerate(cat.replace(" (", "\n(").split("\n")[:2]):  # "2027" over "(years 1-3)"
            parts.append(f'<text x="{x + bw / 2:.1f}" y="{height - pad_b + 14 + 12 * k}" class="ax" '
                         f'text-anchor="middle">{escape(line)}</text>')
    for j, name in enumerate(series):
        col = PALETTE[j % len(PALETTE)]
        parts.append(f'<rect x="{pad_l + pw + 10}" y="{pad_t + 16 * j}" width="10" height="10" fill="{col}"/>')
        parts.append(f'<text x="{pad_l + pw + 24}" y="{pad_t + 9 + 16 * j}" class="ax">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
