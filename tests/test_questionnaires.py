"""PHQ-9, PHQ-8, GAD-7, PGIC and the monthly safety check: scored exactly, taken in the chat."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.domain.instruments import load_instruments, score
from tests.journeys import check_in, join, texts

INSTRUMENTS = load_instruments(Path(__file__).resolve().parent.parent / "prompts")


def answers_for(total: int, items: int, highest: int = 3) -> list[int]:
    answers = []
    for _ in range(items):
        answers.append(min(highest, total))
        total -= answers[-1]
    return answers


@pytest.mark.parametrize(
    ("key", "total", "band"),
    [
        ("phq9", 0, "minimal"), ("phq9", 4, "minimal"), ("phq9", 5, "mild"), ("phq9", 9, "mild"),
        ("phq9", 10, "moderate"), ("phq9", 14, "moderate"), ("phq9", 15, "moderately severe"),
        ("phq9", 19, "moderately severe"), ("phq9", 20, "severe"), ("phq9", 27, "severe"),
        ("phq8", 19, "moderately severe"), ("phq8", 20, "severe"), ("phq8", 24, "severe"),
        ("gad7", 4, "minimal"), ("gad7", 5, "mild"), ("gad7", 9, "mild"), ("gad7", 10, "moderate"),
        ("gad7", 14, "moderate"), ("gad7", 15, "severe"), ("gad7", 21, "severe"),
    ],
)  # fmt: skip
def test_totals_and_bands_at_every_edge(key: str, total: int, band: str) -> None:
    instrument = INSTRUMENTS[key]
    result = score(instrument, answers_for(total, len(instrument.items)), None)
    assert (result.total, result.band) == (total, band)


def test_pgic_is_the_answer_itself_and_response_and_remission_follow_the_first_score() -> None:
    assert score(INSTRUMENTS["pgic"], [6], None).band == "better"
    phq9 = INSTRUMENTS["phq9"]
    assert score(phq9, answers_for(10, 9), 20).response is True  # a fall of exactly 50%
    assert score(phq9, answers_for(11, 9), 20).response is False
    assert score(phq9, answers_for(4, 9), 20).remission is True
    assert score(phq9, answers_for(5, 9), 20).remission is False
    assert score(phq9, answers_for(5, 9), None).response is None
    with pytest.raises(ValueError, match="never scored"):
        score(phq9, [1, 1], None)


def test_the_instruments_use_the_published_wording() -> None:
    phq9 = INSTRUMENTS["phq9"]
    assert phq9.intro.startswith("Over the last 2 weeks")
    assert (
        phq9.items[8]
        == "Thoughts that you would be better off dead or of hurting yourself in some way"
    )
    assert [o.label for o in phq9.options] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert phq9.crisis_item == 9
    assert INSTRUMENTS["phq8"].items == phq9.items[:8]
    assert len(INSTRUMENTS["gad7"].items) == 7
    assert "midas" not in INSTRUMENTS
    assert "hit6" not in INSTRUMENTS


async def send_now(clinic, patient, key: str) -> None:
    """A clinician's /ask, and the second in which the dispatcher sends it."""
    await clinic.doctor.says(f"/ask {patient.code} {key}")
    await clinic.bot.run_for(timedelta(seconds=1))


async def take(person, answers: list[str]) -> str:
    replies = []
    for answer in answers:
        replies = await person.presses(answer)
    return texts(replies)


async def test_a_clinician_sends_gad7_and_the_patient_answers_it_item_by_item(
    local_bot, clinic, patient, ana
) -> None:
    assert "on its way" in texts(await clinic.doctor.says(f"/ask {patient.code} gad7"))
    await local_bot.run_for(timedelta(seconds=1))
    first = ana.latest_with_buttons()
    assert "GAD-7" in first.text
    assert "1 of 7" in first.text
    assert "Back" not in [b.text for b in first.flat_buttons]
    await ana.presses("Several days")
    assert "◀ Back" in [b.text for b in ana.latest_with_buttons().flat_buttons]
    await ana.presses("◀ Back")  # change the first answer
    assert "1 of 7" in ana.latest_with_buttons().text
    done = await take(ana, ["Nearly every day"] * 3 + ["Not at all"] * 4)
    assert "score is 9, in the mild range" in done
    response = clinic.services.store.responses(patient.id, "gad7")[0]
    assert (response.status, response.total, response.answers) == (
        "complete",
        9,
        [3, 3, 3, 0, 0, 0, 0],
    )
    assert "GAD-7: 9 (mild)" in texts(await clinic.doctor.says(f"/patient {patient.code}"))


@pytest.mark.parametrize("typed", ["2", "more than half the days"])
async def test_typed_answers_count_when_unambiguous(local_bot, clinic, patient, ana, typed) -> None:
    await send_now(clinic, patient, "phq9")
    assert "2 of 9" in texts(await ana.says(typed))
    assert "button" in texts(await ana.says("quite a lot"))  # ambiguous: use the buttons
    assert clinic.services.store.responses(patient.id, "phq9")[0].answers == [2]


@pytest.mark.parametrize("positive_at", [1, 5, 8])
async def test_only_item_9_starts_the_crisis_path(
    local_bot, clinic, patient, ana, positive_at
) -> None:
    await send_now(clinic, patient, "phq9")
    answers = ["Not at all"] * 9
    answers[positive_at - 1] = "Nearly every day"
    done = await take(ana, answers[:8])
    assert "988" not in done
    done = await take(ana, ["Several days"])  # item 9
    assert "988" in done  # crisis lines first
    assert "score is" in done
    kinds = [a.kind for a in clinic.services.store.alerts.for_patient(patient.id)]
    assert kinds == ["crisis"]
    assert clinic.services.store.safety_events(patient.id)[0].rule_id == "phq9-item9"


async def test_item_9_before_the_end_of_a_longer_flow_gets_help_then_carries_on(
    local_bot, clinic, patient, ana
) -> None:
    # The PHQ-9 item 9 is its last; answered during a resumed questionnaire the rest waits.
    await send_now(clinic, patient, "phq9")
    await take(ana, ["Not at all"] * 4)
    assert "5 of 9" in ana.latest_with_buttons().text
    await ana.says("i want to die")  # crisis language mid-questionnaire
    await ana.presses("I'm safe right now")
    assert "5 of 9" in ana.latest_with_buttons().text  # asked again once they are ready


async def test_a_checkin_interrupts_and_the_questionnaire_resumes(
    local_bot, clinic, patient, ana
) -> None:
    await send_now(clinic, patient, "gad7")
    await take(ana, ["Not at all"] * 3)
    reply = await check_in(ana, mood=6, pain=3)
    assert "4 of 7" in reply  # carried on where it stopped
    assert clinic.services.store.responses(patient.id, "gad7")[0].answers == [0, 0, 0]


async def test_an_unfinished_questionnaire_expires_as_incomplete(
    local_bot, clinic, patient, ana
) -> None:
    await send_now(clinic, patient, "phq9")
    await take(ana, ["Several days"] * 3)
    await local_bot.run_for(timedelta(days=3))
    response = clinic.services.store.responses(patient.id, "phq9")[0]
    assert (response.status, response.total) == ("incomplete", None)
    assert "PHQ-9" not in texts(await clinic.doctor.says(f"/patient {patient.code}"))


async def test_the_safety_check_alerts_on_any_yes(local_bot, clinic, patient, ana) -> None:
    await send_now(clinic, patient, "safety-check")
    done = await take(ana, ["No", "Yes", "No", "No"])
    assert "contact your clinic" in done
    assert [a.kind for a in clinic.services.store.alerts.for_patient(patient.id)] == [
        "safety_check"
    ]


async def test_a_phq_rise_of_five_or_a_score_of_twenty_alerts(
    local_bot, clinic, patient, ana
) -> None:
    for answers in (
        ["Several days"] * 8 + ["Not at all"],
        ["More than half the days"] * 7 + ["Not at all"] * 2,
    ):
        await send_now(clinic, patient, "phq9")
        await take(ana, answers)
    assert [a.kind for a in clinic.services.store.alerts.for_patient(patient.id)] == [
        "phq_rise"
    ]  # 8 -> 14


async def test_a_clinic_without_same_day_follow_up_uses_phq8(
    local_bot, clinic, patient, ana
) -> None:
    clinic.services.clinics.configure_clinic("North", use_phq8="yes")
    await send_now(clinic, patient, "phq9")
    assert "PHQ-8" in ana.latest_with_buttons().text
    assert "1 of 8" in ana.latest_with_buttons().text


async def test_phq9_and_gad7_come_at_enrolment_and_every_14_days(local_bot, ana) -> None:
    await join(ana)  # check-ins at 20:00 London
    await local_bot.run_for(timedelta(days=29))
    store = local_bot.store()
    patient = store.patient_by_telegram_id(ana.user_id)
    planned = [r for r in store.outbox.for_patient(patient.id) if r.kind == "questionnaire"]
    days = sorted({(r.step_id, (r.local_date - patient.onboarded_at.date()).days) for r in planned})
    assert ("phq9", 0) in days
    assert ("phq9", 14) in days
    assert ("phq9", 28) in days
    assert ("gad7", 14) in days
    assert ("pgic", 28) in days


@pytest.mark.parametrize(
    ("key", "answers", "expected"),
    [
        ("pgic", ["Moderately better"], "You said: moderately better"),
        ("phq8", ["Several days"] * 8, "PHQ-8 score is 8, in the mild range"),
    ],
)
async def test_pgic_and_phq8_end_to_end(local_bot, clinic, patient, ana, key, answers, expected):
    await send_now(clinic, patient, key)
    assert expected in await take(ana, answers)
    assert clinic.services.store.responses(patient.id, key)[0].status == "complete"
