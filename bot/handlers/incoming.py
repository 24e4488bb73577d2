"""Reading what arrived: the text someone typed, the button they pressed."""

from __future__ import annotations

from telegram import Update

from bot.handlers.callback_data import Callback


def typed_text(update: Update) -> str:
    message = update.effective_message
    return (message.text or "") if message else ""


def pressed(update: Update) -> Callback | None:
    """The button's payload, or None for a button this bot did not make."""
    return Callback.decode(update.callback_query.data if update.callback_query else None)
