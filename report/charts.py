"""The report's charts as data: horizontal grouped bar charts, drawn two ways from the same description.

``to_svg`` draws one as static, self-contained SVG for the printed report (HTML and PDF): no JavaScript, so
Chromium only lays it out, and the page prints as soon as it has loaded. ``to_plotly`` gives the same chart as a
plotly figure for the dashboard page. Red / amber / green style pairs are never told apart by colour alone: each
series has its own fill pattern, sits in a labelled legend, and every bar carries its value (or [c]).
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field

from core import palette

from .suppression import SUPPRESSED

WIDTH = 680          # px, fits the A4 text column (182 mm) at 96 dpi
FONT = "DejaVu Sans, Arial, sans-serif"
TEXT_COLOUR = palette.INK
GRID_COLOUR = palette.GRID


@dataclass
class Series:
    name: str
    values: list          # numbers, or "[c]" where the figure is hidden
    colour: str
    pattern: str = ""     # "" solid, "/" diagonal lines, "x" cross-hatch (plotly's pattern shapes)
    suffix: str = ""      # after each bar's label, e.g. "%"


@dataclass
class BarChart:
    title: str
    categories: list[str]
    series: list[Series]
    x_title: str
    height: int
    subtitle: str = ""
    x_max: float = 105.0
    ticks: tuple = (0, 20, 40, 60, 80, 100)
    notes: list[str] = field(default_factory=list)


def numbers(values) -> list[float]:
    # A hidden value is drawn as an empty bar labelled [c], so the reader sees it was not left out by mistake.
    return [0 if isinstance(v, str) else v for v in values]


def labels(values, suffix: str = "") -> list[str]:
    return [SUPPRESSED if isinstance(v, str) else f"{v:.0f}{suffix}" for v in values]


# ---------------------------------------------------------------- plotly (the dashboard page)

def to_plotly(chart: BarChart):
    import plotly.graph_objects as go

    fig = go.Figure()
    for s in chart.series:
        fig.add_bar(y=list(chart.categories), x=numbers(s.values), orientation="h", name=s.name,
                    marker=dict(color=s.colour, pattern=dict(shape=s.pattern)),
                    text=labels(s.values, s.suffix), textposition="outside", cliponaxis=False)
    fig.update_yaxes(autorange="reversed", automargin=True)
    title = chart.title + (f"<br><span style='font-size: 11px'>{html.escape(chart.subtitle)}</span>"
                           if chart.subtitle else "")
    fig.update_layout(title=dict(text=title, font=dict(size=14)), width=WIDTH, height=chart.height,
                      margin=dict(l=10, r=20, t=80 if chart.subtitle else 50, b=40), barmode="group",
                      template="plotly_white",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
                      font=dict(family=FONT, size=11))
    fig.update_xaxes(title_text=chart.x_title, range=[0, chart.x_max])
    return fig


# ---------------------------------------------------------------- SVG (the printed report)

def text_width(text: str, size: float) -> float:
    """Rough width of text in DejaVu Sans (a wide face): generous, so labels are never cut off."""
    narrow = sum(1 for ch in text if ch in "iljtfr.,:;'|!() ")
    wide = sum(1 for ch in text if ch in "mwMW%@")
    return size * (0.62 * (len(text) - narrow - wide) + 0.34 * narrow + 0.9 * wide)


def wrap(text: str, size: float, width: float, max_lines: int | None = None) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and text_width(candidate, size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    if max_lines and len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "\u2026", size) > width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last.rstrip() + "\u2026"]
    return lines or [""]


def _pattern_defs(chart: BarChart, prefix: str) -> str:
    defs = []
    for i, s in enumerate(chart.series):
        if s.pattern == "/":
            lines = f'<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="{palette.PATTERN}" stroke-width="1.4"/>'
        elif s.pattern == "x":
            lines = f'<path d="M0,0 l6,6 M6,0 l-6,6" stroke="{palette.PATTERN}" stroke-width="1.2"/>'
        else:
            continue
        defs.append(f'<pattern id="{prefix}-p{i}" patternUnits="userSpaceOnUse" width="6" height="6">'
                    f'<rect width="6" height="6" fill="{s.colour}"/>{lines}</pattern>')
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(s: Series, i: int, prefix: str) -> str:
    return f"url(#{prefix}-p{i})" if s.pattern in ("/", "x") else s.colour


def to_svg(chart: BarChart, chart_id: str = "chart") -> str:
    """The chart as inline SVG, WIDTH wide and as high as its rows need (chart.height is plotly's)."""
    e = html.escape
    size, title_size, small = 11, 14, 10
    out: list[str] = []
    y = 18
    out.append(f'<text x="0" y="{y}" font-size="{title_size}" font-weight="bold">{e(chart.title)}</text>')
    for line in (wrap(chart.subtitle, small, WIDTH) if chart.subtitle else []):
        y += 14
        out.append(f'<text x="0" y="{y}" font-size="{small}" fill="{palette.MUTED_TEXT}">{e(line)}</text>')
    # Legend: a patterned swatch and the series name, one row, right after the title.
    y += 20
    x = 0.0
    for i, s in enumerate(chart.series):
        out.append(f'<rect x="{x:.1f}" y="{y - 10}" width="18" height="12" fill="{_fill(s, i, chart_id)}" '
                   f'stroke="{s.colour}"/>')
        out.append(f'<text x="{x + 23:.1f}" y="{y}" font-size="{size}">{e(s.name)}</text>')
        x += 23 + text_width(s.name, size) + 18
    top = y + 12

    # Category labels: up to two lines each, right-aligned against the plot.
    max_label = 230.0
    wrapped = [wrap(c, size, max_label, max_lines=2) for c in chart.categories]
    label_w = max((text_width(line, size) for lines in wrapped for line in lines), default=0)
    left = min(max_label, label_w) + 10
    right_pad = 44  # room for the label after a full-length bar
    plot_w = WIDTH - left - right_pad
    n, k = len(chart.categories), max(1, len(chart.series))
    bottom_pad = 42
    # Rows as tight as two-line labels allow (not plotly's height): 25 teams and the heading fit one A4 page.
    band_min = max(2 * 13 + 4, k * 12 + 6)
    plot_h = max(180, n * band_min)
    height = int(top + plot_h + bottom_pad)
    band = plot_h / max(n, 1)
    bar_h = min(22.0, band * 0.8 / k)

    def px(value: float) -> float:
        return left + plot_w * max(0.0, min(float(value), chart.x_max)) / chart.x_max

    for t in chart.ticks:
        gx = px(t)
        out.append(f'<line x1="{gx:.1f}" y1="{top}" x2="{gx:.1f}" y2="{top + plot_h:.1f}" stroke="{GRID_COLOUR}"/>')
        out.append(f'<text x="{gx:.1f}" y="{top + plot_h + 14:.1f}" font-size="{small}" text-anchor="middle">{t}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 32:.1f}" font-size="{size}" '
               f'text-anchor="middle">{e(chart.x_title)}</text>')
    for j, lines in enumerate(wrapped):
        mid = top + band * (j + 0.5)
        first = mid - (len(lines) - 1) * 6.5 + 4
        tspans = "".join(f'<tspan x="{left - 8:.1f}" y="{first + 13 * i:.1f}">{e(line)}</tspan>'
                         for i, line in enumerate(lines))
        out.append(f'<text font-size="{size}" text-anchor="end">{tspans}</text>')
        group_top = mid - bar_h * k / 2
        for i, s in enumerate(chart.series):
            value = s.values[j]
            y0 = group_top + i * bar_h
            w = px(numbers([value])[0]) - left
            if w > 0:
                out.append(f'<rect x="{left:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{bar_h - 1:.1f}" '
                           f'fill="{_fill(s, i, chart_id)}" stroke="{s.colour}" stroke-width="0.8"/>')
            out.append(f'<text x="{left + w + 4:.1f}" y="{y0 + bar_h / 2 + 3.5:.1f}" font-size="{small}">'
                       f'{e(labels([value], s.suffix)[0])}</text>')
    out.append(f'<line x1="{left:.1f}" y1="{top}" x2="{left:.1f}" y2="{top + plot_h:.1f}" stroke="{palette.AXIS}"/>')
    return (f'<svg class="chart" id="{e(chart_id)}" role="img" aria-labelledby="{e(chart_id)}-title" '
            f'xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
            f'font-family="{FONT}" fill="{TEXT_COLOUR}">'
            f'<title id="{e(chart_id)}-title">{e(chart.title)}</title>'
            f'{_pattern_defs(chart, chart_id)}{"".join(out)}</svg>')
