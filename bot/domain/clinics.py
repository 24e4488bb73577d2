"""Clinics, their clinicians and the patients they care for; who may do what.

A Telegram account is a clinician or a patient, never both. Clinicians name patients by a
short code unique within their clinic (``P-4821``), never by Telegram id or name, and may
only ever reach patients of their own clinic.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.config import ClinicContact
from bot.storage import AuditEntry, Clinic, Clinician, Invite, Patient, Store

CODE_DIGITS = 4
CODE_ATTEMPTS = 40
INVITE_BYTES = 12  # 16 URL-safe characters: unguessable, and fits Telegram's 64-character start


class Role(StrEnum):
    CLINICIAN = "clinician"
    PATIENT = "patient"
    NOBODY = "nobody"


class ClinicError(ValueError):
    """A clinic or clinician change that cannot be made; the message says why."""


class InviteStatus(StrEnum):
    VALID = "valid"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


class Clinics:
    def __init__(self, store: Store, clock: Clock, default_clinic_name: str) -> None:
        self._store = store
        self._clock = clock
        self._default_clinic_name = default_clinic_name

    # Clinics and clinicians (command line, start-up) -------------------------------------

    def create_clinic(self, name: str, phone: str = "", hours: str = "") -> Clinic:
        name = " ".join(name.split())
        if not name:
            raise ClinicError("a clinic needs a name")
        if self._store.clinics.clinic_named(name) is not None:
            raise ClinicError(f"there is already a clinic called {name!r}")
        return self._store.clinics.save_clinic(
            Clinic(name=name, phone=phone, hours=hours, created_at=self._clock.now())
        )

    def configure_clinic(self, name: str, **changes: object) -> Clinic:
        """Change contact details, the default protocol or an alert threshold; numbers must be
        positive. Unknown names are refused; nothing changes unless all changes are valid."""
        clinic = self._store.clinics.clinic_named(name)
        if clinic is None:
            raise ClinicError(f"there is no clinic called {name!r}")
        for key, value in changes.items():
            if not hasattr(clinic, key) or key in ("id", "name", "created_at"):
                raise ClinicError(f"{key} is not a clinic setting")
            if isinstance(value, int) and value < 1:
                raise ClinicError(f"{key} must be 1 or more")
        for key, value in changes.items():
            setattr(clinic, key, value == "yes" if key in ("ask_headache", "use_phq8") else value)
        return self._store.clinics.save_clinic(clinic)

    def add_clinician(self, telegram_user_id: int, clinic_name: str, name: str) -> Clinician:
        clinic = self._store.clinics.clinic_named(clinic_name)
        if clinic is None or clinic.id is None:
            raise ClinicError(f"there is no clinic called {clinic_name!r}: create it first")
        if self._store.patient_by_telegram_id(telegram_user_id) is not None:
            raise ClinicError("that Telegram account is a patient; an account cannot be both")
        existing = self._store.clinics.clinician(telegram_user_id)
        if existing is not None:
            raise ClinicError("that Telegram account is already a clinician")
        return self._store.clinics.save_clinician(
            Clinician(
                telegram_user_id=telegram_user_id,
                name=" ".join(name.split())[:80] or "Clinician",
                clinic_id=clinic.id,
                created_at=self._clock.now(),
            )
        )

    def remove_clinician(self, telegram_user_id: int) -> Clinician:
        removed = self._store.clinics.remove_clinician(telegram_user_id)
        if removed is None:
            raise ClinicError("no clinician has that Telegram id")
        return removed

    def ensure_first_clinician(self, telegram_user_id: int, name: str) -> Clinician:
        """The clinician named in the settings, in the default clinic; nothing if they exist."""
        existing = self._store.clinics.clinician(telegram_user_id)
        if existing is not None:
            return existing
        clinic = self.default_clinic()
        return self.add_clinician(telegram_user_id, clinic.name, name)

    def default_clinic(self) -> Clinic:
        """Where patients who joined without an invite belong (created when first needed)."""
        clinic = self._store.clinics.clinic_named(self._default_clinic_name)
        return clinic or self.create_clinic(self._default_clinic_name)

    # Roles --------------------------------------------------------------------------------

    def role_of(self, telegram_user_id: int) -> Role:
        if self._store.clinics.clinician(telegram_user_id) is not None:
            return Role.CLINICIAN
        if self._store.patient_by_telegram_id(telegram_user_id) is not None:
            return Role.PATIENT
        return Role.NOBODY

    def clinician(self, telegram_user_id: int) -> Clinician | None:
        return self._store.clinics.clinician(telegram_user_id)

    def clinic_of(self, clinician: Clinician) -> Clinic:
        clinic = self._store.clinics.clinic(clinician.clinic_id)
        if clinic is None:
            raise ClinicError("the clinician's clinic no longer exists")
        return clinic

    def patient(self, clinician: Clinician, code: str) -> Patient | None:
        """The patient with this code in the clinician's own clinic; None for anything else,
        so a refusal never tells whether a code exists elsewhere."""
        return self._store.clinics.patient_by_code(clinician.clinic_id, code)

    def patients(self, clinician: Clinician) -> list[Patient]:
        return self._store.clinics.patients_of(clinician.clinic_id)

    def asks_headache(self, patient: Patient) -> bool:
        clinic = self._store.clinics.clinic_of(patient)
        return clinic is not None and clinic.ask_headache

    def contact(self, clinic_id: int | None, fallback: ClinicContact) -> ClinicContact:
        """The clinic's details for patient messages. The default clinic is the deployment's
        own, described by the CLINIC_* settings; another clinic's gaps are filled from them."""
        clinic = self._store.clinics.clinic(clinic_id) if clinic_id else None
        if clinic is None or clinic.name == self._default_clinic_name:
            return fallback
        return ClinicContact(
            clinic.name, clinic.phone or fallback.phone, clinic.hours or fallback.hours
        )

    def new_patient_code(self, clinic_id: int) -> str:
        digits = CODE_DIGITS
        for attempt in range(CODE_ATTEMPTS * 2):
            if attempt == CODE_ATTEMPTS:
                digits += 1  # a crowded clinic: longer codes
            code = f"P-{secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1)}"
            if not self._store.clinics.code_taken(clinic_id, code):
                return code
        raise ClinicError("could not find a free patient code")

    # Invites ------------------------------------------------------------------------------

    def invite(self, clinician: Clinician, valid_for: timedelta) -> Invite:
        now = self._clock.now()
        return self._store.clinics.add_invite(
            Invite(
                code=secrets.token_urlsafe(INVITE_BYTES),
                clinic_id=clinician.clinic_id,
                created_by=clinician.id,
                created_at=now,
                expires_at=now + valid_for,
            )
        )

    def invite_status(self, code: str) -> tuple[InviteStatus, Invite | None]:
        invite = self._store.clinics.invite(code) if code else None
        if invite is None:
            return InviteStatus.UNKNOWN, None
        if invite.used_at is not None:
            return InviteStatus.USED, invite
        if invite.expires_at <= self._clock.now():
            return InviteStatus.EXPIRED, invite
        return InviteStatus.VALID, invite

    def redeem(self, code: str) -> InviteStatus:
        """Use the invite, once: a second use at the same moment loses."""
        status, _invite = self.invite_status(code)
        if status is not InviteStatus.VALID:
            return status
        if not self._store.clinics.use_invite(code, self._clock.now()):
            return InviteStatus.USED
        return InviteStatus.VALID

    # Audit --------------------------------------------------------------------------------

    def audit(
        self, clinician: Clinician, action: str, patient: Patient | None = None, detail: str = ""
    ) -> None:
        self._store.clinics.audit(
            AuditEntry(
                at=self._clock.now(),
                clinician_id=clinician.id,
                clinician_name=clinician.name,
                clinic_id=clinician.clinic_id,
                action=action,
                patient_code=patient.code if patient is not None else None,
                detail=detail[:200],
            )
        )

    def patient_left(self, patient: Patient) -> None:
        """What the clinic keeps when a patient deletes their data: that they left."""
        self._store.clinics.audit(
            AuditEntry(
                at=self._clock.now(),
                clinician_name="(the patient)",
                clinic_id=patient.clinic_id,
                action="patient left",
                patient_code=patient.code,
            )
        )
