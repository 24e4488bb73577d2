"""What each kind of outbox row says when it falls due, or why it is no longer needed.

This is the one place that turns a row into words and buttons; the dispatcher only sends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from telegram import InlineKeyboardMarkup

from bot.domain.checkins import RECENT_DAYS
from bot.domain.local_time import to_local
from bot.domain.onboarding import require_id
from bot.domain.planning import Kind
from bot.domain.protocols import PromptContext
from bot.domain.steps import Step
from bot.handlers import keyboards
from bot.handlers.questionnaire import item_message
from bot.handlers.replies import clinic_variables
from bot.render import Message
from bot.services import Services
from bot.storage import Conversation, OutboxMessage, Patient


@dataclass(frozen=True)
class Outgoing:
    text: str
    keyboard: InlineKeyboardMarkup | None = None
    reply_to: int | None = None
    # The check-in whose question this message asks, so its buttons stay the live ones.
    question_of: Conversation | None = None
    reminder_after: timedelta | None = field(default=None)


@dataclass(frozen=True)
class NotNeeded:
    reason: str


@dataclass(frozen=True)
class Later:
    """Not now: another question is waiting for an answer; try again after ``wait``."""

    wait: timedelta
    reason: str


BUSY_WAIT = timedelta(hours=1)
STALE_QUESTION = timedelta(hours=12)


def compose(
    services: Services, row: OutboxMessage, patient: Patient
) -> Outgoing | NotNeeded | Later:
    if row.kind == Kind.CHECKIN:
        return _checkin(services, row, patient)
    if row.kind == Kind.QUESTIONNAIRE:
        return _questionnaire(services, row, patient)
    if row.kind == Kind.PROMPT:
        return _prompt(services, row, patient)
    return _reminder(services, row, patient)


def _checkin(services: Services, row: OutboxMessage, patient: Patient) -> Outgoing | NotNeeded:
    if row.local_date is None or services.store.checkin_on(require_id(patient), row.local_date):
        return NotNeeded("already checked in today")
    current = services.questionnaires.settle(patient)
    if current.step in (Step.CHECKIN_PAIN, Step.CHECKIN_NOTE, Step.CHECKIN_MOOD_FOLLOW_UP):
        return NotNeeded("a check-in is already under way")
    conversation = services.checkins.start(patient)
    minutes = services.settings.checkin_reminder_minutes
    return Outgoing(
        text=services.prompts.renderer.message(
            Message.CHECKIN_DUE,
            first_name=patient.first_name,
            explain=services.checkins.explain_mood_once(patient),
        ),
        keyboard=keyboards.score(conversation.token, keyboards.MOOD_PREFIX),
        question_of=conversation,
        reminder_after=timedelta(minutes=minutes) if minutes else None,
    )


def _prompt(services: Services, row: OutboxMessage, patient: Patient) -> Outgoing | NotNeeded:
    session = services.store.session(row.session_id) if row.session_id else None
    version = session.protocol_version if session is not None else None
    if session is None and row.protocol:  # a recurring step: the clinic's current version
        version = (
            services.scheduler.catalog.current(patient.clinic_id, row.protocol) or (None, None)
        )[1]
    protocol = services.scheduler.session_protocol(patient, row.protocol, version)
    step = protocol.step(row.step_id or "")
    if step is None:
        return NotNeeded("the step is no longer in the protocol")
    contact = services.clinics.contact(patient.clinic_id, services.settings.clinic_contact)
    if step.template is None:
        return NotNeeded("the step is a questionnaire, planned as one")
    text = services.prompts.renderer.prompt(
        step.template,
        **clinic_variables(contact),
        **prompt_context(services, row, patient).variables(),
    )
    keyboard = keyboards.prompt_buttons(services.prompts.ui, require_row_id(row), step.buttons)
    return Outgoing(text=text, keyboard=keyboard, reminder_after=step.reminder_after)


def _questionnaire(
    services: Services, row: OutboxMessage, patient: Patient
) -> Outgoing | NotNeeded | Later:
    """A questionnaire starts only when no other question is waiting for an answer."""
    key = row.step_id or ""
    reminder_after = None
    if row.protocol:
        step = services.scheduler.session_protocol(patient, row.protocol, None).step(key)
        if step is None or step.instrument is None:
            return NotNeeded("the step is no longer in the protocol")
        key, reminder_after = step.instrument, step.reminder_after
    instrument = services.questionnaires.for_patient(patient, key)
    if instrument is None:
        return NotNeeded("no such questionnaire any more")
    started = services.questionnaires.open_response(patient)
    if started is not None and started.instrument == instrument.key and not started.answers:
        # Begun for this row before a send that failed (a 429, a timeout): carry on with it.
        conversation = services.questionnaires.resume(patient, started)
    elif _busy(services, patient):
        return Later(BUSY_WAIT, "another question is waiting for an answer")
    else:
        conversation = services.questionnaires.start(
            patient, instrument, row.expires_at - services.clock.now()
        )
    message = item_message(services, conversation)
    assert message is not None
    return Outgoing(
        text=message[0],
        keyboard=message[1],
        question_of=conversation,
        reminder_after=reminder_after,
    )


def prompt_context(services: Services, row: OutboxMessage, patient: Patient) -> PromptContext:
    now = services.clock.now()
    session = services.store.session(row.session_id) if row.session_id else None
    days_since = None
    if session is not None and session.ended_at is not None and patient.timezone:
        days_since = (
            to_local(now, patient.timezone).date()
            - to_local(session.ended_at, patient.timezone).date()
        ).days
    today = services.checkins.today(patient)
    recent = services.store.checkins_between(
        require_id(patient), today - timedelta(days=RECENT_DAYS - 1), today
    )
    return PromptContext(
        first_name=patient.first_name,
        session_number=session.number if session is not None else None,
        days_since_session=days_since,
        mood_average=_average([c.mood for c in recent]),
        pain_average=_average([c.pain for c in recent]),
    )


def _reminder(services: Services, row: OutboxMessage, patient: Patient) -> Outgoing | NotNeeded:
    original = services.store.outbox.get(row.reminder_of) if row.reminder_of else None
    if original is None or original.answered_at is not None:
        return NotNeeded("answered")
    renderer = services.prompts.renderer
    if original.kind == Kind.QUESTIONNAIRE:
        return _questionnaire_reminder(services, patient)
    if original.kind != Kind.CHECKIN:
        return Outgoing(
            text=renderer.message(Message.PROMPT_REMINDER, first_name=patient.first_name),
            reply_to=original.telegram_message_id,
        )
    if original.local_date is None or services.store.checkin_on(
        require_id(patient), original.local_date
    ):
        return NotNeeded("already checked in today")
    current = services.conversations.current(require_id(patient))
    if current.step != Step.CHECKIN_MOOD:
        return NotNeeded("the check-in was started or closed")
    return Outgoing(
        text=renderer.message(Message.CHECKIN_REMINDER, first_name=patient.first_name),
        keyboard=keyboards.score(current.token, keyboards.MOOD_PREFIX),
        question_of=current,
    )


def _questionnaire_reminder(services: Services, patient: Patient) -> Outgoing | NotNeeded | Later:
    """Carry on where they left off, if the questionnaire is still open."""
    response = services.questionnaires.open_response(patient)
    if response is None:
        return NotNeeded("answered")
    if services.questionnaires.settle(patient).step != Step.QUESTIONNAIRE and _busy(
        services, patient
    ):
        return Later(BUSY_WAIT, "another question is waiting for an answer")
    conversation = services.questionnaires.resume(patient, response)
    message = item_message(services, conversation)
    if message is None:
        return NotNeeded("answered")
    text = services.prompts.renderer.message(Message.QUESTIONNAIRE_REMINDER) + "\n\n" + message[0]
    return Outgoing(text=text, keyboard=message[1], question_of=conversation)


def _busy(services: Services, patient: Patient) -> bool:
    """Another question waits for its answer: a questionnaire starts after it. A check-in of an
    earlier day, or anything left unanswered for half a day, no longer holds it back."""
    conversation = services.questionnaires.settle(patient)
    if conversation.step == Step.IDLE:
        return False
    if conversation.draft.get("local_date", services.checkins.today(patient).isoformat()) < (
        services.checkins.today(patient).isoformat()
    ):
        return False
    return services.clock.now() - conversation.updated_at < STALE_QUESTION


def _average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def require_row_id(row: OutboxMessage) -> int:
    if row.id is None:
        raise ValueError("an outbox row must be stored before it is sent")
    return row.id
