"""The command menu: setMyCommands, getMyCommands, deleteMyCommands (per scope and language)."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator import limits
from bot.emulator.commands import DEFAULT_SCOPE, ScopeKey, scope_key
from bot.emulator.errors import bad_request
from bot.emulator.params import missing
from bot.emulator.spec import BOT_COMMAND_SCOPE_TYPES
from bot.emulator.state import EmulatorState

_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_CHAT_SCOPES = frozenset({"chat", "chat_administrators", "chat_member"})
_LANGUAGE = re.compile(r"^([a-z]{2})?$")


def parse_scope(state: EmulatorState, scope: Any) -> tuple[ScopeKey, int | None]:
    """Validate a BotCommandScope; returns its key and the chat it names (if any)."""
    if scope is None:
        return DEFAULT_SCOPE, None
    if not isinstance(scope, dict) or scope.get("type") not in BOT_COMMAND_SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    scope_type = scope["type"]
    if scope_type not in _CHAT_SCOPES:
        return scope_key(scope_type), None
    if scope.get("chat_id") in (None, ""):
        raise missing("chat_id")
    chat = state.chats.resolve(scope["chat_id"])
    user_id = None
    if scope_type == "chat_member":
        user_id = scope.get("user_id")
        if not isinstance(user_id, int):
            raise missing("user_id")
    return scope_key(scope_type, chat.id, user_id), chat.id


def _language(params: dict[str, Any]) -> str:
    language = params.get("language_code") or ""
    if not _LANGUAGE.match(language):
        raise bad_request("invalid language code specified")
    return language


def _validated_commands(commands: list[Any]) -> list[dict[str, str]]:
    if len(commands) > limits.MAX_COMMANDS:
        raise bad_request("too many commands specified")
    result: list[dict[str, str]] = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND_NAME.match(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not description.strip():
            raise bad_request("command description is empty")
        if len(description) > limits.MAX_COMMAND_DESCRIPTION:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        result.append({"command": name, "description": description})
    return result


async def set_my_commands(state: EmulatorState, params: dict[str, Any]) -> bool:
    """setMyCommands: replaces the list for exactly that scope and language."""
    commands = _validated_commands(params["commands"])
    key, chat_id = parse_scope(state, params.get("scope"))
    state.commands.set(key, _language(params), commands)
    state.publish("commands", chat_id)
    return True


async def get_my_commands(state: EmulatorState, params: dict[str, Any]) -> list[dict[str, str]]:
    """getMyCommands: exactly what was set for that scope and language (no fallback)."""
    key, _ = parse_scope(state, params.get("scope"))
    return state.commands.get(key, _language(params))


async def delete_my_commands(state: EmulatorState, params: dict[str, Any]) -> bool:
    """deleteMyCommands."""
    key, chat_id = parse_scope(state, params.get("scope"))
    state.commands.set(key, _language(params), [])
    state.publish("commands", chat_id)
    return True


HANDLERS = {
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
}
