"""Where each patient is in a multi-step exchange, kept in the database.

A conversation has a step and a token. The token is new each time an exchange starts and is
written into the buttons of its questions, so a button pressed on an old message can be told
apart from one on the current question and answered kindly instead of recorded twice.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.clock import Clock
from bot.domain.steps import Step
from bot.storage import Conversation, Store

TOKEN_BYTES = 4


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class Conversations:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def current(self, patient_id: int) -> Conversation:
        stored = self._store.conversation(patient_id)
        if stored is not None:
            return stored
        return Conversation(
            patient_id=patient_id, step=Step.IDLE, token="", updated_at=self._clock.now()
        )

    def begin(self, patient_id: int, step: Step, **draft: Any) -> Conversation:
        """Start a new exchange; buttons of any earlier one become stale."""
        return self._save(patient_id, step, new_token(), dict(draft), question_message_id=None)

    def advance(self, conversation: Conversation, step: Step, **draft: Any) -> Conversation:
        """Move to the next step of the same exchange, keeping what was answered so far."""
        merged = {**conversation.draft, **draft}
        return self._save(
            conversation.patient_id,
            step,
            conversation.token,
            merged,
            conversation.question_message_id,
        )

    def finish(self, conversation: Conversation) -> Conversation:
        return self._save(conversation.patient_id, Step.IDLE, conversation.token, {}, None)

    def remember_question(self, conversation: Conversation, message_id: int) -> Conversation:
        """Note which message holds the live buttons, so they can be removed once answered."""
        return self._save(
            conversation.patient_id,
            Step(conversation.step),
            conversation.token,
            dict(conversation.draft),
            message_id,
        )

    def _save(
        self,
        patient_id: int,
        step: Step,
        token: str,
        draft: dict[str, Any],
        question_message_id: int | None,
    ) -> Conversation:
        return self._store.save_conversation(
            Conversation(
                patient_id=patient_id,
                step=step,
                token=token,
                draft=draft,
                question_message_id=question_message_id,
                updated_at=self._clock.now(),
            )
        )
