"""Clinics, clinicians and invited patients, set up the way a clinic would."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.app import services_of
from bot.emulator import EmulatedMessage
from bot.localbot import LocalBot, Person
from bot.services import Services
from bot.storage import Patient
from tests.journeys import texts

INVITE_LINK = re.compile(r"https://t\.me/\w+\?start=(?P<code>[\w-]+)")
DR_NORTH, DR_SOUTH = 6_100_000_001, 6_200_000_001
JUNE_MORNING = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


@dataclass
class Clinic:
    bot: LocalBot
    doctor: Person  # a clinician of North
    stranger_doctor: Person  # a clinician of South

    @property
    def services(self) -> Services:
        return services_of(self.bot.application)


def make_clinics(bot: LocalBot) -> Clinic:
    services = services_of(bot.application)
    services.clinics.create_clinic("North", "555 0100", "Mon-Fri 9-5")
    services.clinics.create_clinic("South")
    services.clinics.add_clinician(DR_NORTH, "North", "Dr North")
    services.clinics.add_clinician(DR_SOUTH, "South", "Dr South")
    return Clinic(bot, bot.person(DR_NORTH, "Nora"), bot.person(DR_SOUTH, "Sam"))


async def invite_code(doctor: Person) -> str:
    reply = texts(await doctor.says("/invite"))
    match = INVITE_LINK.search(reply)
    assert match, reply
    return match["code"]


async def enrol(
    person: Person, code: str, zone: str = "Europe/London", at: str = "20:00"
) -> Patient:
    await person.says(f"/start {code}")
    await person.presses("Yes, I agree")
    await person.says(zone)
    replies = await person.says(at)
    assert "You're all set" in texts(replies), texts(replies)
    patient = services_of(person.bot.application).onboarding.find(person.user_id)
    assert patient is not None
    return patient


def last(messages: list[EmulatedMessage]) -> str:
    return messages[-1].text if messages else ""


# Fixtures (registered in conftest.py): two clinics on a June morning, an invited patient.


@pytest.fixture
async def clinic(local_bot: LocalBot) -> Clinic:
    """Two clinics on the morning of Monday 1 June 2026."""
    local_bot.clock.set(JUNE_MORNING)
    return make_clinics(local_bot)


@pytest.fixture
async def patient(clinic: Clinic, ana: Person) -> Patient:
    return await enrol(ana, await invite_code(clinic.doctor))
