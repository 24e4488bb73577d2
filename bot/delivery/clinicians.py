"""Telling clinicians: new alerts at once, escalation when nobody acknowledges, daily digests.

The alerts table is the outbox for clinicians: an alert is marked notified only once its
message went out, so a failure is tried again at the next tick and nothing is lost.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import Enum

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.delivery.limiter import SCHEDULED
from bot.domain.alerts import Tier
from bot.domain.local_time import to_local
from bot.handlers import keyboards
from bot.render import Message
from bot.services import Services
from bot.storage import Alert, Clinician

log = logging.getLogger(__name__)


class Outcome(Enum):
    SENT = "sent"
    RETRY = "retry"  # a timeout or server error: the next tick tries again
    GIVE_UP = "give_up"  # blocked, or never started a chat with the bot


class ClinicianNotifier:
    def __init__(self, services: Services, bot: Bot) -> None:
        self._services = services
        self._bot = bot

    async def tick(self, now: datetime) -> int:
        """Send what is due; returns how many clinician messages went out."""
        sent = 0
        for alert in self._services.store.alerts.to_notify((Tier.URGENT, Tier.SAME_DAY)):
            sent += await self._notify(alert, now, escalation=False)
        for alert in self._services.store.alerts.unacknowledged(Tier.URGENT):
            clinic = self._services.store.clinics.clinic(alert.clinic_id)
            if clinic is None or alert.notified_at is None:
                continue
            if now - alert.notified_at >= timedelta(minutes=clinic.escalate_after_minutes):
                sent += await self._notify(alert, now, escalation=True)
        for clinician in self._services.store.clinics.all_clinicians():
            sent += await self._digest_if_due(clinician, now)
        return sent

    async def _notify(self, alert: Alert, now: datetime, *, escalation: bool) -> int:
        services = self._services
        patient = services.store.patient(alert.patient_id)
        clinicians = services.store.clinics.clinicians_of(alert.clinic_id)
        if patient is None or not clinicians:
            return 0
        text = services.prompts.renderer.message(
            Message.CLINICIAN_ALERT,
            tier=alert.tier,
            kind=alert.kind,
            code=patient.code or "",
            first_name=patient.first_name,
            escalation=escalation,
            minutes=_minutes_since(alert.raised_at, now),
        )
        keyboard = keyboards.acknowledge(services.prompts.ui, alert.id or 0)
        outcomes = [await self._send(clinician, text, keyboard) for clinician in clinicians]
        delivered = outcomes.count(Outcome.SENT)
        # Try again at the next tick only if something may still get through.
        if delivered or Outcome.RETRY not in outcomes:
            if escalation:
                alert.escalated_at = now
            else:
                alert.notified_at = now
            services.store.alerts.save(alert)
        return delivered

    async def _digest_if_due(self, clinician: Clinician, now: datetime) -> int:
        if clinician.digest_time is None:
            return 0
        local = to_local(now, clinician.timezone)
        if local.time() < clinician.digest_time or clinician.digest_sent_on == local.date():
            return 0
        services = self._services
        summary = services.clinic_summaries.digest(clinician, now)
        text = services.prompts.renderer.message(Message.CLINICIAN_DIGEST, **summary)
        outcome = await self._send(clinician, text, None)
        if outcome is not Outcome.RETRY:
            clinician.digest_sent_on = local.date()
            services.store.clinics.save_clinician(clinician)
        return 1 if outcome is Outcome.SENT else 0

    async def _send(self, clinician: Clinician, text: str, keyboard: object) -> Outcome:
        try:
            await self._bot.send_message(
                clinician.telegram_user_id,
                text,
                reply_markup=keyboard,  # type: ignore[arg-type]
                rate_limit_args=SCHEDULED,
            )
        except (Forbidden, BadRequest) as error:
            # Blocked, or never opened the chat: retrying cannot help.
            log.warning("a clinician cannot be reached (%s)", type(error).__name__)
            return Outcome.GIVE_UP
        except TelegramError as error:
            log.warning("a clinician message failed (%s); tried again later", type(error).__name__)
            return Outcome.RETRY
        return Outcome.SENT


def _minutes_since(moment: datetime, now: datetime) -> int:
    return max(0, int((now - moment).total_seconds() // 60))
