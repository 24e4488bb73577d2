"""A one-page PDF report: the chart and the figures, for the patient's doctor or clinician."""

from __future__ import annotations

import io
from datetime import date

from matplotlib.figure import Figure

from bot.domain.progress import Progress
from bot.reports.chart import FONT_SIZE, draw_trend

A4 = (8.27, 11.69)  # inches


def report_pdf(
    progress: Progress,
    session_days: list[date],
    labels: dict[str, str],
    lines: list[str],
) -> bytes:
    """``lines``: the text under the chart, already worded (one line each, at most ~40)."""
    figure = Figure(figsize=A4)
    figure.text(0.07, 0.96, labels["title"], fontsize=FONT_SIZE + 4, weight="bold")
    figure.text(0.07, 0.935, labels["subtitle"], fontsize=FONT_SIZE - 3)
    axes = figure.add_axes((0.1, 0.6, 0.85, 0.3))
    draw_trend(axes, progress, session_days, labels)
    top = 0.55
    for number, line in enumerate(lines[:40]):
        figure.text(0.07, top - number * 0.0125, line, fontsize=FONT_SIZE - 5, family="monospace")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="pdf")
    return buffer.getvalue()
