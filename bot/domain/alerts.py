"""When a patient's clinicians should hear about something, following the alert tiers of the
clinical reference:

  urgent    crisis language or a physical red flag: at once, escalated to every clinician of
            the clinic if nobody acknowledges it within the clinic's escalation time
  same day  pain at least 2 points above the patient's baseline on 3 check-ins in a row; mood
            of 3 or less on 3 check-ins in a row; lasting dissociation or bladder symptoms
  digest    no check-in for 3 days; a message that could not be delivered; a blocked bot

Each alert fires once per episode: an episode is named by what started it (the first
check-in of a run, the day a symptom was reported), and the database keeps one alert per
patient and episode. Thresholds are the clinic's own (defaults as above).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum
from statistics import mean

from bot.clock import Clock
from bot.domain.safety.concerns import Concern
from bot.domain.timezones import local_date
from bot.storage import Alert, CheckIn, Clinic, Patient, Store

BASELINE_CHECKINS = 3
# Words of the two same-day symptoms the reference asks clinics to hear about, in a patient's
# check-in note or journal entry. Deliberately few and plain; a clinician reads the record.
SYMPTOMS = {
    "dissociation": re.compile(
        r"\b(still|keep|kept|since|days?|lasting|won'?t stop|can'?t shake)\b.{0,40}"
        r"\b(dissociat\w*|detached|unreal|not real|outside my body|floaty|spaced out)\b"
        r"|\b(dissociat\w*|detached|unreal|floaty|spaced out)\b.{0,40}"
        r"\b(still|since|for days|all week|won'?t stop|not going away)\b",
        re.IGNORECASE,
    ),
    "bladder": re.compile(
        r"\b(bladder|pee|peeing|urine|urinat\w*|wee(ing)?)\b.{0,40}"
        r"\b(pain|hurts?|burn\w*|blood|often|all the time|constantly|every \w+ minutes)\b"
        r"|\b(blood|pain|burn\w*)\b.{0,30}\b(in|when i|when I) ?(my )?(urine|pee|wee)\b",
        re.IGNORECASE,
    ),
}


class Tier(StrEnum):
    URGENT = "urgent"
    SAME_DAY = "same_day"
    DIGEST = "digest"


class Kind(StrEnum):
    CRISIS = "crisis"
    EMERGENCY = "emergency"
    PAIN_RISE = "pain_rise"
    LOW_MOOD = "low_mood"
    DISSOCIATION = "dissociation"
    BLADDER = "bladder"
    NO_CHECKINS = "no_checkins"
    UNDELIVERABLE = "undeliverable"
    BLOCKED = "blocked"
    MEDICINE_DAYS = "medicine_days"
    PHQ_RISE = "phq_rise"
    SAFETY_CHECK = "safety_check"


TIERS = {
    Kind.CRISIS: Tier.URGENT,
    Kind.EMERGENCY: Tier.URGENT,
    Kind.PAIN_RISE: Tier.SAME_DAY,
    Kind.LOW_MOOD: Tier.SAME_DAY,
    Kind.DISSOCIATION: Tier.SAME_DAY,
    Kind.BLADDER: Tier.SAME_DAY,
    Kind.NO_CHECKINS: Tier.DIGEST,
    Kind.UNDELIVERABLE: Tier.DIGEST,
    Kind.BLOCKED: Tier.DIGEST,
    Kind.MEDICINE_DAYS: Tier.DIGEST,
    Kind.PHQ_RISE: Tier.SAME_DAY,
    Kind.SAFETY_CHECK: Tier.SAME_DAY,
}
# Acute medicines on 10 or more days a month can make headaches more frequent
# (medication-overuse headache, clinical reference): counted over the last 30 local days.
MEDICINE_DAYS_LIMIT, MEDICINE_WINDOW = 10, 30


class AlertDesk:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def raise_alert(self, patient: Patient, kind: Kind, episode: str) -> Alert | None:
        """The new alert, or None when this episode already raised one (or no clinic)."""
        if patient.id is None or patient.clinic_id is None:
            return None
        return self._store.alerts.raise_once(
            Alert(
                patient_id=patient.id,
                clinic_id=patient.clinic_id,
                tier=TIERS[kind],
                kind=kind,
                episode=f"{kind}:{episode}",
                raised_at=self._clock.now(),
            )
        )

    def safety_concern(self, patient: Patient, concern: Concern) -> Alert | None:
        """Crisis language or a red flag: one open alert at a time; a new one after it is
        acknowledged."""
        kind = Kind.EMERGENCY if concern == Concern.EMERGENCY else Kind.CRISIS
        if concern not in (Concern.CRISIS, Concern.EMERGENCY):
            return None
        open_ones = [
            a
            for a in self._store.alerts.for_patient(patient.id or 0)
            if a.kind == kind and a.acknowledged_at is None
        ]
        if open_ones:
            return None
        return self.raise_alert(patient, kind, self._clock.now().isoformat())

    def after_checkin(self, patient: Patient, note: str | None, day: date) -> list[Alert]:
        """Pain above baseline, or low mood, on the last N check-ins in a row; symptoms in
        the note."""
        clinic = self._store.clinics.clinic_of(patient)
        if clinic is None:
            return []
        raised = self._streaks(patient, clinic) + self.symptoms_in(patient, note, day)
        overuse = self._medicine_days(patient, day)
        return raised + ([overuse] if overuse is not None else [])

    def _medicine_days(self, patient: Patient, day: date) -> Alert | None:
        """Once each time the count of medicine days in 30 rises to the limit."""
        checkins = self._store.checkins_between(patient.id or 0, date.min, day)
        if not checkins or not checkins[-1].medicine:
            return None

        def count(until: date) -> int:
            start = until - timedelta(days=MEDICINE_WINDOW - 1)
            return sum(1 for c in checkins if start <= c.local_date <= until and c.medicine)

        earlier = checkins[-2].local_date if len(checkins) > 1 else None
        if count(day) < MEDICINE_DAYS_LIMIT or (earlier and count(earlier) >= MEDICINE_DAYS_LIMIT):
            return None
        return self.raise_alert(patient, Kind.MEDICINE_DAYS, day.isoformat())

    def _streaks(self, patient: Patient, clinic: Clinic) -> list[Alert]:
        checkins = self._store.checkins_between(patient.id or 0, date.min, date.max)
        raised = []
        if len(checkins) > BASELINE_CHECKINS:
            baseline = mean(c.pain for c in checkins[:BASELINE_CHECKINS])
            streak = _streak(checkins, lambda c: c.pain >= baseline + clinic.pain_rise)
            if streak is not None and len(streak) >= clinic.pain_rise_checkins:
                raised.append(
                    self.raise_alert(patient, Kind.PAIN_RISE, streak[0].local_date.isoformat())
                )
        streak = _streak(checkins, lambda c: c.mood <= clinic.low_mood)
        if streak is not None and len(streak) >= clinic.low_mood_checkins:
            raised.append(
                self.raise_alert(patient, Kind.LOW_MOOD, streak[0].local_date.isoformat())
            )
        return [alert for alert in raised if alert is not None]

    def symptoms_in(self, patient: Patient, text: str | None, day: date) -> list[Alert]:
        """Lasting dissociation or bladder symptoms, in a note or journal entry."""
        if not text:
            return []
        raised = [
            self.raise_alert(patient, Kind(name), day.isoformat())
            for name, pattern in SYMPTOMS.items()
            if pattern.search(text)
        ]
        return [alert for alert in raised if alert is not None]

    def look_for_silence(self) -> int:
        """Digest-tier alerts for everyone who has not checked in for their clinic's number
        of days; a few queries in all, however many patients. Returns how many were raised."""
        clinics = {clinic.id: clinic for clinic in self._store.clinics.clinics()}
        latest = self._store.latest_checkin_dates()
        raised = 0
        for patient in self._store.onboarded_patients():
            clinic = clinics.get(patient.clinic_id)
            if clinic is None or not patient.timezone:
                continue
            today = local_date(self._clock.now(), patient.timezone)
            alert = self.missed_checkins(patient, clinic, today, latest.get(patient.id or 0))
            raised += alert is not None
        return raised

    def missed_checkins(
        self, patient: Patient, clinic: Clinic, today: date, last_checkin: date | None
    ) -> Alert | None:
        """No check-in for the clinic's number of days (counted from joining, at first)."""
        if patient.onboarded_at is None:
            return None
        since = last_checkin if last_checkin is not None else patient.onboarded_at.date()
        if (today - since).days < clinic.missed_days:
            return None
        return self.raise_alert(patient, Kind.NO_CHECKINS, since.isoformat())

    def acknowledge(self, alert: Alert, clinician_id: int) -> Alert:
        """Acknowledged; the episode name is freed so a later concern raises a new alert."""
        alert.acknowledged_at = self._clock.now()
        alert.acknowledged_by = clinician_id
        if alert.tier == Tier.URGENT:
            alert.episode = f"{alert.episode}:ack{alert.id}"
        return self._store.alerts.save(alert)


def _streak(checkins: list[CheckIn], matches: Callable[[CheckIn], bool]) -> list[CheckIn] | None:
    """The run of matching check-ins that ends with the latest one (None if it doesn't)."""
    run: list[CheckIn] = []
    for checkin in reversed(checkins):
        if not matches(checkin):
            break
        run.insert(0, checkin)
    return run or None
