"""Protocols: the integration prompts a patient receives around each dosing session."""

from bot.domain.protocols.context import PromptContext
from bot.domain.protocols.loader import (
    ProtocolError,
    ProtocolProblem,
    load_protocol_text,
    load_protocols,
)
from bot.domain.protocols.model import (
    AfterSession,
    Button,
    EveryFromEnrolment,
    OnDay,
    Protocol,
    ProtocolStep,
    Timing,
)

__all__ = [
    "AfterSession",
    "Button",
    "EveryFromEnrolment",
    "OnDay",
    "PromptContext",
    "Protocol",
    "ProtocolError",
    "ProtocolProblem",
    "ProtocolStep",
    "Timing",
    "load_protocol_text",
    "load_protocols",
]
