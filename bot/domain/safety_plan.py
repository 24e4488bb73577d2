"""A patient's own safety plan: six parts, written one at a time, kept in their words.

Writing goes through all six parts in order (any may be skipped), or through one part when a
patient edits it later. Each answer is saved as it is given, so stopping halfway loses nothing.
"""

from __future__ import annotations

from bot.clock import Clock
from bot.domain.conversations import Conversations
from bot.domain.onboarding import require_id
from bot.domain.steps import Step
from bot.storage import Conversation, Patient, SafetyPlanPart, Store

# The standard plan has six parts (Stanley & Brown's Safety Planning Intervention).
PARTS = 6
MAX_PART_LENGTH = 1000


class SafetyPlans:
    def __init__(self, store: Store, clock: Clock, conversations: Conversations) -> None:
        self._store = store
        self._clock = clock
        self._conversations = conversations

    def parts(self, patient: Patient) -> dict[int, str]:
        """Part number (1-6) to the patient's text, for the parts they have written."""
        return {row.part: row.text for row in self._store.safety_plan(require_id(patient))}

    def has_plan(self, patient: Patient) -> bool:
        return bool(self.parts(patient))

    def begin(self, patient: Patient, part: int = 1, *, whole: bool = True) -> Conversation:
        """Start writing: every part from ``part`` on, or just that one part."""
        if not 1 <= part <= PARTS:
            raise ValueError(f"a safety plan has parts 1 to {PARTS}")
        return self._conversations.begin(
            require_id(patient), Step.SAFETY_PLAN_PART, part=part, whole=whole
        )

    def answer(
        self, patient: Patient, conversation: Conversation, text: str | None
    ) -> Conversation:
        """Save the part (None skips it) and move to the next one, or finish."""
        part = int(conversation.draft["part"])
        if text is not None and text.strip():
            self._store.save_safety_plan_part(
                SafetyPlanPart(
                    patient_id=require_id(patient),
                    part=part,
                    text=text.strip()[:MAX_PART_LENGTH],
                    updated_at=self._clock.now(),
                )
            )
        if conversation.draft.get("whole") and part < PARTS:
            return self._conversations.advance(conversation, Step.SAFETY_PLAN_PART, part=part + 1)
        return self._conversations.finish(conversation)

    def stop(self, conversation: Conversation) -> Conversation:
        return self._conversations.finish(conversation)
