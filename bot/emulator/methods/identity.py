"""Who the bot is and its profile settings: getMe, logOut, close, setMy*/setChatMenuButton."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.emulator.state import EmulatorState


async def get_me(state: EmulatorState, params: dict[str, Any]) -> dict[str, Any]:
    """getMe: the bot user with its capability flags."""
    return state.bot.user_json(for_get_me=True)


async def accept(state: EmulatorState, params: dict[str, Any]) -> bool:
    """logOut / close: nothing to tear down locally."""
    return True


def store_setting(method: str) -> Callable[[EmulatorState, dict[str, Any]], Awaitable[bool]]:
    """A handler that records a profile setting under ``state.settings[method]``."""

    async def handler(state: EmulatorState, params: dict[str, Any]) -> bool:
        language = params.get("language_code") or ""
        state.settings[f"{method}:{language}" if language else method] = dict(params)
        return True

    handler.__doc__ = f"{method}: stored in ``state.settings`` for inspection."
    return handler


HANDLERS = {
    "getMe": get_me,
    "logOut": accept,
    "close": accept,
    "setMyDescription": store_setting("setMyDescription"),
    "setMyShortDescription": store_setting("setMyShortDescription"),
    "setChatMenuButton": store_setting("setChatMenuButton"),
}
