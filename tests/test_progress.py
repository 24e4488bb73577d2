"""The progress figures and chart: numbers that match the data, in the patient's own days."""

from __future__ import annotations

import struct
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.progress import Span, progress
from bot.reports.chart import progress_png
from bot.reports.pdf import report_pdf
from bot.storage import CheckIn

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LABELS = {
    "mood": "Mood", "pain": "Pain", "rolling": "7-day average", "baseline": "Usual pain",
    "session": "Session", "scale": "0 to 10", "title": "Test", "subtitle": "sub",
}  # fmt: skip


def entries(start: date, pains: list[int | None], mood: int = 5) -> list[CheckIn]:
    return [
        CheckIn(
            patient_id=1,
            local_date=start + timedelta(days=n),
            mood=mood,
            pain=pain,
            recorded_at=NOW,
            updated_at=NOW,
        )
        for n, pain in enumerate(pains)
        if pain is not None
    ]


def test_the_summary_numbers_match_the_data() -> None:
    today = date(2026, 6, 14)
    data = entries(date(2026, 6, 1), [6, 6, 6, None, 5, 5, 5, 4, 4, 3, 3, 3, 3, 2])
    figures = progress(data, [date(2026, 6, 4)], today, Span.MONTH)
    assert figures.baseline_pain == 6.0
    assert figures.week_pain == 3.1  # 4, 4, 3, 3, 3, 3, 2 over 8-14 June
    assert figures.change_points == -2.9
    assert figures.change_percent == -48
    assert figures.streak == 10
    assert figures.days_since_session == 10
    assert figures.checkins == 13
    assert figures.first == date(2026, 5, 16)
    june = next(m for m in figures.months if m.month == "2026-06")
    assert (june.days, june.checked_in, june.missing, june.high_pain, june.pain_free) == (
        14,
        13,
        1,
        0,
        0,
    )
    rolling = {d.day: d.pain_rolling for d in figures.days}
    assert rolling[date(2026, 6, 7)] == 5.5  # 6, 6, 6, 5, 5, 5 (the 4th missing)


def test_a_streak_survives_a_day_not_yet_checked_in_and_counts_pain_free_and_high_days() -> None:
    data = entries(date(2026, 6, 1), [0, 8, 0, 9, 7])
    figures = progress(data, [], date(2026, 6, 6), Span.EVERYTHING)
    assert figures.streak == 5  # today (the 6th) is not over yet
    assert (figures.months[0].pain_free, figures.months[0].high_pain) == (2, 3)
    assert figures.first == date(2026, 6, 1)
    assert figures.days_since_session is None


def test_fewer_than_three_checkins_make_no_chart() -> None:
    figures = progress(entries(date(2026, 6, 1), [3, 4]), [], date(2026, 6, 2), Span.MONTH)
    assert not figures.enough_for_a_chart
    assert figures.baseline_pain is None


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("span", list(Span))
def test_the_chart_is_a_phone_sized_png(span: Span) -> None:
    data = entries(date(2025, 6, 1), [n % 10 for n in range(366)])
    figures = progress(data, [date(2026, 5, 1), date(2026, 5, 20)], date(2026, 6, 1), span)
    png = progress_png(figures, [date(2026, 5, 1), date(2026, 5, 20)], LABELS)
    width, height = png_size(png)
    assert (width, height) == (1200, 825)
    assert 20_000 < len(png) < 1_500_000


def test_the_report_is_a_one_page_pdf() -> None:
    figures = progress(entries(date(2026, 5, 1), [4] * 31), [], date(2026, 5, 31), Span.MONTH)
    pdf = report_pdf(figures, [], LABELS, ["line one", "line two"])
    assert pdf.startswith(b"%PDF")
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 1
    )
    assert b"/Count 1" in pdf
