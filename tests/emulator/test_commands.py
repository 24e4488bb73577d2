"""setMyCommands / getMyCommands / deleteMyCommands keep one list per scope and language."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator

if TYPE_CHECKING:
    from conftest import RawApi

PATIENT = [BotCommand("checkin", "Daily check-in"), BotCommand("help", "Help")]
CLINICIAN = [BotCommand("patients", "Your patients")]


async def test_chat_scope_is_separate_from_default(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    assert await bot.set_my_commands(PATIENT)
    assert await bot.set_my_commands(CLINICIAN, scope=BotCommandScopeChat(ana))
    assert emu.commands() == [
        {"command": "checkin", "description": "Daily check-in"},
        {"command": "help", "description": "Help"},
    ]
    assert emu.commands({"type": "chat", "chat_id": ana}) == [
        {"command": "patients", "description": "Your patients"}
    ]
    assert emu.commands(BotCommandScopeChat(ana)) == emu.commands({"type": "chat", "chat_id": ana})
    assert await bot.get_my_commands() == tuple(PATIENT)
    assert await bot.get_my_commands(scope=BotCommandScopeChat(ana)) == tuple(CLINICIAN)
    assert emu.menu_commands(ana) == [{"command": "patients", "description": "Your patients"}]
    assert emu.menu_commands(222) == emu.commands()


async def test_language_codes_are_stored_separately(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_commands(PATIENT)
    await bot.set_my_commands([BotCommand("ajuda", "Ajuda")], language_code="pt")
    assert emu.commands(language_code="pt") == [{"command": "ajuda", "description": "Ajuda"}]
    assert len(emu.commands()) == 2
    emu.send_text(333, "oi", language_code="pt")
    assert emu.menu_commands(333) == [{"command": "ajuda", "description": "Ajuda"}]


async def test_delete_and_private_chats_scope(emu: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_commands(PATIENT, scope=BotCommandScopeAllPrivateChats())
    assert emu.commands({"type": "all_private_chats"})
    assert emu.commands() == []
    assert await bot.delete_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert emu.commands({"type": "all_private_chats"}) == []


async def test_invalid_commands_and_scopes(http: RawApi, bot: Bot) -> None:
    bad_name = await http.call(
        "setMyCommands", commands=[{"command": "Check In", "description": "x"}]
    )
    assert bad_name.status_code == 400
    assert bad_name.json()["description"] == "Bad Request: BOT_COMMAND_INVALID"
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands(PATIENT, scope=BotCommandScopeChat(999))
    missing = await http.call("setMyCommands")
    assert missing.json()["description"] == "Bad Request: commands is empty"
