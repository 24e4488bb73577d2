"""Clinicians upload protocols, preview them, log sessions for patients and discharge them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.journeys import texts

SHORT = """\
name: Clinic short
description: Our own.
steps:
  - id: rest_and_safety
    offset: 30m
    template: integration/rest_and_safety.html
    expires: 6h
"""


async def upload(clinic, filename: str, text: str) -> str:
    bot = clinic.bot
    update_id = bot.emulator.send_document(clinic.doctor.user_id, filename, text.encode())
    await bot.settle(update_id)
    return clinic.doctor.messages()[-1].text


async def test_an_uploaded_protocol_becomes_a_new_version_for_that_clinic_only(clinic) -> None:
    assert "Saved clinic-short as version 1" in await upload(clinic, "clinic-short.yaml", SHORT)
    assert "as version 2" in await upload(clinic, "clinic-short.yaml", SHORT.replace("30m", "45m"))
    listing = texts(await clinic.doctor.says("/protocols"))
    assert "clinic-short" in listing
    assert "your version 2" in listing
    assert "clinic-short" not in texts(await clinic.stranger_doctor.says("/protocols"))
    actions = [
        e.detail for e in clinic.services.store.clinics.audit_log() if e.action == "upload protocol"
    ]
    assert actions == ["clinic-short v1", "clinic-short v2"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SHORT.replace("30m", "soon"), "line 5:"),
        (SHORT + "    colour: blue\n", "line 8: unknown key 'colour'"),
        (SHORT.replace("rest_and_safety.html", "nope.html"), "no such template"),
        ("name: [unclosed\n", "line 1"),
    ],
)
async def test_an_invalid_upload_comes_back_with_line_numbers_and_changes_nothing(
    clinic, text: str, expected: str
) -> None:
    reply = await upload(clinic, "clinic-short.yaml", text)
    assert "was not saved. Nothing has changed" in reply
    assert expected in reply
    assert clinic.services.store.clinics.protocol_versions(1) == []


async def test_a_session_keeps_the_version_it_started_with(clinic, patient, ana) -> None:
    await upload(clinic, "clinic-short.yaml", SHORT)
    await clinic.doctor.says(f"/assign {patient.code} clinic-short")
    reply = texts(await clinic.doctor.says(f"/session {patient.code}"))
    assert "Logged session 1" in reply
    assert "1 message planned" in reply
    await upload(clinic, "clinic-short.yaml", SHORT.replace("30m", "2h"))
    session = clinic.services.store.sessions(patient.id)[0]
    assert (session.protocol, session.protocol_version) == ("clinic-short", 1)
    await clinic.bot.run_for(timedelta(hours=1))
    rest = [r for r in clinic.services.store.outbox.for_patient(patient.id) if r.kind == "prompt"]
    assert [(r.step_id, r.status) for r in rest] == [("rest_and_safety", "sent")]
    assert rest[0].sent_at == datetime(2026, 6, 1, 8, 30, tzinfo=UTC)  # 30m, version 1


async def test_preview_sends_the_whole_timeline_as_a_patient_would_get_it(clinic) -> None:
    replies = await clinic.doctor.says("/preview at-home-oral")
    assert "7 messages for a sample patient" in replies[0].text
    assert len(replies) == 8
    assert "Sam" in texts(replies)
    assert "intention" in texts(replies)
    assert "no protocol called" in texts(await clinic.doctor.says("/preview nope"))


async def test_a_clinician_logs_a_past_or_booked_session_for_a_patient(clinic, patient) -> None:
    reply = texts(await clinic.doctor.says(f"/session {patient.code} 2026-06-03 10:00"))
    assert "Booked session 1" in reply
    reply = texts(await clinic.doctor.says(f"/session {patient.code} today 7:00"))
    assert "Logged session" in reply
    assert "ended" in reply
    bad = texts(await clinic.doctor.says(f"/session {patient.code} someday"))
    assert "Please write /session CODE" in bad


async def test_discharge_cancels_what_waits_and_tells_the_patient_kindly(
    clinic, patient, ana
) -> None:
    await clinic.doctor.says(f"/session {patient.code}")
    reply = texts(await clinic.doctor.says(f"/discharge {patient.code}"))
    assert "is discharged" in reply
    assert "finished your programme" in ana.messages()[-1].text
    waiting = [
        r for r in clinic.services.store.outbox.for_patient(patient.id) if r.status == "planned"
    ]
    assert waiting == []
    await clinic.bot.run_for(timedelta(days=3))
    assert [
        r for r in clinic.services.store.outbox.for_patient(patient.id) if r.status == "sent"
    ] == []
    assert "(discharged)" in texts(await clinic.doctor.says("/patients"))
