"""The attention chart as inline SVG drawn on the server: no script, no library, works offline. Every
label passes through html.escape (they are user queries and crawled ministry or source names)."""

from __future__ import annotations

from datetime import date
from html import escape

from markupsafe import Markup

from newsarchive.web.timeline_view import Timeline

WIDTH, HEIGHT = 960, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 44, 16, 40
COLOURS = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7e8c", "#57606a", "#953800")


def colour(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


def _label(day: date, interval: str) -> str:
    return day.strftime("%Y-%m") if interval == "month" else day.isoformat()


def _ticks(top: int) -> list[int]:
    """Up to five round values from 0 to at least `top`."""
    step = 1
    while top / step > 5:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if top / step <= 5:
                break
    return list(range(0, top + step, step)) if top else [0, 1]


def svg(timeline: Timeline) -> Markup:
    buckets, series = timeline.buckets, timeline.series
    if not buckets or not series:
        return Markup("")
    ticks = _ticks(max(max(s.counts) for s in series))
    ceiling = ticks[-1] or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (len(buckets) - 1) if len(buckets) > 1 else plot_w / 2)

    def y(value: int) -> float:
        return TOP + plot_h - plot_h * value / ceiling

    title = escape(" vs ".join(timeline.params.queries))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'class="chart" aria-label="{title}: articles per {timeline.interval}">']
    for value in ticks:
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                   'stroke="#d0d7de" stroke-width="1"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="12" '
                   f'fill="#57606a">{value}</text>')
    every = max(1, len(buckets) // 8)
    for i in range(0, len(buckets), every):
        out.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" '
                   f'fill="#57606a">{escape(_label(buckets[i], timeline.interval))}</text>')
    for n, line in enumerate(series):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(line.counts))
        out.append(f'<g class="series" data-label="{escape(line.label)}">')
        out.append(f'<polyline fill="none" stroke="{colour(n)}" stroke-width="2" points="{points}"/>')
        for i, value in enumerate(line.counts):
            if value:
                out.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{colour(n)}"><title>'
                           f'{escape(line.label)} · {escape(_label(buckets[i], timeline.interval))}: {value}'
                           '</title></circle>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))
