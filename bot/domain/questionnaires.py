"""Taking a questionnaire in the chat: one item at a time, resumable, scored when complete.

The answers so far live in the response row, so an interrupted questionnaire carries on where
it stopped (the conversation only says which response is open). One past its time is recorded
as incomplete and never scored as if complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.domain.conversations import Conversations
from bot.domain.instruments import Instrument, Score, score
from bot.domain.onboarding import require_id
from bot.domain.steps import Step
from bot.storage import Conversation, Patient, QuestionnaireResponse, Store

DEFAULT_TIME_TO_ANSWER = timedelta(days=2)
PHQ_RISE = 5  # a PHQ-9 rise of this much from the previous score alerts the clinic
PHQ_SEVERE = 20


class Status(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class Answered:
    response: QuestionnaireResponse
    conversation: Conversation
    crisis: bool  # the crisis item was answered 1 or more: the crisis path comes first
    score: Score | None  # set once the last item is answered


class Questionnaires:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        conversations: Conversations,
        instruments: Mapping[str, Instrument],
    ) -> None:
        self._store = store
        self._clock = clock
        self._conversations = conversations
        self.instruments = instruments

    def for_patient(self, patient: Patient, key: str) -> Instrument | None:
        """PHQ-9 becomes PHQ-8 where the clinic has no same-day follow-up."""
        clinic = self._store.clinics.clinic_of(patient) if key == "phq9" else None
        if clinic is not None and clinic.use_phq8:
            key = "phq8"
        return self.instruments.get(key)

    def start(
        self, patient: Patient, instrument: Instrument, time_to_answer: timedelta | None = None
    ) -> Conversation:
        now = self._clock.now()
        response = self._store.save_response(
            QuestionnaireResponse(
                patient_id=require_id(patient),
                instrument=instrument.key,
                status=Status.IN_PROGRESS,
                answers=[],
                started_at=now,
                expires_at=now + (time_to_answer or DEFAULT_TIME_TO_ANSWER),
            )
        )
        return self._conversations.begin(
            require_id(patient), Step.QUESTIONNAIRE, response_id=response.id
        )

    def open_response(self, patient: Patient) -> QuestionnaireResponse | None:
        """The latest questionnaire still being answered, if any."""
        open_ones = [
            r for r in self._store.responses(require_id(patient)) if r.status == Status.IN_PROGRESS
        ]
        return open_ones[-1] if open_ones else None

    def resume(self, patient: Patient, response: QuestionnaireResponse) -> Conversation:
        return self._conversations.begin(
            require_id(patient), Step.QUESTIONNAIRE, response_id=response.id
        )

    def settle(self, patient: Patient) -> Conversation:
        """The patient's conversation, closed first if its questionnaire expired meanwhile."""
        conversation = self._conversations.current(require_id(patient))
        if conversation.step == Step.QUESTIONNAIRE and self.current(conversation) is None:
            conversation = self._conversations.finish(conversation)
        return conversation

    def current(
        self, conversation: Conversation
    ) -> tuple[QuestionnaireResponse, Instrument] | None:
        response = self._store.response(int(conversation.draft.get("response_id", 0)))
        if response is None or response.status != Status.IN_PROGRESS:
            return None
        instrument = self.instruments.get(response.instrument)
        return (response, instrument) if instrument is not None else None

    def answer(self, conversation: Conversation, value: int) -> Answered | None:
        """Record the answer to the current item; None if the value is not one of its options."""
        found = self.current(conversation)
        if found is None:
            return None
        response, instrument = found
        if instrument.option(value) is None:
            return None
        response.answers = [*response.answers, value]
        item = len(response.answers)
        crisis = instrument.crisis_item == item and value >= 1
        result = None
        if item == len(instrument.items):
            result = self._complete(response, instrument)
            conversation = self._conversations.finish(conversation)
        else:
            response = self._store.save_response(response)
            conversation = self._conversations.advance(conversation, Step.QUESTIONNAIRE)
        return Answered(response, conversation, crisis, result)

    def back(self, conversation: Conversation) -> Conversation:
        """Take back the last answer, to give it again."""
        found = self.current(conversation)
        if found is not None and found[0].answers:
            response = found[0]
            response.answers = response.answers[:-1]
            self._store.save_response(response)
        return self._conversations.advance(conversation, Step.QUESTIONNAIRE)

    def _complete(self, response: QuestionnaireResponse, instrument: Instrument) -> Score:
        earlier = [
            r
            for r in self._store.responses(response.patient_id, instrument.key)
            if r.status == Status.COMPLETE
        ]
        result = score(instrument, response.answers, earlier[0].total if earlier else None)
        response.status, response.total, response.band = Status.COMPLETE, result.total, result.band
        response.completed_at = self._clock.now()
        self._store.save_response(response)
        return result

    def worrying_rise(self, response: QuestionnaireResponse) -> bool:
        """A PHQ-9 of 20 or more, or 5 or more above the previous one: a same-day alert."""
        if response.instrument not in ("phq9", "phq8") or response.total is None:
            return False
        earlier = [
            r
            for r in self._store.responses(response.patient_id, response.instrument)
            if r.status == Status.COMPLETE and r.id != response.id
        ]
        if response.total >= PHQ_SEVERE:
            return True
        return bool(earlier) and response.total - (earlier[-1].total or 0) >= PHQ_RISE

    def latest_scores(self, patient: Patient) -> list[dict[str, object]]:
        """Each instrument's first and latest complete score, for summaries and reports."""
        rows = []
        for key, instrument in self.instruments.items():
            done = [
                r
                for r in self._store.responses(require_id(patient), key)
                if r.status == Status.COMPLETE
            ]
            if not done:
                continue
            first, latest = done[0], done[-1]
            result = score(instrument, latest.answers, first.total if len(done) > 1 else None)
            rows.append(
                {
                    "name": instrument.name,
                    "total": latest.total,
                    "band": latest.band,
                    "first": first.total,
                    "change": (latest.total or 0) - (first.total or 0),
                    "response": result.response,
                    "remission": result.remission,
                    "when": latest.completed_at,
                }
            )
        return rows
