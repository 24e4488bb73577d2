"""The last line of defence: log what broke (never what was said), and tell the person kindly."""

from __future__ import annotations

import logging
import traceback
from contextlib import suppress

from telegram import Update
from telegram.error import BadRequest, Forbidden

from bot.handlers.context import BotContext
from bot.handlers.guards import consented_or_none
from bot.handlers.questions import ask_waiting_question
from bot.handlers.replies import send
from bot.render import Message

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden):
        log.warning("update %s: the chat cannot be reached (blocked or deactivated)", update_id)
        patient = consented_or_none(update, context) if isinstance(update, Update) else None
        if patient is not None:
            context.services.scheduler.mark_unreachable(patient)
        return
    log.error("update %s: a handler failed with %s\n%s", update_id, *describe(error))
    if isinstance(update, Update) and update.effective_chat is not None:
        await _apologise(update, context)


def describe(error: BaseException | None) -> tuple[str, str]:
    """The error's type and where it happened, without its message.

    Exception messages can quote what a person typed (``int('my note')``), so only the
    type and the stack frames are logged.
    """
    if error is None:
        return "an unknown error", ""
    frames = traceback.format_list(traceback.extract_tb(error.__traceback__))
    return type(error).__name__, "".join(frames).rstrip()


async def _apologise(update: Update, context: BotContext) -> None:
    """Say sorry and ask the pending question again: each answer is saved as it is given."""
    try:
        if update.callback_query is not None:
            with suppress(BadRequest):  # already answered before the failure
                await update.callback_query.answer()
        await send(update, context, Message.ERROR)
        patient = consented_or_none(update, context)
        if patient is not None:
            await ask_waiting_question(update, context, patient)
    except Exception as follow_up:  # the error handler itself must never raise
        log.warning(
            "update %s: could not tell the person (%s)", update.update_id, type(follow_up).__name__
        )
