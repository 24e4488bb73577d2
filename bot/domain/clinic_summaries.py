"""What clinicians see: a line per patient, one patient in detail, and the daily digest.

Plain values for templates; the figures are the patient's own (averages, adherence,
baseline), computed from their local dates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import mean
from typing import Any

from bot.clock import Clock
from bot.domain.alerts import BASELINE_CHECKINS, Tier
from bot.domain.local_time import at_local, to_local
from bot.domain.planning import Status
from bot.storage import CheckIn, Clinician, Patient, Store

RECENT_DAYS = 7
ADHERENCE_DAYS = 14
UPCOMING_SHOWN = 5
JOURNAL_SHOWN = 3


@dataclass(frozen=True)
class PatientLine:
    code: str
    first_name: str
    last_checkin: date | None
    mood_average: float | None
    pain_average: float | None
    adherence: int  # percent of the last 14 local days with a check-in
    open_alerts: int
    discharged: bool


@dataclass(frozen=True)
class RosterPage:
    lines: list[PatientLine]
    number: int
    pages: int
    total: int


class ClinicSummaries:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def page(self, clinician: Clinician, number: int, size: int) -> RosterPage:
        """One page of the clinic's patients (by code); figures only for the patients shown,
        so a clinic of thousands costs no more than a clinic of ten. ``number`` is clamped
        to the pages there are."""
        patients = self._store.clinics.patients_of(clinician.clinic_id)
        pages = max(1, -(-len(patients) // size))
        number = min(max(number, 1), pages)
        shown = patients[(number - 1) * size : number * size]
        open_alerts = self._store.alerts.open_for_clinic(clinician.clinic_id) if shown else []
        latest = self._store.latest_checkin_dates([patient.id or 0 for patient in shown])
        return RosterPage(
            lines=[
                self._line(patient, open_alerts, latest.get(patient.id or 0)) for patient in shown
            ],
            number=number,
            pages=pages,
            total=len(patients),
        )

    def _line(
        self, patient: Patient, open_alerts: list[Any], last_checkin: date | None
    ) -> PatientLine:
        today = self._today(patient)
        checkins = self._store.checkins_between(
            patient.id or 0, today - timedelta(days=ADHERENCE_DAYS - 1), today
        )
        recent = [c for c in checkins if c.local_date > today - timedelta(days=RECENT_DAYS)]
        return PatientLine(
            code=patient.code or "",
            first_name=patient.first_name,
            last_checkin=last_checkin,
            mood_average=_average([c.mood for c in recent]),
            pain_average=_average([c.pain for c in recent]),
            adherence=round(100 * len(checkins) / ADHERENCE_DAYS),
            open_alerts=sum(1 for a in open_alerts if a.patient_id == patient.id),
            discharged=patient.discharged_at is not None,
        )

    def detail(self, patient: Patient) -> dict[str, Any]:
        today = self._today(patient)
        every = self._store.checkins_between(patient.id or 0, date.min, today)
        recent = [c for c in every if c.local_date > today - timedelta(days=RECENT_DAYS)]
        before = [
            c
            for c in every
            if today - timedelta(days=2 * RECENT_DAYS)
            < c.local_date
            <= today - timedelta(days=RECENT_DAYS)
        ]
        zone = patient.timezone or "UTC"
        upcoming = [
            row
            for row in self._store.outbox.for_patient(patient.id or 0)
            if row.status == Status.PLANNED
        ][:UPCOMING_SHOWN]
        journal = (
            self._store.journal(patient.id or 0, JOURNAL_SHOWN) if patient.share_journal else []
        )
        return {
            "code": patient.code or "",
            "first_name": patient.first_name,
            "discharged": patient.discharged_at is not None,
            "baseline": _baseline(every),
            "recent_pain": _average([c.pain for c in recent]),
            "recent_mood": _average([c.mood for c in recent]),
            "earlier_pain": _average([c.pain for c in before]),
            "earlier_mood": _average([c.mood for c in before]),
            "checkins": len(every),
            "sessions": [
                {
                    "number": s.number,
                    "when": _local(s.ended_at or s.planned_for, zone),
                    "done": s.ended_at is not None,
                }
                for s in self._store.sessions(patient.id or 0)
            ],
            "planned_messages": [
                {"when": _local(row.due_at, zone), "what": row.step_id or row.kind}
                for row in upcoming
            ],
            "share_journal": patient.share_journal,
            "journal": [
                {"when": _local(e.written_at, zone), "text": e.text, "score": e.score}
                for e in journal
            ],
            "protocol": patient.protocol or "",
            "checkin_time": patient.checkin_time.strftime("%H:%M") if patient.checkin_time else "",
        }

    def digest(self, clinician: Clinician, now: datetime) -> dict[str, Any]:
        """What happened since the previous digest (the first covers everything since the
        clinician was added), so nothing falls between two digests."""
        since = clinician.created_at
        if clinician.digest_sent_on is not None and clinician.digest_time is not None:
            since = at_local(clinician.digest_sent_on, clinician.digest_time, clinician.timezone)
        since = min(since, now - timedelta(days=1))
        alerts = self._store.alerts.raised_since(clinician.clinic_id, since)
        open_alerts = self._store.alerts.open_for_clinic(clinician.clinic_id)
        patients = {p.id: p for p in self._store.clinics.patients_of(clinician.clinic_id)}
        active = [p for p in patients.values() if p.discharged_at is None and p.onboarded_at]
        yesterday = {p.id: self._today(p) - timedelta(days=1) for p in active}
        checked_in = (
            self._store.clinics.checkin_days(
                clinician.clinic_id, min(yesterday.values()), max(yesterday.values())
            )
            if yesterday
            else set()
        )
        not_checked_in = [p.code for p in active if (p.id, yesterday[p.id]) not in checked_in]
        ended = Counter(self._store.clinics.sessions_ended(clinician.clinic_id, since, now))
        sessions = [p.code for p in active for _ in range(ended[p.id or 0])]

        def describe(alert: Any) -> dict[str, str]:
            patient = patients.get(alert.patient_id)
            return {
                "code": patient.code if patient else "?",
                "kind": alert.kind,
                "tier": alert.tier,
            }

        return {
            "name": clinician.name,
            "open_alerts": [describe(a) for a in open_alerts if a.tier != Tier.DIGEST],
            "new_alerts": [describe(a) for a in alerts if a.tier != Tier.DIGEST],
            "digest_items": [describe(a) for a in alerts if a.tier == Tier.DIGEST],
            "not_checked_in": not_checked_in,
            "session_codes": sessions,
            "left": [
                e.patient_code or "?"
                for e in self._store.clinics.departures_since(clinician.clinic_id, since)
            ],
        }

    def _today(self, patient: Patient) -> date:
        return to_local(self._clock.now(), patient.timezone or "UTC").date()


def _average(values: list[int]) -> float | None:
    return round(float(mean(values)), 1) if values else None


def _baseline(checkins: list[CheckIn]) -> float | None:
    """The mean pain of the first three check-ins: what "pain rising" is measured against."""
    first = checkins[:BASELINE_CHECKINS]
    return round(float(mean(c.pain for c in first)), 1) if len(first) == BASELINE_CHECKINS else None


def _local(moment: datetime | None, zone: str) -> str:
    return to_local(moment, zone).strftime("%a %d %b, %H:%M") if moment else ""
