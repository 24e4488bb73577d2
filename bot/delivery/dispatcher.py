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

Several instances may tick against one database. Each claims rows for itself (a lease, see
``Outbox``), takes over rows whose claimant died, and sends at most its share of the
scheduled budget, so the bot as a whole stays inside Telegram's limit however many run.
Planning and telling clinicians are done by one instance at a time (a lease each), and a 429
pauses scheduled sending in every instance until Telegram's ``retry_after`` has passed.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from telegram import Bot, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.delivery.clinicians import ClinicianNotifier
from bot.delivery.compose import Later, NotNeeded, Outgoing, compose
from bot.delivery.limiter import SCHEDULED, ReplyFirstRateLimiter, retry_after_seconds
from bot.domain.alerts import Kind as AlertKind
from bot.domain.planning import Status, plan_reminder
from bot.handlers.errors import describe
from bot.services import Services
from bot.storage import OutboxMessage, Patient

log = logging.getLogger(__name__)

# How often the days ahead are planned again (also whenever the clock jumps backwards).
PLAN_EVERY = timedelta(minutes=10)
# Rows claimed at once: few enough to be sent well inside one claim's lease.
CLAIM_BATCH = 50
# Retries after timeouts and server errors: 30 s, 2 min, 8 min, then the row fails.
MAX_ATTEMPTS = 4
FIRST_BACKOFF = timedelta(seconds=30)
# Leases shared by all instances on one database.
PLANNER = "planner"
CLINICIANS = "clinicians"
FLOOD_WAIT = "telegram-flood-wait"
# An instance that has not ticked for this long no longer counts towards the shared budget.
ALIVE_WITHIN = timedelta(seconds=10)


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
    taken_over: int = 0  # claims of an instance that died, back in the queue
    held_until: datetime | None = None  # Telegram's flood control pauses scheduled sending
    reasons: list[str] = field(default_factory=list)


class Sent(Enum):
    YES = "yes"
    NO = "no"
    SLOW_DOWN = "slow_down"  # Telegram's flood control: nothing more this tick


class Dispatcher:
    def __init__(
        self, services: Services, bot: Bot, limiter: ReplyFirstRateLimiter | None = None
    ) -> None:
        self._services = services
        self._bot = bot
        self._limiter = limiter
        self._clinicians = ClinicianNotifier(services, bot)
        self._planned_at: datetime | None = None
        self.instance = services.settings.instance_name
        self._lease = timedelta(seconds=services.settings.claim_lease_seconds)
        self.last_tick_at: datetime | None = None  # for health checks: is delivery alive?
        # Rows this instance had handed to Telegram without recording before it stopped;
        # counted, for tests and the logs, because each may reach its patient a second time.
        self.released_after_restart = services.store.outbox.release_claims_of(self.instance)
        if self.released_after_restart:
            log.warning(
                "%d planned message(s) were being sent when the bot last stopped; "
                "they are sent again (one may arrive twice)",
                self.released_after_restart,
            )

    async def tick(self, now: datetime) -> TickReport:
        report = TickReport()
        services = self._services
        coordination = services.store.coordination
        coordination.heartbeat(self.instance, now)
        report.taken_over = services.store.outbox.take_over_lapsed(now)
        if report.taken_over:
            log.warning(
                "%d message(s) claimed by an instance that stopped are sent again "
                "(one may arrive twice)",
                report.taken_over,
            )
        if coordination.acquire(PLANNER, self.instance, now, self._lease):
            # Planning everyone takes a while with many patients: off the event loop, so
            # replies to patients (a crisis reply above all) are never kept waiting by it.
            await asyncio.to_thread(self._plan_if_due, now)
        else:
            self._planned_at = None  # another instance plans; plan at once if that changes
        report.missed = services.store.outbox.mark_missed(now)
        services.store.expire_responses(now)
        await self._send_due(now, report)
        if coordination.acquire(CLINICIANS, self.instance, now, self._lease):
            report.clinician_messages = await self._clinicians.tick(now)
        self.last_tick_at = now
        return report

    def stop(self) -> None:
        """Hand back the shared leases, so another instance takes over without waiting."""
        for name in (PLANNER, CLINICIANS):
            self._services.store.coordination.release(name, self.instance)

    def _plan_if_due(self, now: datetime) -> None:
        """The days ahead, every ten minutes (and whenever the clock jumps backwards)."""
        if self._planned_at is not None and PLAN_EVERY > now - self._planned_at >= timedelta(0):
            return
        self._services.scheduler.plan_everyone()
        self._services.alerts.look_for_silence()
        self._planned_at = now

    async def _send_due(self, now: datetime, report: TickReport) -> None:
        coordination = self._services.store.coordination
        outbox = self._services.store.outbox
        report.held_until = coordination.held_until(FLOOD_WAIT, now)
        if report.held_until is not None:
            return
        instances = coordination.live_instances(now, ALIVE_WITHIN)
        if self._limiter is not None:
            self._limiter.share_among(instances)
        budget = max(1, self._services.settings.scheduled_per_second // instances)
        sent_now: set[int] = set()  # patients: one message a second in a chat
        while budget > 0:
            batch = outbox.claim_due(
                now, min(budget, CLAIM_BATCH), self.instance, self._lease, not_for=sent_now
            )
            if not batch:
                return
            for position, row in enumerate(batch):
                assert row.id is not None
                if row.patient_id in sent_now:
                    outbox.unclaim(row.id)
                    continue
                budget -= 1
                outcome = await self._deliver(row, now, report)
                if outcome is Sent.YES:
                    sent_now.add(row.patient_id)
                elif outcome is Sent.SLOW_DOWN:
                    for unsent in batch[position + 1 :]:
                        outbox.unclaim(unsent.id or 0)
                    return

    async def _deliver(self, row: OutboxMessage, now: datetime, report: TickReport) -> Sent:
        assert row.id is not None
        services = self._services
        outbox = services.store.outbox
        patient = services.store.patient(row.patient_id)
        if patient is None or not patient.active:
            outbox.finish(row.id, Status.CANCELLED, reason="the patient is not reachable")
            report.skipped += 1
            return Sent.NO
        if services.scheduler.is_paused(patient, now):
            outbox.finish(row.id, Status.SKIPPED, reason="paused")
            report.skipped += 1
            return Sent.NO
        try:
            message = compose(services, row, patient)
        except Exception as error:  # a broken template must not leave the row half-claimed
            outbox.finish(
                row.id, Status.FAILED, reason=f"could not be written: {type(error).__name__}"
            )
            report.failed += 1
            log.error("a planned message could not be written: %s\n%s", *describe(error))
            return Sent.NO
        if isinstance(message, Later):
            outbox.retry_at(row.id, now + message.wait, reason=message.reason)
            report.deferred += 1
            return Sent.NO
        if isinstance(message, NotNeeded):
            outbox.finish(row.id, Status.SKIPPED, reason=message.reason)
            report.skipped += 1
            return Sent.NO
        try:
            sent = await self._send(patient, message)
        except RetryAfter as refused:
            # Flood control is for the whole bot: every instance pauses scheduled sending.
            until = now + timedelta(seconds=retry_after_seconds(refused))
            outbox.retry_at(row.id, until, reason="Telegram asked us to slow down")
            services.store.coordination.hold_until(FLOOD_WAIT, self.instance, until)
            report.retried += 1
            return Sent.SLOW_DOWN
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
            return Sent.YES
        return Sent.NO

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
        attempts = row.attempts  # the claim counted this attempt
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
