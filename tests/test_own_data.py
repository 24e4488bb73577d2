"""Patients see their progress, take their data, delete it; clinicians get reports."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from bot.localbot import LocalBot
from tests.journeys import check_in, join, texts
from tests.scheduling_journeys import finish_session_now


def document(bot: LocalBot, user_id: int, name_part: str) -> bytes:
    for message in reversed(bot.emulator.bot_messages(user_id)):
        if message.file_name and name_part in message.file_name:
            assert message.file_bytes is not None
            return message.file_bytes
    raise AssertionError(f"no document named like {name_part!r}")


async def three_days(bot: LocalBot, person, note: str = "slept badly") -> None:
    for mood, pain in ((6, 5), (5, 6), (7, 4)):
        await check_in(person, mood=mood, pain=pain, note=note)
        bot.clock.advance(timedelta(days=1))


async def test_progress_explains_itself_before_three_checkins_then_sends_a_chart(
    local_bot, ana
) -> None:
    await join(ana)
    assert "Your chart appears after 3 check-ins" in texts(await ana.says("/progress"))
    await three_days(local_bot, ana)
    replies = await ana.says("/progress")
    chart = replies[-1]
    assert chart.file_bytes is not None
    assert chart.file_bytes.startswith(b"\x89PNG")
    assert "This week your pain averaged <b>5.0</b>" in chart.html
    assert "Check-in streak: <b>3 days</b>" in chart.html
    assert [b.text for b in chart.flat_buttons] == ["Last 90 days", "Everything"]
    wider = await ana.presses("Everything")
    assert wider[-1].file_bytes.startswith(b"\x89PNG")


async def test_export_sends_a_csv_and_a_json_of_everything(local_bot, ana) -> None:
    await join(ana)
    await three_days(local_bot, ana, note='a, note with "quotes"')
    await finish_session_now(ana)
    await ana.says("/export")
    rows = list(csv.DictReader(io.StringIO(document(local_bot, ana.user_id, "checkins-").decode())))
    assert [(r["mood"], r["pain"]) for r in rows] == [("6", "5"), ("5", "6"), ("7", "4")]
    assert rows[0]["note"] == 'a, note with "quotes"'
    everything = json.loads(document(local_bot, ana.user_id, "my-data-"))
    assert everything["profile"]["first_name"] == "Ana"
    assert len(everything["checkins"]) == 3
    assert len(everything["sessions"]) == 1
    assert {"journal", "safety_plan", "messages_received", "consent_records"} <= set(everything)


async def test_delete_takes_two_steps_and_removes_every_row(local_bot, ana) -> None:
    await join(ana)
    await three_days(local_bot, ana)
    await finish_session_now(ana)
    await ana.says("i want to die")  # a safety event, whose link is cleared, not the event
    await local_bot.run_for(timedelta(hours=2))
    store = local_bot.store()
    patient = store.patient_by_telegram_id(ana.user_id)
    before = store.rows_of(patient)
    assert before["checkins"] == 3
    assert before["outbox"] > 0
    assert before["safety_events"] == 1
    await ana.says("/delete")
    assert "nothing has been deleted" in texts(await ana.presses("Cancel"))
    assert store.rows_of(patient) == before
    await ana.says("/delete")
    confirm = texts(await ana.presses("Yes, delete my data"))
    assert "cannot be undone" in confirm
    assert "deleted all your data" in texts(await ana.presses("Delete everything for good"))
    assert set(store.rows_of(patient).values()) == {0}
    assert len(store.safety_events_unlinked()) == 1
    await local_bot.run_for(timedelta(days=2))  # nothing more is sent
    assert "Before we start" in texts(await ana.says("/start"))  # a new user now


async def test_a_patient_report_is_a_pdf_for_the_chosen_range(local_bot, ana) -> None:
    await join(ana)
    await three_days(local_bot, ana)
    await ana.says("/report")
    await ana.presses("Last 90 days")
    pdf = document(local_bot, ana.user_id, "report-")
    assert pdf.startswith(b"%PDF")
    assert b"/Count 1" in pdf


async def test_figures_follow_the_patients_own_days_across_a_clock_change(local_bot, ana) -> None:
    from datetime import date, time

    from tests.scheduling_journeys import join_in, set_local_time

    set_local_time(local_bot, date(2026, 10, 30), time(22, 0), "America/New_York")
    await join_in(ana, "America/New_York", "21:00")
    days = (date(2026, 10, 30), date(2026, 10, 31), date(2026, 11, 1))  # US clocks go back on 1 Nov
    for pain, day in enumerate(days, 3):  # 23:30 local is already the next day in UTC
        set_local_time(local_bot, day, time(23, 30), "America/New_York")
        await check_in(ana, mood=5, pain=pain)
    patient = local_bot.store().patient_by_telegram_id(ana.user_id)
    from bot.app import services_of
    from bot.domain.progress import Span

    figures, _ = services_of(local_bot.application).patient_data.figures(patient, Span.MONTH)
    checked = [d.day for d in figures.days if d.pain is not None]
    assert checked == list(days)
    assert figures.streak == 3
    assert figures.baseline_pain == 4.0


async def test_a_clinician_report_sends_chart_checkins_and_a_summary_pdf(
    local_bot, clinic, patient, ana
):
    await three_days(local_bot, ana)
    replies = await clinic.doctor.says(f"/report {patient.code}")
    names = [m.file_name for m in replies if m.file_name]
    assert names[0].endswith(".png")
    assert f"{patient.code}-checkins.csv" in names
    assert f"{patient.code}-summary.pdf" in names
    assert "report" in [e.action for e in clinic.services.store.clinics.audit_log()]
