"""The objects every handler needs, assembled once per application."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.domain.alerts import AlertDesk
from bot.domain.checkin_flow import CheckInFlow
from bot.domain.clinic_summaries import ClinicSummaries
from bot.domain.clinics import Clinics
from bot.domain.content import Library
from bot.domain.conversations import Conversations
from bot.domain.journal import Journal
from bot.domain.local_time import QuietHours
from bot.domain.onboarding import Onboarding
from bot.domain.patient_data import PatientData
from bot.domain.protocols.catalog import ProtocolCatalog
from bot.domain.questionnaires import Questionnaires
from bot.domain.safety_events import SafetyDesk
from bot.domain.safety_plan import SafetyPlans
from bot.domain.scheduling import Scheduler, ScheduleRules
from bot.prompts import Prompts
from bot.storage import Store


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock
    store: Store
    prompts: Prompts
    conversations: Conversations
    onboarding: Onboarding
    checkins: CheckInFlow
    safety: SafetyDesk
    safety_plans: SafetyPlans
    scheduler: Scheduler
    journal: Journal
    library: Library
    clinics: Clinics
    alerts: AlertDesk
    clinic_summaries: ClinicSummaries
    patient_data: PatientData
    questionnaires: Questionnaires


def build_services(
    settings: Settings,
    clock: Clock,
    store: Store,
    prompts: Prompts,
    library: Library,
) -> Services:
    conversations = Conversations(store, clock)
    alerts = AlertDesk(store, clock)
    rules = ScheduleRules(
        default_protocol=settings.default_protocol,
        quiet=QuietHours(settings.quiet_hours_start, settings.quiet_hours_end),
    )
    return Services(
        settings=settings,
        clock=clock,
        store=store,
        prompts=prompts,
        conversations=conversations,
        onboarding=Onboarding(store, clock, conversations, prompts.consent_version),
        checkins=CheckInFlow(store, clock, conversations),
        safety=SafetyDesk(store, clock, prompts.screener, alerts),
        safety_plans=SafetyPlans(store, clock, conversations),
        scheduler=Scheduler(
            store,
            clock,
            ProtocolCatalog(
                store, clock, prompts.protocols, prompts.renderer, set(prompts.instruments)
            ),
            rules,
        ),
        questionnaires=Questionnaires(store, clock, conversations, prompts.instruments),
        journal=Journal(store, clock, timedelta(hours=settings.journal_window_hours)),
        library=library,
        clinics=Clinics(store, clock, settings.default_clinic),
        alerts=alerts,
        clinic_summaries=ClinicSummaries(store, clock),
        patient_data=PatientData(store, clock),
    )
