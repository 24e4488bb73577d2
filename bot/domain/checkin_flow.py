"""The daily check-in: mood, then pain, then an optional note, one entry per local date.

The local date is fixed when the check-in starts, so an entry begun at 23:58 and finished after
midnight still counts for the day it was begun.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.clock import Clock
from bot.domain.answers import SCALE_MAX, SCALE_MIN, InvalidAnswer, Problem
from bot.domain.checkins import RECENT_DAYS, Comparison, compare_with_recent
from bot.domain.conversations import Conversations
from bot.domain.onboarding import require_id
from bot.domain.steps import CHECKIN_STEPS, Step
from bot.domain.timezones import local_date
from bot.storage import CheckIn, Conversation, Patient, Store

# Steps that answer today's check-in (offering to replace it is not one of them).
ANSWER_STEPS = CHECKIN_STEPS - {Step.CHECKIN_REPLACE}
# A mood this low is followed by a direct, kind question about thoughts of self-harm:
# asking does not raise risk (Dazzi et al., Psychological Medicine 2014).
LOW_MOOD = 1


@dataclass(frozen=True)
class Saved:
    checkin: CheckIn
    replaced: bool
    comparison: Comparison | None


class CheckInFlow:
    def __init__(self, store: Store, clock: Clock, conversations: Conversations) -> None:
        self._store = store
        self._clock = clock
        self._conversations = conversations

    def today(self, patient: Patient) -> date:
        return local_date(self._clock.now(), _zone(patient))

    def start(self, patient: Patient) -> Conversation:
        """Carry on with today's unfinished check-in, begin one, or offer to replace today's."""
        today = self.today(patient)
        current = self._conversations.current(require_id(patient))
        if current.step in ANSWER_STEPS and current.draft.get("local_date") == today.isoformat():
            return current
        existing = self._store.checkin_on(require_id(patient), today)
        step = Step.CHECKIN_REPLACE if existing else Step.CHECKIN_MOOD
        return self._conversations.begin(require_id(patient), step, local_date=today.isoformat())

    def replace(self, conversation: Conversation) -> Conversation:
        return self._conversations.advance(conversation, Step.CHECKIN_MOOD)

    def keep(self, conversation: Conversation) -> Conversation:
        return self._conversations.finish(conversation)

    def explain_mood_once(self, patient: Patient) -> bool:
        """True the first time a patient is asked for their mood, so the scale is explained once."""
        if patient.mood_explained:
            return False
        patient.mood_explained = True
        patient.updated_at = self._clock.now()
        self._store.save_patient(patient)
        return True

    def answer_mood(self, conversation: Conversation, mood: int) -> Conversation:
        """Pain comes next, unless so low a mood first calls for the follow-up question."""
        step = Step.CHECKIN_MOOD_FOLLOW_UP if _on_scale(mood) <= LOW_MOOD else Step.CHECKIN_PAIN
        return self._conversations.advance(conversation, step, mood=mood)

    def answer_follow_up(self, conversation: Conversation, harm_thoughts: bool) -> Conversation:
        """Either answer moves on to pain; a "yes" is handled by the safety service first."""
        return self._conversations.advance(
            conversation, Step.CHECKIN_PAIN, harm_thoughts=harm_thoughts
        )

    def answer_pain(
        self, conversation: Conversation, pain: int, ask_headache: bool = False
    ) -> Conversation:
        """Clinics that count headache days ask two yes/no questions before the note."""
        step = Step.CHECKIN_HEADACHE if ask_headache else Step.CHECKIN_NOTE
        return self._conversations.advance(conversation, step, pain=_on_scale(pain))

    def answer_headache(self, conversation: Conversation, headache: bool) -> Conversation:
        step = Step.CHECKIN_MEDICINE if headache else Step.CHECKIN_NOTE
        return self._conversations.advance(
            conversation, step, headache=headache, medicine=False if not headache else None
        )

    def answer_medicine(self, conversation: Conversation, medicine: bool) -> Conversation:
        return self._conversations.advance(conversation, Step.CHECKIN_NOTE, medicine=medicine)

    def answer_note(self, patient: Patient, conversation: Conversation, note: str | None) -> Saved:
        """Store the entry (replacing the day's earlier one) and close the exchange."""
        day = date.fromisoformat(conversation.draft["local_date"])
        now = self._clock.now()
        earlier = self._store.checkins_between(
            require_id(patient), day - timedelta(days=RECENT_DAYS), day - timedelta(days=1)
        )
        checkin, replaced = self._store.save_checkin(
            CheckIn(
                patient_id=require_id(patient),
                local_date=day,
                mood=conversation.draft["mood"],
                pain=conversation.draft["pain"],
                headache=conversation.draft.get("headache"),
                medicine=conversation.draft.get("medicine"),
                note=note.strip() if note and note.strip() else None,
                recorded_at=now,
                updated_at=now,
            )
        )
        self._conversations.finish(conversation)
        return Saved(checkin, replaced, compare_with_recent(checkin.mood, checkin.pain, earlier))


def _on_scale(value: int) -> int:
    if not SCALE_MIN <= value <= SCALE_MAX:
        raise InvalidAnswer(Problem.OUT_OF_RANGE)
    return value


def _zone(patient: Patient) -> str:
    if patient.timezone is None:
        raise ValueError("a check-in needs the patient's time zone; finish onboarding first")
    return patient.timezone
