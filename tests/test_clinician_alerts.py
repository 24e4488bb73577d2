"""Alerts reach a patient's clinicians once per episode, escalate, and feed the digest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.clinic_journeys import enrol, invite_code
from tests.journeys import check_in, texts


@pytest.fixture
async def patient(clinic, ana):
    patient = await enrol(ana, await invite_code(clinic.doctor))
    clinic.services.clinics.add_clinician(6_100_000_002, "North", "Dr Second")
    await clinic.bot.person(6_100_000_002, "Second").says("/start")
    return patient


def alerts_of(clinic, patient) -> list:
    return clinic.services.store.alerts.for_patient(patient.id)


def alert_messages(person) -> list:
    return [m for m in person.messages() if "Acknowledge" in [b.text for b in m.flat_buttons]]


async def test_crisis_language_alerts_every_clinician_of_the_clinic_at_once(
    clinic, patient, ana
) -> None:
    await ana.says("i want to die")
    await ana.says("i still want to die")  # the same episode: one alert
    await clinic.bot.tick()
    alerts = alerts_of(clinic, patient)
    assert [(a.tier, a.kind) for a in alerts] == [("urgent", "crisis")]
    for_doctor = alert_messages(clinic.doctor)
    assert len(for_doctor) == 1
    assert patient.code in for_doctor[0].text
    assert "want to die" not in for_doctor[0].text  # never the patient's words
    assert len(alert_messages(clinic.bot.person(6_100_000_002, "Second"))) == 1
    assert alert_messages(clinic.stranger_doctor) == []
    await clinic.bot.tick()
    assert len(alert_messages(clinic.doctor)) == 1  # sent once


async def test_an_acknowledged_alert_is_recorded_and_a_new_concern_raises_a_new_one(
    clinic, patient, ana
) -> None:
    await ana.says("i want to die")
    await clinic.bot.tick()
    await clinic.doctor.presses("Acknowledge")
    alert = alerts_of(clinic, patient)[0]
    assert alert.acknowledged_at is not None
    assert "acknowledge alert" in [e.action for e in clinic.services.store.clinics.audit_log()]
    await ana.says("i want to die")
    assert len(alerts_of(clinic, patient)) == 2


async def test_an_unacknowledged_urgent_alert_is_sent_again_after_30_minutes(
    clinic, patient, ana
) -> None:
    await ana.says("my chest is crushing and i cant breathe")
    await clinic.bot.tick()
    assert alerts_of(clinic, patient)[0].kind == "emergency"
    await clinic.bot.run_for(timedelta(minutes=29))
    assert len(alert_messages(clinic.doctor)) == 1
    await clinic.bot.run_for(timedelta(minutes=2))
    messages = alert_messages(clinic.doctor)
    assert len(messages) == 2
    assert "Not yet acknowledged" in messages[-1].text
    await clinic.bot.run_for(timedelta(hours=2))
    assert len(alert_messages(clinic.doctor)) == 2  # escalated once


async def test_pain_above_baseline_three_times_in_a_row_alerts_once(clinic, patient, ana) -> None:
    for pain in (3, 3, 3, 6, 6):  # baseline 3; two high days are not yet a run of three
        await check_in(ana, mood=6, pain=pain)
        clinic.bot.clock.advance(timedelta(days=1))
    assert alerts_of(clinic, patient) == []
    for pain in (5, 7, 8):
        await check_in(ana, mood=6, pain=pain)
        clinic.bot.clock.advance(timedelta(days=1))
    assert [a.kind for a in alerts_of(clinic, patient)] == ["pain_rise"]
    await check_in(ana, mood=6, pain=1)  # the episode ends
    clinic.bot.clock.advance(timedelta(days=1))
    for _ in range(3):
        await check_in(ana, mood=6, pain=8)
        clinic.bot.clock.advance(timedelta(days=1))
    assert [a.kind for a in alerts_of(clinic, patient)] == ["pain_rise", "pain_rise"]


async def test_low_mood_three_times_in_a_row_alerts_once(clinic, patient, ana) -> None:
    for mood in (3, 2, 3, 3):
        await check_in(ana, mood=mood, pain=2)
        clinic.bot.clock.advance(timedelta(days=1))
    assert [(a.tier, a.kind) for a in alerts_of(clinic, patient)] == [("same_day", "low_mood")]
    await clinic.bot.tick()
    assert len(alert_messages(clinic.doctor)) == 1


async def test_lasting_dissociation_or_bladder_symptoms_in_a_note_alert(
    clinic, patient, ana
) -> None:
    await check_in(ana, mood=6, pain=3, note="still feeling detached and unreal since sunday")
    await check_in(ana, mood=6, pain=3, note="it burns when i pee and i need to go all the time")
    assert sorted(a.kind for a in alerts_of(clinic, patient)) == ["bladder", "dissociation"]


async def test_three_silent_days_a_block_and_the_daily_digest(clinic, patient, ana) -> None:
    reply = texts(await clinic.doctor.says("/digest 10:00 Europe/London"))  # 09:00 UTC in June
    assert "10:00 (Europe/London)" in reply
    await clinic.bot.run_for(timedelta(days=3, hours=2))
    assert "no_checkins" in [a.kind for a in alerts_of(clinic, patient)]
    digests = [m for m in clinic.doctor.messages() if "Daily summary" in (m.text or "")]
    assert len(digests) == 4  # one a day at 09:00 local: 1, 2, 3 and 4 June
    assert patient.code in digests[-1].text
    assert "no_checkins" in digests[-1].text
    clinic.bot.emulator.block_bot(ana.user_id)
    await clinic.bot.run_for(timedelta(days=1))
    assert "blocked" in [a.kind for a in alerts_of(clinic, patient)]
    await clinic.doctor.says("/digest off")
    before = len(clinic.doctor.messages())
    await clinic.bot.run_for(timedelta(days=1))
    assert (
        len([m for m in clinic.doctor.messages()[before:] if "Daily summary" in (m.text or "")])
        == 0
    )


async def test_alerts_lists_the_open_ones(clinic, patient, ana) -> None:
    assert "No open alerts" in texts(await clinic.doctor.says("/alerts"))
    await ana.says("i want to die")
    listing = await clinic.doctor.says("/alerts")
    assert patient.code in texts(listing)
    assert "Urgent" in texts(listing)
    assert "No open alerts" in texts(await clinic.stranger_doctor.says("/alerts"))


async def test_an_undeliverable_message_and_silence_alert_once_each(clinic, patient, ana) -> None:
    from bot.emulator import FaultKind

    clinic.bot.emulator.inject_fault("sendMessage", FaultKind.SERVER_ERROR, times=None)
    await clinic.bot.run_for(timedelta(hours=14))  # the 20:00 check-in fails four times
    clinic.bot.emulator.clear_faults()
    kinds = [a.kind for a in alerts_of(clinic, patient)]
    assert kinds.count("undeliverable") == 1
    await clinic.bot.run_for(timedelta(days=5))
    kinds = [a.kind for a in alerts_of(clinic, patient)]
    assert kinds.count("no_checkins") == 1  # one silent spell, one alert
    assert kinds.count("undeliverable") == 1
