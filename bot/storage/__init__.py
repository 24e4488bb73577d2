"""Storage: the tables, the engine and every query, behind one ``Store``."""

from bot.storage.database import SchemaOutOfDateError, create_database_engine, prepare_schema
from bot.storage.models import (
    CheckIn,
    ConsentRecord,
    Conversation,
    DosingSession,
    JournalEntry,
    OutboxMessage,
    Patient,
    SafetyEvent,
    SafetyPlanPart,
)
from bot.storage.store import Store

__all__ = [
    "CheckIn",
    "ConsentRecord",
    "Conversation",
    "DosingSession",
    "JournalEntry",
    "OutboxMessage",
    "Patient",
    "SafetyEvent",
    "SafetyPlanPart",
    "SchemaOutOfDateError",
    "Store",
    "create_database_engine",
    "prepare_schema",
]
