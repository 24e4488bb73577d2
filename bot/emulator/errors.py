"""The two ways things go wrong in the emulator.

``ApiError`` is an answer the emulated Bot API gives over the wire (status code + description,
exactly as Telegram would), so the bot under test sees real ``{"ok": false, ...}`` responses.
``EmulatorError`` is raised to the Python caller who misused the person-side API (pressing a
button that does not exist, ...): that is a bug in the test or console, not a Bot API answer.
"""

from __future__ import annotations

from typing import Any


class EmulatorError(Exception):
    """A person-side action that a real Telegram client could not have performed."""


class ApiError(Exception):
    """A Bot API error response: HTTP status, Telegram's description and optional parameters."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """400 with Telegram's ``Bad Request: <reason>`` wording."""
    return ApiError(400, f"Bad Request: {reason}")


def forbidden(reason: str) -> ApiError:
    """403 with Telegram's ``Forbidden: <reason>`` wording."""
    return ApiError(403, f"Forbidden: {reason}")


def conflict(reason: str) -> ApiError:
    """409 with Telegram's ``Conflict: <reason>`` wording."""
    return ApiError(409, f"Conflict: {reason}")


def unauthorized() -> ApiError:
    """401 for a token that is malformed or not the accepted one."""
    return ApiError(401, "Unauthorized")


def not_found(detail: str | None = None) -> ApiError:
    """404 for unknown paths (``Not Found``) or methods (``Not Found: method not found``)."""
    return ApiError(404, f"Not Found: {detail}" if detail else "Not Found")
