"""Joining: consent first, then time zone, then the daily check-in time.

Nothing about a person is stored until they accept the consent text; a refusal stores only the
refusal. Where a patient is in onboarding is derived from what is still missing, so a restart,
a repeated /start or an old button can never skip or repeat a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from bot.clock import Clock
from bot.domain.conversations import Conversations
from bot.domain.steps import Step
from bot.domain.timezones import ZoneChoice
from bot.storage import ConsentRecord, Conversation, Patient, Store


class ConsentOutcome(StrEnum):
    JOINED = "joined"  # a new patient
    RENEWED = "renewed"  # an existing patient agreed to a newer version
    ALREADY_GIVEN = "already_given"  # the same button pressed twice
    OUTDATED = "outdated"  # a button from an older consent text


@dataclass(frozen=True)
class ConsentAnswer:
    outcome: ConsentOutcome
    patient: Patient | None
    conversation: Conversation | None = None  # set when consent was given now


def require_id(patient: Patient) -> int:
    if patient.id is None:
        raise ValueError("patient has not been stored yet")
    return patient.id


def is_set_up(patient: Patient) -> bool:
    return patient.timezone is not None and patient.checkin_time is not None


def pending_setup_step(patient: Patient) -> Step | None:
    """The onboarding question still to be answered, if any."""
    if patient.timezone is None:
        return Step.ONBOARDING_TIMEZONE
    if patient.checkin_time is None:
        return Step.ONBOARDING_CHECKIN_TIME
    return None


@dataclass(frozen=True)
class Placement:
    clinic_id: int
    code: str


class Onboarding:
    def __init__(
        self, store: Store, clock: Clock, conversations: Conversations, consent_version: int
    ) -> None:
        self._store = store
        self._clock = clock
        self._conversations = conversations
        self.consent_version = consent_version

    def find(self, telegram_user_id: int) -> Patient | None:
        return self._store.patient_by_telegram_id(telegram_user_id)

    def needs_consent(self, patient: Patient | None) -> bool:
        return patient is None or patient.consent_version < self.consent_version

    def accept_consent(
        self,
        telegram_user_id: int,
        chat_id: int,
        first_name: str,
        version: int,
        placement: Placement | None = None,
    ) -> ConsentAnswer:
        """``placement``: the clinic (and code there) a new patient joins."""
        patient = self.find(telegram_user_id)
        if version != self.consent_version:
            return ConsentAnswer(ConsentOutcome.OUTDATED, patient)
        if patient is not None and not self.needs_consent(patient):
            return ConsentAnswer(ConsentOutcome.ALREADY_GIVEN, patient)
        now = self._clock.now()
        self._store.record_consent(
            ConsentRecord(
                telegram_user_id=telegram_user_id,
                consent_version=version,
                decision="accepted",
                decided_at=now,
            )
        )
        outcome = ConsentOutcome.JOINED if patient is None else ConsentOutcome.RENEWED
        if patient is None:
            patient = Patient(telegram_user_id=telegram_user_id, created_at=now)
        if placement is not None and patient.clinic_id is None:
            patient.clinic_id, patient.code = placement.clinic_id, placement.code
        patient.chat_id = chat_id
        patient.first_name = first_name[:64]
        patient.consent_version = version
        patient.consented_at = now
        patient.updated_at = now
        patient = self._store.save_patient(patient)
        return ConsentAnswer(outcome, patient, self.resume_setup(patient))

    def decline_consent(self, telegram_user_id: int, version: int) -> Patient | None:
        """Record the refusal; an existing patient's earlier entries are left untouched."""
        self._store.record_consent(
            ConsentRecord(
                telegram_user_id=telegram_user_id,
                consent_version=version,
                decision="declined",
                decided_at=self._clock.now(),
            )
        )
        return self.find(telegram_user_id)

    def resume_setup(self, patient: Patient) -> Conversation:
        """Put the patient back on the onboarding question they still have to answer."""
        conversation = self._conversations.current(require_id(patient))
        step = pending_setup_step(patient)
        if step is None or conversation.step == step:
            return conversation
        return self._conversations.begin(require_id(patient), step)

    def change_setting(self, patient: Patient, step: Step) -> Conversation:
        return self._conversations.begin(require_id(patient), step)

    def choose_timezone(
        self, patient: Patient, conversation: Conversation, choice: ZoneChoice
    ) -> tuple[Patient, Conversation]:
        patient.timezone = choice.name
        patient = self._save(patient)
        if conversation.step == Step.ONBOARDING_TIMEZONE:
            return patient, self.resume_setup(patient)
        return patient, self._conversations.finish(conversation)

    def choose_checkin_time(
        self, patient: Patient, conversation: Conversation, checkin_time: time
    ) -> tuple[Patient, bool]:
        """Save the time; True when this completed onboarding."""
        patient.checkin_time = checkin_time
        completed = patient.onboarded_at is None and is_set_up(patient)
        if completed:
            patient.onboarded_at = self._clock.now()
        patient = self._save(patient)
        self._conversations.finish(conversation)
        return patient, completed

    def _save(self, patient: Patient) -> Patient:
        patient.updated_at = self._clock.now()
        return self._store.save_patient(patient)
