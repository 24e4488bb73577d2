"""Clinics that count headache days add two questions; counts reach summaries and the digest."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.progress import Span
from tests.journeys import texts


async def headache_checkin(person, pain: int, headache: bool, medicine: bool = False) -> str:
    replies = await person.says("/checkin")
    if any(b.text == "Replace today's entry" for m in replies for b in m.flat_buttons):
        await person.presses("Replace today's entry")
    await person.presses("6")
    asked = texts(await person.presses(str(pain)))
    assert "Did you have a headache today?" in asked
    if headache:
        assert "Did you take a medicine for it?" in texts(await person.presses("Yes"))
        await person.presses("Yes" if medicine else "No")
    else:
        await person.presses("No")
    return texts(await person.presses("Skip"))


async def test_the_two_questions_are_asked_only_where_the_clinic_counts_headache_days(
    local_bot, clinic, patient, ana
) -> None:
    replies = await ana.says("/checkin")
    await ana.presses("6")
    assert "Did you have a headache" not in texts(await ana.presses("3"))  # not asked yet
    await ana.presses("Skip")
    clinic.services.clinics.configure_clinic("North", ask_headache="yes")
    local_bot.clock.advance(timedelta(days=1))
    assert "Saved" in await headache_checkin(ana, 5, headache=True, medicine=True)
    stored = clinic.services.store.checkins_between(
        patient.id, patient.consented_at.date(), local_bot.clock.now().date()
    )
    assert [(c.headache, c.medicine) for c in stored] == [(None, None), (True, True)]
    assert replies


async def test_ten_medicine_days_in_thirty_reach_the_digest_once(
    local_bot, clinic, patient, ana
) -> None:
    clinic.services.clinics.configure_clinic("North", ask_headache="yes")
    for day in range(12):
        await headache_checkin(ana, 6, headache=True, medicine=day % 6 != 5)
        local_bot.clock.advance(timedelta(days=1))
    alerts = [
        a for a in clinic.services.store.alerts.for_patient(patient.id) if a.kind == "medicine_days"
    ]
    assert len(alerts) == 1
    assert alerts[0].tier == "digest"
    figures, _ = clinic.services.patient_data.figures(patient, Span.MONTH)
    june = figures.months[-1]
    assert (june.headache_days, june.medicine_days) == (12, 10)
    await local_bot.run_for(timedelta(days=1))
    await local_bot.run_for(timedelta(days=1))  # the second digest: only what is new since
    digests = [m for m in clinic.doctor.messages() if "Daily summary" in (m.text or "")]
    assert "medicine_days" in digests[0].text  # the first summary after it
    assert "medicine_days" not in digests[-1].text  # and not again
