"""Storage: the tables, the engine and every query, behind one ``Store``."""

from bot.storage.database import SchemaOutOfDateError, create_database_engine, prepare_schema
from bot.storage.models import (
    Alert,
    AuditEntry,
    CheckIn,
    Clinic,
    Clinician,
    ConsentRecord,
    Conversation,
    DosingSession,
    Invite,
    JournalEntry,
    OutboxMessage,
    Patient,
    ProtocolVersion,
    QuestionnaireResponse,
    SafetyEvent,
    SafetyPlanPart,
)
from bot.storage.store import Store

__all__ = [
    "Alert",
    "AuditEntry",
    "CheckIn",
    "Clinic",
    "Clinician",
    "ConsentRecord",
    "Conversation",
    "DosingSession",
    "Invite",
    "JournalEntry",
    "OutboxMessage",
    "Patient",
    "ProtocolVersion",
    "QuestionnaireResponse",
    "SafetyEvent",
    "SafetyPlanPart",
    "SchemaOutOfDateError",
    "Store",
    "create_database_engine",
    "prepare_schema",
]
