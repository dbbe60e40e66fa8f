"""A server-rendered SVG bar chart of the last days' stamps and points: no script, no library."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 600, 220, 48, 28, 12


def _bar_frame(title: str, top: int, plot_h: float) -> list[str]:
    """The opening of a bar chart: the box, its title and the grid at 0, half and ``top``."""
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
             f'<title>{escape(title)}</title>']
    for fraction in (0, 0.5, 1):
        y = PAD_TOP + plot_h * (1 - fraction)
        parts.append(f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - 4}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="axis" x="{PAD_LEFT - 6}" y="{y + 6:.1f}" text-anchor="end">'
                     f'{round(top * fraction)}</text>')
    return parts


def daily_chart(series: list[dict[str, Any]], key: str, title: str, t: Callable[..., str]) -> str:
    """``key`` (stamps or points) per day as bars on its own scale; scales with its box (viewBox),
    colours from CSS (so it follows light and dark)."""
    top = max([1] + [d[key] for d in series])
    plot_w, plot_h = WIDTH - PAD_LEFT - 4, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = plot_w / max(1, len(series))
    bar = max(1.0, slot * 0.7)
    parts = _bar_frame(title, top, plot_h)
    for index, day in enumerate(series):
        x = PAD_LEFT + index * slot + slot * 0.15
        h = plot_h * day[key] / top
        parts.append(f'<rect class="{key}" x="{x:.1f}" y="{PAD_TOP + plot_h - h:.1f}" '
                     f'width="{bar:.1f}" height="{h:.1f}"><title>{day["day"]}: '
                     f'{day[key]} {escape(t(key))}</title></rect>')
        # A date under every 7th bar, counted back from today so today is always labelled.
        if (len(series) - 1 - index) % 7 == 0:
            last = index == len(series) - 1   # right-aligned so it stays inside the box
            parts.append(f'<text class="axis" x="{x + (bar if last else bar / 2):.1f}" y="{HEIGHT - 6}" '
                         f'text-anchor="{"end" if last else "middle"}">{day["day"][5:]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def grouped_chart(series: list[dict[str, Any]], keys: tuple[str, ...], title: str, t: Callable[..., str],
                  label: Callable[[str], str] = lambda day: day[5:]) -> str:
    """Several figures per day side by side on one scale (e.g. points earned against spent);
    the CSS class of each bar is its key, so each figure keeps its colour in light and dark."""
    top = max([1] + [d[k] for d in series for k in keys])
    plot_w, plot_h = WIDTH - PAD_LEFT - 4, HEIGHT - PAD_BOTTOM - PAD_TOP
    slot = plot_w / max(1, len(series))
    bar = max(0.5, slot * 0.8 / len(keys))
    parts = _bar_frame(title, top, plot_h)
    every = max(1, round(len(series) / 5))
    for index, day in enumerate(series):
        x0 = PAD_LEFT + index * slot + slot * 0.1
        for n, key in enumerate(keys):
            h = plot_h * day[key] / top
            parts.append(f'<rect class="{key}" x="{x0 + n * bar:.1f}" y="{PAD_TOP + plot_h - h:.1f}" '
                         f'width="{bar:.1f}" height="{h:.1f}"><title>{escape(day["day"])}: '
                         f'{day[key]} {escape(t("report_" + key))}</title></rect>')
        if (len(series) - 1 - index) % every == 0:
            last = index == len(series) - 1
            x = x0 + (bar * len(keys) if last else bar * len(keys) / 2)
            parts.append(f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 6}" '
                         f'text-anchor="{"end" if last else "middle"}">{escape(label(day["day"]))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def comparison_chart(rows: list[tuple[str, int, int]], title: str, this: str, before: str) -> str:
    """Each (label, this period, previous period) as two horizontal bars on the row's own scale, so a
    figure of thousands and one of tens both show how they moved."""
    width, row_h, label_w = 420, 34, 150   # narrower than the bar charts: its words stay legible on a phone
    height = PAD_TOP + row_h * len(rows) + 8
    parts = [f'<svg class="chart compare" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" preserveAspectRatio="xMidYMid meet">',
             f'<title>{escape(title)}</title>']
    for index, (label, now, then) in enumerate(rows):
        y = PAD_TOP + index * row_h
        top = max(1, now, then)
        parts.append(f'<text class="axis" x="{label_w - 8}" y="{y + 20}" text-anchor="end">{escape(label)}</text>')
        for n, (value, css, name) in enumerate(((now, "this", this), (then, "before", before))):
            w = (width - label_w - 60) * value / top
            parts.append(f'<rect class="{css}" x="{label_w}" y="{y + 3 + n * 14}" width="{w:.1f}" height="12">'
                         f'<title>{escape(label)}, {escape(name)}: {value}</title></rect>'
                         f'<text class="axis value" x="{label_w + w + 4:.1f}" y="{y + 14 + n * 14}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
