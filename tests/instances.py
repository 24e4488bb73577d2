"""Many patients at once, and more copies of the bot on one database (the tests of issue #11)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, time
from typing import Any

from sqlalchemy import insert, select

from bot.app import BotApplication, build_application, dispatcher_of, services_of
from bot.delivery import Dispatcher
from bot.localbot import LocalBot
from bot.storage import Patient

FIRST_SEEDED_USER = 500_000


# A protocol without recurring questionnaires: each patient's day holds one check-in only.
ONE_MESSAGE_A_DAY = "short-check"


def seed_patients(
    bot: LocalBot, count: int, *, checkin_at: time, zone: str = "UTC"
) -> dict[int, int]:
    """``count`` patients who have finished joining, without a conversation each; returns
    their Telegram ids by patient id. Their chats exist in the emulator, and each gets one
    check-in a day."""
    services = services_of(bot.application)
    now: datetime = bot.clock.now()
    rows: list[dict[str, Any]] = []
    for number in range(count):
        user_id = FIRST_SEEDED_USER + number
        bot.emulator.ensure_user(user_id, first_name=f"Patient{number}")
        rows.append(
            {
                "telegram_user_id": user_id,
                "chat_id": user_id,
                "first_name": f"Patient{number}",
                "consent_version": services.onboarding.consent_version,
                "consented_at": now,
                "timezone": zone,
                "checkin_time": checkin_at,
                "onboarded_at": now,
                "mood_explained": True,
                "active": True,
                "paused": False,
                "share_journal": False,
                "protocol": ONE_MESSAGE_A_DAY,
                "created_at": now,
                "updated_at": now,
            }
        )
    engine = services.store.engine
    with engine.begin() as connection:
        connection.execute(insert(Patient), rows)
        found = connection.execute(
            select(Patient.id, Patient.telegram_user_id).where(  # type: ignore[call-overload]
                Patient.telegram_user_id >= FIRST_SEEDED_USER
            )
        )
        return {patient_id: user_id for patient_id, user_id in found}


@asynccontextmanager
async def another_instance(bot: LocalBot, name: str) -> AsyncIterator[Dispatcher]:
    """A second copy of the bot on the same database and the same Telegram: it only sends
    (one copy polls for updates, as only one may), under its own instance name."""
    application: BotApplication = build_application(
        bot.settings_here(instance_name=name), bot.clock, token=bot.token, dispatch_on_timer=False
    )
    await application.initialize()
    try:
        yield dispatcher_of(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
