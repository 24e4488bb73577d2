"""The outbox dispatcher: a plain function of "now" that sends what is due, once.

``tick(now)`` plans the days ahead, marks rows whose time has passed as missed, claims each due
row atomically, sends it and records the outcome. The JobQueue calls it every second or so in
production; tests and the console call it directly with their own clock and never wait.

What each Telegram answer means for a row:
  * sent: the time and Telegram's message id are recorded; a reminder is planned if the step
    has one;
  * 429 (flood control): back in the queue for the ``retry_after`` Telegram named;
  * 403 (blocked, or the account is gone): the patient is marked inactive and everything
    waiting for them is cancelled; no retries;
  * timeout, network trouble or a 5xx: retried with growing waits, then failed with the reason;
  * 400 (a malformed message): failed at once with the reason; retrying would not help.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from telegram import Bot, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.delivery.clinicians import ClinicianNotifier
from bot.delivery.compose import Later, NotNeeded, Outgoing, compose
from bot.delivery.limiter import SCHEDULED, retry_after_seconds
from bot.domain.alerts import Kind as AlertKind
from bot.domain.planning import Status, plan_reminder
from bot.handlers.errors import describe
from bot.services import Services
from bot.storage import OutboxMessage, Patient

log = logging.getLogger(__name__)

# How often the days ahead are planned again (also whenever the clock jumps backwards).
PLAN_EVERY = timedelta(minutes=10)
# Telegram asks for no more than one message a second in one chat.
PER_CHAT_GAP = timedelta(seconds=1)
# Retries after timeouts and server errors: 30 s, 2 min, 8 min, then the row fails.
MAX_ATTEMPTS = 4
FIRST_BACKOFF = timedelta(seconds=30)


@dataclass
class TickReport:
    sent: int = 0
    missed: int = 0
    skipped: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    deferred: int = 0  # waiting for the patient to answer another question first
    clinician_messages: int = 0
    reasons: list[str] = field(default_factory=list)


class Dispatcher:
    def __init__(self, services: Services, bot: Bot) -> None:
        self._services = services
        self._bot = bot
        self._clinicians = ClinicianNotifier(services, bot)
        self._planned_at: datetime | None = None
        self._last_sent: dict[int, datetime] = {}
        self.last_tick_at: datetime | None = None  # for health checks: is delivery alive?
        # Rows a crashed process had handed to Telegram without recording; counted, for tests
        # and the logs, because each may reach its patient a second time.
        self.released_after_restart = services.store.outbox.release_unfinished()
        if self.released_after_restart:
            log.warning(
                "%d planned message(s) were being sent when the bot last stopped; "
                "they are sent again (one may arrive twice)",
                self.released_after_restart,
            )

    async def tick(self, now: datetime) -> TickReport:
        report = TickReport()
        outbox = self._services.store.outbox
        if self._planned_at is None or not PLAN_EVERY > now - self._planned_at >= timedelta(0):
            self._services.scheduler.plan_everyone()
            self._look_for_silence()
            self._planned_at = now
        report.missed = outbox.mark_missed(now)
        self._services.store.expire_responses(now)
        budget = self._services.settings.scheduled_per_second
        for row in outbox.due(now, limit=budget * 5):
            if budget == 0:
                break
            last = self._last_sent.get(row.patient_id)
            if last is not None and now - last < PER_CHAT_GAP and now >= last:
                continue
            if row.id is None or not outbox.claim(row.id, now):
                continue
            budget -= 1
            await self._deliver(row, now, report)
        report.clinician_messages = await self._clinicians.tick(now)
        self.last_tick_at = now
        return report

    def _look_for_silence(self) -> None:
        """Digest-tier alerts for patients who have not checked in for days."""
        services = self._services
        for patient in services.store.onboarded_patients():
            clinic = services.store.clinics.clinic_of(patient)
            if clinic is not None and patient.timezone:
                services.alerts.missed_checkins(patient, clinic, services.checkins.today(patient))

    async def _deliver(self, row: OutboxMessage, now: datetime, report: TickReport) -> None:
        assert row.id is not None
        services = self._services
        outbox = services.store.outbox
        patient = services.store.patient(row.patient_id)
        if patient is None or not patient.active:
            outbox.finish(row.id, Status.CANCELLED, reason="the patient is not reachable")
            report.skipped += 1
            return
        if services.scheduler.is_paused(patient, now):
            outbox.finish(row.id, Status.SKIPPED, reason="paused")
            report.skipped += 1
            return
        try:
            message = compose(services, row, patient)
        except Exception as error:  # a broken template must not leave the row half-claimed
            outbox.finish(
                row.id, Status.FAILED, reason=f"could not be written: {type(error).__name__}"
            )
            report.failed += 1
            log.error("a planned message could not be written: %s\n%s", *describe(error))
            return
        if isinstance(message, Later):
            outbox.retry_at(row.id, now + message.wait, reason=message.reason)
            report.deferred += 1
            return
        if isinstance(message, NotNeeded):
            outbox.finish(row.id, Status.SKIPPED, reason=message.reason)
            report.skipped += 1
            return
        try:
            sent = await self._send(patient, message)
        except RetryAfter as refused:
            wait = timedelta(seconds=retry_after_seconds(refused))
            outbox.retry_at(row.id, now + wait, reason="Telegram asked us to slow down")
            report.retried += 1
        except Forbidden:
            self._patient_unreachable(patient, row.id)
            report.blocked += 1
        except BadRequest as error:
            outbox.finish(row.id, Status.FAILED, reason=_reason("rejected", error))
            services.alerts.raise_alert(patient, AlertKind.UNDELIVERABLE, str(row.id))
            report.failed += 1
        except (NetworkError, TelegramError) as error:
            self._retry_or_fail(row, now, error, report)
        else:
            self._record_sent(row, patient, message, sent, now)
            report.sent += 1

    async def _send(self, patient: Patient, message: Outgoing) -> int:
        timeout = self._services.settings.send_timeout_seconds
        sent = await self._bot.send_message(
            patient.chat_id,
            message.text,
            reply_markup=message.keyboard,
            reply_parameters=(
                ReplyParameters(message.reply_to, allow_sending_without_reply=True)
                if message.reply_to
                else None
            ),
            read_timeout=timeout,
            write_timeout=timeout,
            rate_limit_args=SCHEDULED,
        )
        return sent.message_id

    def _record_sent(
        self,
        row: OutboxMessage,
        patient: Patient,
        message: Outgoing,
        message_id: int,
        now: datetime,
    ) -> None:
        assert row.id is not None
        services = self._services
        services.store.outbox.finish(row.id, Status.SENT, sent_at=now, message_id=message_id)
        self._last_sent[row.patient_id] = now
        if message.question_of is not None:
            services.conversations.remember_question(message.question_of, message_id)
        if message.reminder_after is not None:
            reminder = plan_reminder(
                row.id,
                now,
                message.reminder_after,
                row.expires_at,
                patient.timezone or "UTC",
                services.scheduler.rules.quiet,
            )
            if reminder is not None:
                services.store.outbox.plan(row.patient_id, [reminder], reminder_of=row.id)

    def _patient_unreachable(self, patient: Patient, row_id: int) -> None:
        """Blocked, or the account was deleted: stop, and keep their data as it is."""
        services = self._services
        services.store.outbox.finish(row_id, Status.CANCELLED, reason="the patient blocked the bot")
        services.scheduler.mark_unreachable(patient)
        services.alerts.raise_alert(
            patient, AlertKind.BLOCKED, services.clock.now().date().isoformat()
        )
        log.info("a patient blocked the bot; their planned messages are cancelled")

    def _retry_or_fail(
        self, row: OutboxMessage, now: datetime, error: TelegramError, report: TickReport
    ) -> None:
        assert row.id is not None
        outbox = self._services.store.outbox
        attempts = row.attempts + 1  # the claim counted this attempt in the database
        if attempts >= MAX_ATTEMPTS:
            outbox.finish(row.id, Status.FAILED, reason=_reason("gave up after retries", error))
            patient = self._services.store.patient(row.patient_id)
            if patient is not None:
                self._services.alerts.raise_alert(patient, AlertKind.UNDELIVERABLE, str(row.id))
            report.failed += 1
            log.warning(
                "a planned message failed after %d attempts: %s", attempts, type(error).__name__
            )
            return
        wait = FIRST_BACKOFF * 4 ** (attempts - 1)
        outbox.retry_at(row.id, now + wait, reason=_reason("will retry", error))
        report.retried += 1


def _reason(what: str, error: TelegramError) -> str:
    """Why, without the message text or the token: the error's type is enough."""
    return f"{what}: {type(error).__name__}"
