"""/help, and a kind answer for everything the bot did not expect: never silence."""

from __future__ import annotations

from telegram import Update

from bot.handlers.context import BotContext
from bot.handlers.incoming import typed_text
from bot.handlers.replies import acknowledge_press, send
from bot.render import Message


async def help_command(update: Update, context: BotContext) -> None:
    await send(update, context, Message.HELP)


async def clinician_help(update: Update, context: BotContext) -> None:
    commands = list(context.services.prompts.ui.clinician_commands.items())
    await send(update, context, Message.CLINICIAN_HELP, commands=commands)


async def unknown_command(update: Update, context: BotContext) -> None:
    text = typed_text(update)
    command = text.split(maxsplit=1)[0].split("@", 1)[0] if text.strip() else ""
    await send(update, context, Message.UNKNOWN_COMMAND, command=command[:40])


async def unsupported_message(update: Update, context: BotContext) -> None:
    await send(update, context, Message.UNSUPPORTED_MESSAGE)


async def edited_message(update: Update, context: BotContext) -> None:
    await send(update, context, Message.EDITED_MESSAGE)


async def unknown_button(update: Update, context: BotContext) -> None:
    """A button this bot does not (or no longer) understands, e.g. from an older release."""
    await acknowledge_press(update, context, context.services.prompts.ui.notices.stale_button)
