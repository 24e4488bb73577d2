"""What the bot does with a screening match: store the event for a consented patient, or not.

Only the rule that matched and the time are kept, never what the person wrote. Before consent
nothing about the person is stored at all; the reply is still given.
"""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.domain.alerts import AlertDesk
from bot.domain.safety import Concern, Match, Screener
from bot.storage import Patient, SafetyEvent, Store

log = logging.getLogger(__name__)
LOW_MOOD_RULE = "low-mood-follow-up-yes"


class SafetyDesk:
    def __init__(self, store: Store, clock: Clock, screener: Screener, alerts: AlertDesk) -> None:
        self._store = store
        self._clock = clock
        self.screener = screener
        self._alerts = alerts

    def screen(self, text: str) -> Match | None:
        return self.screener.screen(text)

    def record(self, patient: Patient | None, match: Match) -> SafetyEvent | None:
        """Store the event for a consented patient; otherwise only log that a rule matched."""
        if patient is None or patient.id is None:
            log.warning("safety: %s rule %s matched before consent; nothing stored",
                        match.concern, match.rule_id)  # fmt: skip
            return None
        event = self._store.record_safety_event(
            SafetyEvent(
                patient_id=patient.id,
                occurred_at=self._clock.now(),
                concern=match.concern,
                rule_id=match.rule_id,
            )
        )
        log.warning("safety event %s: %s (rule %s)", event.id, match.concern, match.rule_id)
        # The clinic hears of it through an alert; the dispatcher sends it within a second.
        self._alerts.safety_concern(patient, match.concern)
        return event

    def record_low_mood_yes(self, patient: Patient) -> SafetyEvent | None:
        return self.record(patient, Match(Concern.CRISIS, LOW_MOOD_RULE))
