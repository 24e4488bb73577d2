"""How long the progress chart and the PDF report take for three years of daily check-ins.
Prints figures; asserts nothing (benchmarks are not tests).

    .venv/bin/python bench/chart_bench.py
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime, timedelta

from bot.domain.progress import Span, progress
from bot.reports.chart import progress_png
from bot.reports.pdf import report_pdf
from bot.storage import CheckIn

DAYS = 3 * 365
LABELS = {
    "mood": "Mood", "pain": "Pain", "rolling": "7-day average", "baseline": "Baseline pain",
    "session": "Session", "scale": "0-10", "title": "Three years", "subtitle": "Benchmark",
}  # fmt: skip


def main() -> None:
    rng = random.Random(1)
    today = date(2026, 11, 25)
    now = datetime.now(UTC)
    checkins = [
        CheckIn(
            patient_id=1,
            local_date=today - timedelta(days=n),
            mood=rng.randint(2, 9),
            pain=rng.randint(0, 9),
            recorded_at=now,
            updated_at=now,
        )
        for n in range(DAYS, -1, -1)
        if rng.random() < 0.9
    ]
    sessions = [today - timedelta(days=n) for n in range(0, DAYS, 14)]

    def figures() -> object:
        return progress(checkins, sessions, today, Span.EVERYTHING)

    def chart() -> bytes:
        return progress_png(progress(checkins, sessions, today, Span.EVERYTHING), sessions, LABELS)

    def report() -> bytes:
        figures_now = progress(checkins, sessions, today, Span.EVERYTHING)
        return report_pdf(figures_now, sessions, LABELS, ["a line of the summary"] * 30)

    for name, make in (("figures", figures), ("PNG chart", chart), ("PDF report", report)):
        timings = []
        for _ in range(5):
            started = time.perf_counter()
            result = make()
            timings.append(time.perf_counter() - started)
        size = f", {len(result) // 1024} KB" if isinstance(result, bytes) else ""
        best, worst = min(timings) * 1000, max(timings) * 1000
        print(
            f"{name}, {len(checkins)} check-ins over {DAYS} days: "
            f"best {best:.0f} ms, worst {worst:.0f} ms{size}"
        )


if __name__ == "__main__":
    main()
