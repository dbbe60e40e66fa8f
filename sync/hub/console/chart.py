"""A server-rendered SVG bar chart of the last days' stamps and points: no script, no library."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 600, 200, 40, 22, 10


def daily_chart(series: list[dict[str, Any]], t: Callable[..., str]) -> str:
    """Stamps and points per day as paired bars; scales with its box (viewBox), colours from CSS."""
    top = max([1] + [max(d["stamps"], d["points"]) for d in series])
    plot_w, plot_h = WIDTH - PAD_LEFT - 4, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = plot_w / max(1, len(series))
    bar = max(1.0, slot * 0.38)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(t("chart_title"))}" preserveAspectRatio="xMidYMid meet">',
             f'<title>{escape(t("chart_title"))}</title>']
    for fraction in (0, 0.5, 1):
        y = PAD_TOP + plot_h * (1 - fraction)
        parts.append(f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - 4}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="axis" x="{PAD_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{round(top * fraction)}</text>')
    for index, day in enumerate(series):
        x = PAD_LEFT + index * slot + slot * 0.1
        for offset, key, css in ((0, "stamps", "stamps"), (bar, "points", "points")):
            h = plot_h * day[key] / top
            parts.append(f'<rect class="{css}" x="{x + offset:.1f}" y="{PAD_TOP + plot_h - h:.1f}" '
                         f'width="{bar:.1f}" height="{h:.1f}"><title>{day["day"]}: '
                         f'{day[key]} {escape(t(key))}</title></rect>')
        if index % 7 == 0 or index == len(series) - 1:
            parts.append(f'<text class="axis" x="{x + bar:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
                         f'{day["day"][5:]}</text>')
    parts.append("</svg>")
    return "".join(parts)
