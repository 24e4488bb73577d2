"""Dosing sessions, pauses and the plan of what each patient receives, kept in the outbox.

The rule for a session logged while another is in progress, so messages never double:
  * "just finished" when a session was booked in advance and has not ended: that booked
    session has now ended (same number); its steps after the session are planned.
  * "just finished" within 12 hours of the end of the last session: a correction of that
    session's end time; its steps still waiting are moved, steps already sent stay sent.
  * otherwise a new session begins: the steps of earlier sessions still waiting are
    cancelled, so a patient never receives two sets of prompts at once.
  * booking a session while another booked one has not happened yet moves that booking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.domain.local_time import QuietHours, to_local
from bot.domain.onboarding import require_id
from bot.domain.planning import (
    Kind,
    Planned,
    SessionTimes,
    Status,
    plan_checkins,
    plan_recurring,
    plan_session,
)
from bot.domain.protocols import Protocol
from bot.domain.protocols.catalog import ProtocolCatalog
from bot.storage import DosingSession, Patient, Store
from bot.storage.outbox import StandingRow

SAME_SESSION_WITHIN = timedelta(hours=12)
QUESTIONNAIRE_OPEN = timedelta(days=2)
LONGEST_BOOKING_AHEAD = timedelta(days=60)
# Patients planned together in plan_everyone: one query finds the rows they already have.
PLAN_BATCH = 500


class SessionOutcome(StrEnum):
    NEW = "new"
    BOOKED_ENDED = "booked_ended"  # a session logged in advance has now finished
    CORRECTED = "corrected"  # the end time of the session just logged was changed
    BOOKED = "booked"
    REBOOKED = "rebooked"


class SessionTimeError(ValueError):
    """The time given for a session cannot be right (in the future, or too far ahead)."""


@dataclass(frozen=True)
class SessionLogged:
    session: DosingSession
    outcome: SessionOutcome
    prompts_planned: int


@dataclass(frozen=True)
class ScheduleRules:
    default_protocol: str
    quiet: QuietHours


class Scheduler:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        catalog: ProtocolCatalog,
        rules: ScheduleRules,
    ) -> None:
        if rules.default_protocol not in catalog.shipped:
            known = ", ".join(sorted(catalog.shipped))
            raise ValueError(f"no protocol {rules.default_protocol!r} (there are: {known})")
        self._store = store
        self._clock = clock
        self.catalog = catalog
        self.rules = rules

    # Sessions -------------------------------------------------------------------------------

    def session_finished(self, patient: Patient, ended_at: datetime) -> SessionLogged:
        now = self._clock.now()
        if ended_at > now:
            raise SessionTimeError("a session cannot end in the future")
        sessions = self._store.sessions(require_id(patient))
        latest = sessions[-1] if sessions else None
        if latest is not None and latest.ended_at is None:
            latest.ended_at, outcome = ended_at, SessionOutcome.BOOKED_ENDED
        elif (
            latest is not None
            and latest.ended_at is not None
            and (abs(ended_at - latest.ended_at) < SAME_SESSION_WITHIN)
        ):
            latest.ended_at, outcome = ended_at, SessionOutcome.CORRECTED
        else:
            latest, outcome = (
                self._new_session(patient, sessions, ended_at=ended_at),
                SessionOutcome.NEW,
            )
        return self._save_and_plan(patient, latest, outcome, earlier=sessions)

    def session_booked(self, patient: Patient, planned_for: datetime) -> SessionLogged:
        now = self._clock.now()
        if planned_for <= now:
            raise SessionTimeError("a booked session must be in the future")
        if planned_for - now > LONGEST_BOOKING_AHEAD:
            raise SessionTimeError("a booked session must be within the next 60 days")
        sessions = self._store.sessions(require_id(patient))
        latest = sessions[-1] if sessions else None
        if latest is not None and latest.ended_at is None:
            latest.planned_for, outcome = planned_for, SessionOutcome.REBOOKED
        else:
            latest = self._new_session(patient, sessions, planned_for=planned_for)
            outcome = SessionOutcome.BOOKED
        return self._save_and_plan(patient, latest, outcome, earlier=sessions)

    def _new_session(
        self,
        patient: Patient,
        sessions: list[DosingSession],
        *,
        ended_at: datetime | None = None,
        planned_for: datetime | None = None,
    ) -> DosingSession:
        key, version = self.protocol_for(patient)
        return DosingSession(
            patient_id=require_id(patient),
            number=(sessions[-1].number + 1) if sessions else 1,
            protocol=key,
            protocol_version=version,
            ended_at=ended_at,
            planned_for=planned_for,
            logged_at=self._clock.now(),
        )

    def _save_and_plan(
        self,
        patient: Patient,
        session: DosingSession,
        outcome: SessionOutcome,
        earlier: list[DosingSession],
    ) -> SessionLogged:
        session = self._store.save_session(session)
        assert session.id is not None
        older = [s.id for s in earlier if s.id is not None and s.id != session.id]
        if older:
            self._store.outbox.cancel_waiting(
                require_id(patient), "a newer session began", session_ids=older
            )
        planned = plan_session(
            self.session_protocol(patient, session.protocol, session.protocol_version),
            SessionTimes(session.id, session.ended_at, session.planned_for),
            _zone(patient),
            self.rules.quiet,
            self._clock.now(),
        )
        self._store.outbox.plan(require_id(patient), planned)
        self._store.outbox.cancel_waiting(
            require_id(patient),
            "the session's times changed",
            session_ids=[session.id],
            keep_keys=[item.key for item in planned],
        )
        return SessionLogged(session, outcome, len(planned))

    def protocol_for(self, patient: Patient) -> tuple[str, int | None]:
        """The protocol a new session of this patient follows: theirs, their clinic's default,
        or the deployment's; the newest version the clinic has."""
        clinic = self._store.clinics.clinic_of(patient)
        for key in (patient.protocol, clinic.default_protocol if clinic else None):
            if key and (found := self.catalog.current(patient.clinic_id, key)) is not None:
                return key, found[1]
        return self.rules.default_protocol, None

    def session_protocol(self, patient: Patient, key: str | None, version: int | None) -> Protocol:
        """A session keeps the protocol version it began with; if that is gone (a shipped
        file removed), the default protocol carries on rather than leaving the patient
        without prompts."""
        found = self.catalog.get(patient.clinic_id, key or "", version) if key else None
        return found or self.catalog.shipped[self.rules.default_protocol]

    # Daily plan -----------------------------------------------------------------------------

    def plan_ahead(self, patient: Patient) -> None:
        """Check-ins and recurring steps for today and tomorrow, at the patient's current
        settings. Safe to call any number of times: rows are keyed by date."""
        if not _plans_ahead(patient):
            return
        protocol = self.session_protocol(patient, *self.protocol_for(patient))
        self._store.outbox.plan(require_id(patient), self._days_ahead(patient, protocol))

    def plan_everyone(self) -> int:
        """``plan_ahead`` for every onboarded patient, with the same result, in a few queries
        per batch instead of several per patient: each clinic's protocol is looked up once per
        pass, a patient whose rows already stand as planned is not written to at all (the
        usual case: this runs every few minutes), and the rows of a new day are added in one
        insert per batch."""
        patients = self._store.onboarded_patients()
        protocols: dict[tuple[int | None, str | None], Protocol] = {}
        for start in range(0, len(patients), PLAN_BATCH):
            self._plan_batch(patients[start : start + PLAN_BATCH], protocols)
        return len(patients)

    def _plan_batch(
        self, batch: list[Patient], protocols: dict[tuple[int | None, str | None], Protocol]
    ) -> None:
        wanted = {}
        for patient in filter(_plans_ahead, batch):
            found = (patient.clinic_id, patient.protocol)
            if found not in protocols:
                protocols[found] = self.session_protocol(patient, *self.protocol_for(patient))
            wanted[require_id(patient)] = self._days_ahead(patient, protocols[found])
        standing = self._store.outbox.standing(
            list(wanted), {item.key for items in wanted.values() for item in items}
        )
        new_rows: dict[int, list[Planned]] = {}
        for patient_id, items in wanted.items():
            rows = [standing.get((patient_id, item.key)) for item in items]
            if any(_moves(item, row) for item, row in zip(items, rows, strict=True)):
                self._store.outbox.plan(patient_id, items)
            elif missing := [item for item, row in zip(items, rows, strict=True) if row is None]:
                new_rows[patient_id] = missing  # the usual case once a new day begins
        if not self._store.outbox.add_new(new_rows):
            for patient_id, items in new_rows.items():  # someone planned them meanwhile
                self._store.outbox.plan(patient_id, items)

    def _days_ahead(self, patient: Patient, protocol: Protocol) -> list[Planned]:
        """What ``plan_ahead`` stores for the patient, given the protocol they follow."""
        zone, checkin_time, joined = patient.timezone, patient.checkin_time, patient.onboarded_at
        if zone is None or checkin_time is None or joined is None:
            return []
        now = self._clock.now()
        today = to_local(now, zone).date()
        checkins = plan_checkins(zone, checkin_time, today, joined)
        recurring = plan_recurring(
            protocol, to_local(joined, zone).date(), zone, checkin_time, today, self.rules.quiet
        )
        return [item for item in checkins + recurring if item.expires_at > now]

    # Pausing --------------------------------------------------------------------------------

    def pause(self, patient: Patient, days: int | None) -> Patient:
        """Prompts and check-ins stop for ``days`` days, or (``None``) until /resume."""
        now = self._clock.now()
        patient.paused = True
        patient.paused_until = now + timedelta(days=days) if days else None
        patient.updated_at = now
        return self._store.save_patient(patient)

    def resume(self, patient: Patient) -> Patient:
        patient.paused, patient.paused_until = False, None
        patient.updated_at = self._clock.now()
        return self._store.save_patient(patient)

    def send_questionnaire_now(self, patient: Patient, instrument: str) -> None:
        """A questionnaire a clinician asked for: due now, open for two days."""
        now = self._clock.now()
        self._store.outbox.plan(
            require_id(patient),
            [
                Planned(
                    key=f"ask:{instrument}:{now.isoformat()}",
                    kind=Kind.QUESTIONNAIRE,
                    due_at=now,
                    expires_at=now + QUESTIONNAIRE_OPEN,
                    step_id=instrument,
                )
            ],
        )

    def discharge(self, patient: Patient) -> Patient:
        """The programme ends: nothing more is planned or sent; the data stays the patient's."""
        now = self._clock.now()
        patient.discharged_at = now
        patient.updated_at = now
        patient = self._store.save_patient(patient)
        self._store.outbox.cancel_waiting(require_id(patient), "discharged")
        return patient

    def mark_unreachable(self, patient: Patient) -> None:
        """Telegram refuses to deliver (blocked, or deleted): stop planning, cancel what waits.

        Writing to the bot again makes them reachable (see ``mark_reachable``).
        """
        patient.active = False
        patient.updated_at = self._clock.now()
        self._store.save_patient(patient)
        self._store.outbox.cancel_waiting(require_id(patient), "the patient blocked the bot")

    def mark_reachable(self, patient: Patient) -> Patient:
        if patient.active:
            return patient
        patient.active = True
        patient.updated_at = self._clock.now()
        return self._store.save_patient(patient)

    def is_paused(self, patient: Patient, at: datetime) -> bool:
        if not patient.paused:
            return False
        return patient.paused_until is None or at < patient.paused_until


def _plans_ahead(patient: Patient) -> bool:
    """Set up and still in the programme: check-ins are planned for them."""
    return (
        patient.timezone is not None
        and patient.checkin_time is not None
        and patient.onboarded_at is not None
        and patient.discharged_at is None
    )


def _moves(item: Planned, standing: StandingRow | None) -> bool:
    """Whether ``Outbox.plan`` would move this item's waiting row to new times. Rows already
    sent, missed or cancelled are never touched; a missing row is simply added."""
    if standing is None or standing.status != Status.PLANNED:
        return False
    return (standing.due_at, standing.expires_at) != (item.due_at, item.expires_at)


def _zone(patient: Patient) -> str:
    if patient.timezone is None:
        raise ValueError("planning needs the patient's time zone; finish onboarding first")
    return patient.timezone
