"""A patient's data as theirs to see, take and delete: figures, exports and leaving."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from bot.clock import Clock
from bot.domain.local_time import to_local
from bot.domain.onboarding import require_id
from bot.domain.planning import Status
from bot.domain.progress import Progress, Span, progress
from bot.storage import CheckIn, Patient, Store

CSV_COLUMNS = ("date", "mood", "pain", "note", "recorded_at_utc")


class PatientData:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def today(self, patient: Patient) -> date:
        return to_local(self._clock.now(), patient.timezone or "UTC").date()

    def figures(self, patient: Patient, span: Span) -> tuple[Progress, list[date]]:
        checkins = self._checkins(patient)
        sessions = self.session_days(patient)
        return progress(checkins, sessions, self.today(patient), span), sessions

    def session_days(self, patient: Patient) -> list[date]:
        zone = patient.timezone or "UTC"
        return [
            to_local(s.ended_at, zone).date()
            for s in self._store.sessions(require_id(patient))
            if s.ended_at is not None
        ]

    def checkins_csv(self, patient: Patient) -> bytes:
        """One row per check-in, oldest first, with the note."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for c in self._checkins(patient):
            writer.writerow(
                [c.local_date.isoformat(), c.mood, c.pain, c.note or "", c.recorded_at.isoformat()]
            )
        return buffer.getvalue().encode("utf-8")

    def everything_json(self, patient: Patient) -> bytes:
        """Everything the bot keeps about the patient, in one readable file."""
        patient_id = require_id(patient)
        data: dict[str, Any] = {
            "exported_at_utc": self._clock.now().isoformat(),
            "profile": {
                "first_name": patient.first_name,
                "time_zone": patient.timezone,
                "checkin_time": patient.checkin_time.isoformat() if patient.checkin_time else None,
                "joined_at_utc": patient.consented_at.isoformat(),
                "consent_version": patient.consent_version,
                "clinic_code": patient.code,
                "journal_shared_with_clinic": patient.share_journal,
                "paused": patient.paused,
            },
            "consent_records": [
                {
                    "version": r.consent_version,
                    "decision": r.decision,
                    "at_utc": r.decided_at.isoformat(),
                }
                for r in self._store.consent_records(patient.telegram_user_id)
            ],
            "checkins": [
                {"date": c.local_date.isoformat(), "mood": c.mood, "pain": c.pain, "note": c.note}
                for c in self._checkins(patient)
            ],
            "sessions": [
                {
                    "number": s.number,
                    "protocol": s.protocol,
                    "booked_for_utc": s.planned_for.isoformat() if s.planned_for else None,
                    "ended_at_utc": s.ended_at.isoformat() if s.ended_at else None,
                }
                for s in self._store.sessions(patient_id)
            ],
            "journal": [
                {"written_at_utc": e.written_at.isoformat(), "text": e.text, "score": e.score}
                for e in reversed(self._store.journal(patient_id, 100_000))
            ],
            "safety_plan": {str(p.part): p.text for p in self._store.safety_plan(patient_id)},
            "messages_received": [
                {
                    "sent_at_utc": row.sent_at.isoformat() if row.sent_at else None,
                    "kind": row.kind,
                    "step": row.step_id,
                }
                for row in self._store.outbox.for_patient(patient_id)
                if row.status == Status.SENT
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")

    def _checkins(self, patient: Patient) -> list[CheckIn]:
        return self._store.checkins_between(require_id(patient), date.min, date.max)
