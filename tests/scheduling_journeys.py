"""Steps the scheduling tests share: joining in a zone, logging a session, the outbox."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.app import services_of
from bot.domain.local_time import at_local
from bot.localbot import LocalBot, Person
from bot.storage import OutboxMessage, Patient
from tests.journeys import texts


async def join_in(person: Person, zone: str, checkin_time: str = "20:00") -> None:
    """Start, agree, and type a time zone and a check-in time."""
    await person.says("/start")
    await person.presses("Yes, I agree")
    await person.says(zone)
    replies = await person.says(checkin_time)
    assert "You're all set" in texts(replies), texts(replies)


async def finish_session_now(person: Person) -> str:
    await person.says("/session")
    await person.presses("I've just finished")
    return texts(await person.presses("Yes, just now"))


def set_local_time(bot: LocalBot, day: date, at: time, zone: str) -> datetime:
    return bot.clock.set(at_local(day, at, zone))


def patient_of(bot: LocalBot, person: Person) -> Patient:
    patient = services_of(bot.application).onboarding.find(person.user_id)
    assert patient is not None
    return patient


def outbox_of(bot: LocalBot, person: Person) -> list[OutboxMessage]:
    return bot.store().outbox.for_patient(patient_of(bot, person).id or 0)


def rows(
    bot: LocalBot, person: Person, kind: str, status: str | None = None
) -> list[OutboxMessage]:
    return [
        row
        for row in outbox_of(bot, person)
        if row.kind == kind and (status is None or row.status == status)
    ]
