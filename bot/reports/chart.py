"""The progress chart: mood and pain by day, their 7-day averages, baseline and sessions.

Drawn on a bare matplotlib ``Figure`` (never pyplot), which renders with the Agg backend and
needs no display. Colours are from the Okabe-Ito
palette, which stays distinct for colour-blind readers, and the two series also differ in
marker shape; fonts are large enough to read on a phone.
"""

from __future__ import annotations

import io
from datetime import date

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.domain.progress import Progress

MOOD_COLOUR = "#0072B2"  # blue
PAIN_COLOUR = "#D55E00"  # vermillion
SESSION_COLOUR = "#009E73"  # bluish green
FONT_SIZE = 14
PHONE_SIZE = (8, 5.5)  # inches; at 150 dpi, 1200 x 825 pixels
DPI = 150


def draw_trend(
    axes: Axes, progress: Progress, session_days: list[date], labels: dict[str, str]
) -> None:
    days = [d.day for d in progress.days]
    for series, rolling, colour, marker, name in (
        ("mood", "mood_rolling", MOOD_COLOUR, "o", labels["mood"]),
        ("pain", "pain_rolling", PAIN_COLOUR, "s", labels["pain"]),
    ):
        points = [
            (d.day, getattr(d, series)) for d in progress.days if getattr(d, series) is not None
        ]
        if points:
            axes.scatter(
                *zip(*points, strict=True),
                color=colour,
                marker=marker,
                s=22,
                alpha=0.55,
                label=name,
            )
        line = [getattr(d, rolling) for d in progress.days]
        averages = [value if value is not None else float("nan") for value in line]
        label = f"{name}, {labels['rolling']}"
        axes.plot(days, averages, color=colour, linewidth=2.5, label=label)
    if progress.baseline_pain is not None:
        axes.axhline(progress.baseline_pain, color=PAIN_COLOUR, linestyle="--", linewidth=1.5,
                     label=labels["baseline"])  # fmt: skip
    shown = [d for d in session_days if progress.first <= d <= progress.last]
    for number, day in enumerate(shown):
        axes.axvline(day, color=SESSION_COLOUR, linestyle=":", linewidth=2,
                     label=labels["session"] if number == 0 else None)  # fmt: skip
    axes.set_ylim(-0.5, 10.5)
    axes.set_yticks(range(0, 11, 2))
    axes.set_ylabel(labels["scale"], fontsize=FONT_SIZE)
    axes.set_xlim(progress.first, progress.last)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7, interval_multiples=True)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.tick_params(labelsize=FONT_SIZE - 2)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=FONT_SIZE - 4, loc="upper left", ncol=2, framealpha=0.9)


def progress_png(progress: Progress, session_days: list[date], labels: dict[str, str]) -> bytes:
    figure = Figure(figsize=PHONE_SIZE, dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    draw_trend(axes, progress, session_days, labels)
    axes.set_title(labels["title"], fontsize=FONT_SIZE + 2)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
