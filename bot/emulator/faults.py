"""Injected failures, so tests can check how the bot copes with Telegram misbehaving.

Each fault answers the next ``times`` calls of one method (or of every method except
getUpdates, so polling keeps working) the way Telegram would in that situation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.emulator.errors import ApiError, forbidden


class FaultKind(StrEnum):
    """What goes wrong."""

    RATE_LIMIT = "rate_limit"  # 429 with parameters.retry_after
    FORBIDDEN = "forbidden"  # 403 "bot was blocked by the user"
    TIMEOUT = "timeout"  # the request is held for BotApiEmulator.timeout_delay seconds
    SERVER_ERROR = "server_error"  # 500 "Internal Server Error"


@dataclass
class Fault:
    """One injected fault; ``remaining=None`` means until cleared."""

    method: str | None
    kind: FaultKind
    retry_after: int = 3
    remaining: int | None = 1

    def matches(self, method: str) -> bool:
        """``method=None`` faults spare getUpdates so the bot keeps receiving updates."""
        if self.method is None:
            return method != "getUpdates"
        return self.method.lower() == method.lower()

    def error(self) -> ApiError | None:
        """The response this fault produces (None for TIMEOUT, which delays instead)."""
        if self.kind is FaultKind.RATE_LIMIT:
            return ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.kind is FaultKind.FORBIDDEN:
            return forbidden("bot was blocked by the user")
        if self.kind is FaultKind.SERVER_ERROR:
            return ApiError(500, "Internal Server Error")
        return None


class FaultPlan:
    """Faults waiting to fire, consumed first-injected-first."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    @property
    def active(self) -> list[Fault]:
        """Faults that have not fired their last time yet."""
        return list(self._faults)

    def inject(self, fault: Fault) -> None:
        """Add a fault."""
        if fault.remaining is not None and fault.remaining < 1:
            raise ValueError("times must be at least 1 (or None for 'until cleared')")
        self._faults.append(fault)

    def take(self, method: str) -> Fault | None:
        """The fault this call of ``method`` triggers, if any (counting it as used)."""
        for fault in self._faults:
            if fault.matches(method):
                if fault.remaining is not None:
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        """Remove every pending fault."""
        self._faults.clear()
