"""Charts as inline SVG for the HTML report: no script, no fonts or files to fetch.

Each function returns one ``<svg>`` element as text, sized by its ``viewBox`` so it scales
to the page (and to paper) without losing sharpness. Labels are escaped; colours come from
the caller, so one origin keeps its colour across every chart of a report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

#: Colour-blind-safe categorical palette (Okabe-Ito, then Tableau's muted tones).
PALETTE = ("#0072B2", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#8C564B", "#7F7F7F",
           "#BCBD22", "#17BECF", "#9467BD", "#AEC7E8", "#FF9896", "#C5B0D5", "#C49C94")
#: Domestic production is always this green.
DOMESTIC_COLOUR = "#009E73"
OTHER_COLOUR = "#BBBBBB"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]
    colour: str


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round axis ticks from 0 up to at least ``top`` (steps of 1, 2, 2.5 or 5 x 10^k)."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def compact(value: float) -> str:
    """1,234 -> 1.2k; 7,062,154,068 -> 7.1bn (axis labels)."""
    size = abs(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            text = f"{value / limit:.1f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{value:,.0f}" if size >= 10 or value == int(value) else f"{value:.2g}"


def stacked_columns(categories: Sequence[object], series: Sequence[Series], title: str, unit: str = "",
                    width: int = 960, height: int = 230, y_max: float | None = None) -> str:
    """Stacked columns, one per category (year), a segment per series (positive values), on
    an axis up to at least ``y_max`` (so charts meant to be compared share their scale)."""
    left, right, top, bottom = 56, 8, 10, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(max(0.0, s.values[i]) for s in series) for i in range(len(categories))]
    ticks = nice_ticks(max(totals + [y_max or 0.0]))
    scale = plot_h / ticks[-1] if ticks[-1] else 0.0
    slot = plot_w / max(1, len(categories))
    bar = slot * 0.72
    parts = [_open(width, height, title)]
    parts += _y_axis(ticks, left, top, plot_w, plot_h, scale, unit)
    every = max(1, math.ceil(len(categories) / 12))  # at most ~12 category labels
    for i, category in enumerate(categories):
        x = left + i * slot + (slot - bar) / 2
        base = top + plot_h
        for s in series:
            v = max(0.0, float(s.values[i]))
            if v <= 0:
                continue
            h = v * scale
            base -= h
            parts.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{s.colour}">'
                         f'<title>{escape(s.label)}, {escape(str(category))}: {v:,.1f} {escape(unit)}</title></rect>')
        if i % every == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - 10}" text-anchor="middle" class="tick">'
                         f'{escape(str(category))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(items: Sequence[tuple[str, float]], title: str, unit: str = "", colour: str = PALETTE[0],
                    negative: str = DOMESTIC_COLOUR, width: int = 960, label_width: int = 330,
                    marker: tuple[str, float] | None = None, signed: bool = False) -> str:
    """One bar per item (label, value); negative values go left of zero in ``negative``.
    ``marker`` (label, value) draws a dashed reference line; ``signed`` writes + before
    positive values (differences)."""
    row, top, bottom, right = 22, 6, 24, 70
    height = top + bottom + row * len(items)
    low = min([0.0] + [v for _, v in items])
    high = max([0.0] + [v for _, v in items] + ([marker[1]] if marker else []))
    plot_w = width - label_width - right
    span = (high - low) or 1.0
    zero = label_width + (-low) / span * plot_w
    parts = [_open(width, height, title)]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = abs(value) / span * plot_w
        x = zero if value >= 0 else zero - w
        parts.append(f'<text x="{label_width - 8}" y="{y + row * 0.68:.1f}" text-anchor="end" class="label">'
                     f'{escape(label)}</text>')
        parts.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{max(w, 0.5):.1f}" height="{row - 6}" '
                     f'fill="{colour if value >= 0 else negative}"><title>{escape(label)}: {value:,.0f} '
                     f'{escape(unit)}</title></rect>')
        anchor, tx = ("start", x + w + 4) if value >= 0 else ("end", x - 4)
        parts.append(f'<text x="{tx:.1f}" y="{y + row * 0.68:.1f}" text-anchor="{anchor}" class="value">'
                     f'{"+" if signed and value > 0 else ""}{compact(value)}</text>')
    parts.append(f'<line x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" y2="{height - bottom + 4}" class="axis"/>')
    if marker is not None:
        mx = zero + marker[1] / span * plot_w
        parts.append(f'<line x1="{mx:.1f}" y1="{top}" x2="{mx:.1f}" y2="{height - bottom + 4}" class="marker"/>'
                     f'<text x="{mx:.1f}" y="{height - 6}" text-anchor="middle" class="tick">'
                     f'{escape(marker[0])} {compact(marker[1])}</text>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Build:
    """Modules whose build starts in ``start`` and which produce from ``producing``."""

    start: int
    producing: int
    modules: int


def timeline(rows: Sequence[tuple[str, Sequence[Build]]], years: Sequence[int], title: str,
             width: int = 960) -> str:
    """Builds over the horizon, a row per facility: a thin light bar for each build while it is
    under way, and a dark bar from the first new module producing to the end, split where
    more modules start producing and marked with how many new ones produce."""
    row, top, bottom = 30, 6, 26
    longest = max((len(label) for label, _ in rows), default=10)
    label_width = min(int(width * 0.45), 16 + int(6.4 * longest))
    height = top + bottom + row * len(rows)
    first, last = years[0], years[-1]
    slot = (width - label_width - 8) / max(1, last - first + 1)
    parts = [_open(width, height, title)]
    for i, year in enumerate(years):
        x = label_width + i * slot
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" class="grid"/>')
        if len(years) <= 16 or i % 2 == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - 8}" text-anchor="middle" class="tick">'
                         f'{year}</text>')

    def span(y: float, start: int, end: int, h: float, cls: str, tip: str, text: str = "") -> None:
        start, end = max(start, first), min(end, last)
        if end < start:
            return
        x, w = label_width + (start - first) * slot, (end - start + 1) * slot
        parts.append(f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{w - 2:.1f}" height="{h}" class="{cls}">'
                     f'<title>{escape(tip)}</title></rect>')
        if text and w > 6.5 * len(text) + 8:
            parts.append(f'<text x="{x + 5:.1f}" y="{y + h - 3:.1f}" class="on-bar {cls}">{escape(text)}</text>')

    for r, (label, builds) in enumerate(rows):
        y = top + r * row
        parts.append(f'<text x="{label_width - 8}" y="{y + row * 0.62:.1f}" text-anchor="end" class="label">'
                     f'{escape(label)}</text>')
        for b in builds:
            span(y + 3, b.start, b.producing - 1, 6, "building",
                 f"{label}: {b.modules} module(s) built from {b.start}, producing from {b.producing}")
        changes = sorted({b.producing for b in builds})
        for i, start in enumerate(changes):
            end = changes[i + 1] - 1 if i + 1 < len(changes) else last
            count = sum(b.modules for b in builds if b.producing <= start)
            span(y + 11, start, end, 14, "producing", f"{label}: {count} new module(s) producing from {start}",
                 f"{count} new")
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>')


def _y_axis(ticks: list[float], left: int, top: int, plot_w: float, plot_h: float, scale: float,
            unit: str) -> list[str]:
    parts = []
    for t in ticks:
        y = top + plot_h - t * scale
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{compact(t)}</text>')
    if unit:
        parts.append(f'<text x="12" y="{top + plot_h / 2:.1f}" transform="rotate(-90 12 {top + plot_h / 2:.1f})" '
                     f'text-anchor="middle" class="tick">{escape(unit)}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h:.1f}" x2="{left + plot_w:.1f}" y2="{top + plot_h:.1f}" '
                 'class="axis"/>')
    return parts
