"""Button payloads: ``kind:token:value``, short and free of personal data.

Telegram allows 64 bytes of callback data. The token ties a button to one exchange (see
``bot.domain.conversations``) so that presses on old messages can be recognised.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_BYTES = 64


class Kind(StrEnum):
    CONSENT = "consent"
    TIMEZONE = "tz"
    CHECKIN_TIME = "time"
    CHECKIN = "ci"
    SETTINGS = "set"
    SOS = "sos"
    SAFETY_PLAN = "plan"
    JOURNAL = "jr"  # buttons on an integration prompt; the token is the outbox row
    SESSION = "ses"
    PAUSE = "pause"
    LEARN = "lr"  # the token is the article id
    ALERT = "ack"  # the token is the alert id
    PATIENTS = "pts"  # the value is the page
    PROGRESS = "prg"  # the value is the span
    REPORT = "rep"  # the value is the span
    DELETE = "del"
    QUESTIONNAIRE = "q"


@dataclass(frozen=True)
class Callback:
    kind: Kind
    token: str
    value: str

    def encode(self) -> str:
        data = f"{self.kind}:{self.token}:{self.value}"
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise ValueError(f"callback data for {self.kind} is longer than {MAX_BYTES} bytes")
        return data

    @classmethod
    def decode(cls, data: str | None) -> Callback | None:
        """The payload, or None for anything this bot did not make."""
        parts = (data or "").split(":", 2)
        if len(parts) != 3:
            return None
        kind, token, value = parts
        try:
            return cls(Kind(kind), token, value)
        except ValueError:
            return None


def pattern(kind: Kind) -> str:
    """The regular expression a CallbackQueryHandler uses to pick its kind of button."""
    return f"^{kind}:"
