"""Clinicians: roles and refusals, enrolment by invite, seeing and configuring patients."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.__main__ import main
from bot.localbot import LocalBot
from tests.clinic_journeys import DR_NORTH, enrol, invite_code
from tests.journeys import check_in, join, texts

REFUSED = "That command is for clinic staff"
NOT_HERE = "There is no patient with the code"


# The permission matrix --------------------------------------------------------------------

CODE_COMMANDS = [
    "/patient {code}",
    "/assign {code} short-check",
    "/checkintime {code} 19:30",
    "/session {code}",
    "/discharge {code}",
    "/report {code}",
    "/ask {code} phq9",
]
OTHER_COMMANDS = ["/patients", "/alerts", "/invite", "/protocols", "/preview", "/digest 08:00"]


@pytest.mark.parametrize("command", CODE_COMMANDS + OTHER_COMMANDS)
async def test_only_the_patients_own_clinicians_may_act(
    local_bot, clinic, patient, command
) -> None:
    typed = command.format(code=patient.code)
    bob = local_bot.person(5_000_000_077, "Bob")  # unknown to the bot
    unknown_reply = texts(await bob.says(typed))
    stranger_reply = texts(await clinic.stranger_doctor.says(typed))
    own_reply = texts(await clinic.doctor.says(typed))
    # Not a clinician: a plain refusal (the shared /session and /report open the person's own).
    if not typed.startswith(("/session", "/report")):
        assert REFUSED in unknown_reply
        patient_reply = texts(await local_bot.person(patient.telegram_user_id, "Ana").says(typed))
        assert REFUSED in patient_reply
    assert patient.first_name not in unknown_reply
    # A clinician of another clinic learns nothing about this patient.
    assert patient.first_name not in stranger_reply
    if "{code}" in command:
        assert NOT_HERE in stranger_reply
        missing = texts(await clinic.stranger_doctor.says(command.format(code="P-0000")))
        assert missing.replace("P-0000", patient.code) == stranger_reply  # same answer either way
    # The clinic's own clinician is served.
    assert REFUSED not in own_reply
    assert NOT_HERE not in own_reply


async def test_a_patient_typing_session_gets_their_own_session_menu(
    local_bot, clinic, patient, ana
):
    assert "Your session" in texts(await ana.says(f"/session {patient.code}"))


async def test_an_account_is_a_clinician_or_a_patient_never_both(local_bot, clinic, patient, ana):
    with pytest.raises(Exception, match="is a patient"):
        clinic.services.clinics.add_clinician(ana.user_id, "North", "Dr Ana")
    assert "clinic staff" in texts(await clinic.doctor.says("/checkin"))
    await clinic.doctor.says("/start")  # a clinician's /start is their welcome, not consent
    assert clinic.services.onboarding.find(DR_NORTH) is None


# Roles from the command line ----------------------------------------------------------------


def test_clinics_and_clinicians_are_managed_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["clinic", "create", "East", "--phone", "555 0199", "--hours", "9-5"]) == 0
    assert main(["clinician", "add", "42", "--clinic", "East", "--name", "Dr E"]) == 0
    assert main(["clinician", "add", "43", "--clinic", "Nowhere", "--name", "Dr X"]) == 2
    assert main(["clinic", "create", "east"]) == 2  # names are unique, whatever the case
    assert main(["clinic", "set", "East", "--escalate-after-minutes", "15", "--low-mood", "2"]) == 0
    assert main(["clinic", "set", "East", "--pain-rise", "0"]) == 2  # nothing changes
    assert main(["clinician", "remove", "42"]) == 0
    assert main(["clinician", "remove", "42"]) == 2
    output = capsys.readouterr()
    assert "Created the clinic 'East'" in output.out
    assert "Added Dr E" in output.out
    assert "no clinic called 'Nowhere'" in output.err
    assert "no clinician has that Telegram id" in output.err
    assert "East: escalate_after_minutes=15, low_mood=2" in output.out
    assert "pain_rise must be 1 or more" in output.err
    assert main(["audit"]) == 0


async def test_a_first_clinician_from_the_settings_is_added_at_start(settings, clock) -> None:
    first = settings.model_copy(
        update={"first_clinician_id": 6_300_000_001, "first_clinician_name": "Dr One"}
    )
    async with LocalBot(first, clock) as bot:
        doctor = bot.person(6_300_000_001, "One")
        assert "Dr One" in texts(await doctor.says("/start"))
        menu = [c["command"] for c in bot.emulator.menu_commands(doctor.user_id)]
        assert "patients" in menu
        assert "checkin" not in menu
    async with LocalBot(first, clock) as bot:  # a restart does not add them twice
        assert len(bot.store().clinics.all_clinicians()) == 1


async def test_a_removed_clinician_is_refused_from_then_on(local_bot, clinic, patient) -> None:
    clinic.services.clinics.remove_clinician(DR_NORTH)
    assert REFUSED in texts(await clinic.doctor.says("/patients"))


# Enrolment ------------------------------------------------------------------------------------


async def test_an_invite_enrols_the_patient_with_the_clinic_and_a_code(local_bot, clinic, patient):
    north = clinic.services.store.clinics.clinic_named("North")
    assert patient.clinic_id == north.id
    assert patient.code.startswith("P-")
    assert len(patient.code) == 6
    assert "Main clinic" not in [c.name for c in clinic.services.store.clinics.clinics()]


async def test_used_expired_and_forged_invites_are_explained(local_bot, clinic, patient) -> None:
    code = clinic.services.store.clinics.audit_log()  # the invite was made and recorded
    assert any(entry.action == "create invite" for entry in code)
    used = await invite_code(clinic.doctor)
    await enrol(local_bot.person(5_000_000_010, "Cy"), used)
    assert "already been used" in texts(
        await local_bot.person(5_000_000_011, "Di").says(f"/start {used}")
    )
    stale = await invite_code(clinic.doctor)
    local_bot.clock.advance(timedelta(days=8))
    assert "has expired" in texts(
        await local_bot.person(5_000_000_012, "Ed").says(f"/start {stale}")
    )
    forged = texts(await local_bot.person(5_000_000_013, "Fi").says("/start abcdefghijklmnop"))
    assert "don't recognise this invite" in forged
    assert clinic.services.onboarding.find(5_000_000_013) is None


@pytest.mark.parametrize("code", ["Xq-kms_9dL2", "kys_ab12CD34", "r0pe-and-d1e"])
async def test_an_invite_code_is_a_code_not_words_to_screen(local_bot, clinic, code: str) -> None:
    """A random code can spell "kms"; it came from a link, so it gets no crisis reply."""
    replies = texts(await local_bot.person(5_000_000_014, "Jo").says(f"/start {code}"))
    assert "don't recognise this invite" in replies
    assert "988" not in replies


async def test_an_invite_used_between_opening_and_agreeing_is_explained(local_bot, clinic) -> None:
    code = await invite_code(clinic.doctor)
    first, second = local_bot.person(5_000_000_020, "Gu"), local_bot.person(5_000_000_021, "Ha")
    await first.says(f"/start {code}")
    await second.says(f"/start {code}")
    await first.presses("Yes, I agree")
    assert "already been used" in texts(await second.presses("Yes, I agree"))
    assert clinic.services.onboarding.find(second.user_id) is None


async def test_without_open_enrolment_a_code_is_needed(settings, clock) -> None:
    closed = settings.model_copy(update={"allow_open_enrolment": False})
    async with LocalBot(closed, clock) as bot:
        person = bot.person(5_000_000_030, "Io")
        assert "you need an invite link" in texts(await person.says("/start"))
        assert bot.store().patient_by_telegram_id(person.user_id) is None


async def test_open_enrolment_puts_patients_in_the_default_clinic(local_bot, clinic, ana) -> None:
    await join(ana)
    patient = clinic.services.onboarding.find(ana.user_id)
    main_clinic = clinic.services.store.clinics.clinic_named("Main clinic")
    assert patient.clinic_id == main_clinic.id
    assert patient.code.startswith("P-")


# Seeing and configuring patients ------------------------------------------------------------


async def test_patients_and_patient_show_the_figures(
    local_bot, clinic, patient, ana, settings, monkeypatch, capsys
) -> None:
    for mood, pain in ((6, 3), (5, 4), (7, 2)):
        await check_in(ana, mood=mood, pain=pain, note="journal-free note")
        local_bot.clock.advance(timedelta(days=1))
    listing = texts(await clinic.doctor.says("/patients"))
    assert patient.code in listing
    assert "Ana" in listing
    assert "adherence 21%" in listing
    detail = texts(await clinic.doctor.says(f"/patient {patient.code}"))
    assert "baseline pain (first 3): 3.0" in detail
    assert "Not shared by the patient" in detail
    await ana.says("/settings")
    await ana.presses("Share my journal")
    assert "Not shared" not in texts(await clinic.doctor.says(f"/patient {patient.code}"))
    actions = [e.action for e in clinic.services.store.clinics.audit_log()]
    assert actions.count("view patient") == 2
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert main(["audit"]) == 0
    assert f"Dr North: view patient {patient.code}" in capsys.readouterr().out
    assert "list patients" in actions


async def test_assign_and_checkin_time_change_what_the_patient_gets(
    local_bot, clinic, patient, ana
) -> None:
    assert "now follows" in texts(await clinic.doctor.says(f"/assign {patient.code} short-check"))
    assert "no protocol called" in texts(await clinic.doctor.says(f"/assign {patient.code} nope"))
    reply = texts(await clinic.doctor.says(f"/checkintime {patient.code} 19:30"))
    assert "19:30" in reply
    assert (
        "changed your daily check-in time to <b>19:30</b>" in ana.messages()[-1].html
        or "19:30" in ana.messages()[-1].text
    )
    await ana.says("/session")
    await ana.presses("I've just finished")
    await ana.presses("Yes, just now")
    session = clinic.services.store.sessions(patient.id)[-1]
    assert session.protocol == "short-check"
    planned = {
        r.step_id
        for r in clinic.services.store.outbox.for_patient(patient.id)
        if r.kind == "prompt"
    }
    assert planned == {"rest_and_safety", "next_morning", "day_3"}
