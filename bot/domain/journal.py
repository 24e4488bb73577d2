"""The journal: what patients write back to their integration prompts.

A reply belongs to a prompt when it is a Telegram reply to that prompt's message, when it is
written after pressing the prompt's "write about it" button, or when it is free text within a
few hours of the latest prompt while no other question is waiting for an answer.
"""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock
from bot.domain.onboarding import require_id
from bot.domain.planning import Kind, Status
from bot.storage import JournalEntry, OutboxMessage, Patient, Store

RECENT_ENTRIES = 5


class Journal:
    def __init__(self, store: Store, clock: Clock, window: timedelta) -> None:
        self._store = store
        self._clock = clock
        self._window = window

    def prompt(self, patient: Patient, row_id: int) -> OutboxMessage | None:
        """The patient's own sent prompt with this id (never anyone else's)."""
        row = self._store.outbox.get(row_id)
        if row is None or row.patient_id != patient.id or not _sent_prompt(row):
            return None
        return row

    def prompt_replied_to(self, patient: Patient, message_id: int) -> OutboxMessage | None:
        row = self._store.outbox.by_message_id(require_id(patient), message_id)
        return row if row is not None and _sent_prompt(row) else None

    def recent_prompt(self, patient: Patient) -> OutboxMessage | None:
        """The latest prompt, if it went out within the window."""
        row = self._store.outbox.latest_sent_prompt(require_id(patient))
        if row is None or row.sent_at is None:
            return None
        return row if self._clock.now() - row.sent_at <= self._window else None

    def write(
        self,
        patient: Patient,
        prompt: OutboxMessage,
        *,
        text: str | None = None,
        score: int | None = None,
    ) -> JournalEntry:
        now = self._clock.now()
        entry = self._store.add_journal_entry(
            JournalEntry(
                patient_id=require_id(patient),
                outbox_id=prompt.id,
                session_id=prompt.session_id,
                text=text.strip() if text and text.strip() else None,
                score=score,
                written_at=now,
            )
        )
        if prompt.id is not None:
            self._store.outbox.mark_answered(prompt.id, now)
        return entry

    def recent(self, patient: Patient) -> list[JournalEntry]:
        return self._store.journal(require_id(patient), RECENT_ENTRIES)


def _sent_prompt(row: OutboxMessage) -> bool:
    return row.kind == Kind.PROMPT and row.status == Status.SENT
