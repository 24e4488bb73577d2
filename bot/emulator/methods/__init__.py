"""The Bot API methods the emulator implements, and dispatch to them by (case-insensitive) name.

Each module exports ``HANDLERS``: method name -> ``async (state, params) -> result``, where
``params`` are already decoded and required parameters checked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Final

from bot.emulator.errors import ApiError
from bot.emulator.methods import answers, bot_commands, identity, media, messages, polling
from bot.emulator.params import check_required
from bot.emulator.spec import ALL_METHODS
from bot.emulator.state import EmulatorState

Handler = Callable[[EmulatorState, dict[str, Any]], Awaitable[Any]]

HANDLERS: Final[dict[str, Handler]] = {
    **identity.HANDLERS,
    **polling.HANDLERS,
    **messages.HANDLERS,
    **media.HANDLERS,
    **answers.HANDLERS,
    **bot_commands.HANDLERS,
}

# Bot API method names are case-insensitive; calls are recorded under the canonical spelling.
_CANONICAL: Final[dict[str, str]] = {name.lower(): name for name in ALL_METHODS | HANDLERS.keys()}


def canonical_method(name: str) -> str | None:
    """The documented spelling of a method name, or None if the Bot API has no such method."""
    return _CANONICAL.get(name.lower())


async def call_method(state: EmulatorState, method: str, params: dict[str, Any]) -> Any:
    """Run a (canonical) method; 501 for real methods the emulator does not implement."""
    handler = HANDLERS.get(method)
    if handler is None:
        raise ApiError(501, f"Not Implemented: the emulator does not implement {method}")
    check_required(method, params)
    return await handler(state, params)
