"""Safety first: every free text is screened before any other handler sees it.

A crisis or emergency match is answered at once with help lines, in every conversation state
and before consent too; the message is not taken as the answer to the pending question, which
waits and is asked again once the person says they are safe. Questions about doses get a fixed
reply that sends them to their clinic.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.domain.safety import Concern, Match
from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.guards import consented_or_none
from bot.handlers.incoming import pressed
from bot.handlers.questions import ask_waiting_question, waiting_question
from bot.handlers.replies import acknowledge_press, send
from bot.handlers.safety_plan import show_plan
from bot.render import Message
from bot.storage import Patient

log = logging.getLogger(__name__)


# A deep link's payload (``/start <invite code>``) is a random code from a link, not words the
# person wrote; a code may well contain "kms" or "kys", so it is not screened.
DEEP_LINK = re.compile(r"^/start(@\w+)?\s+[A-Za-z0-9_-]{1,64}$")


async def screen_message(update: Update, context: BotContext) -> None:
    message = update.effective_message
    text = (message.text or message.caption) if message else None
    if not text or DEEP_LINK.match(text.strip()):
        return
    match = context.services.safety.screen(text)
    log.debug("update %s screened: %s", update.update_id, match.concern if match else "clear")
    if match is None:
        return
    await respond(update, context, match)
    raise ApplicationHandlerStop


async def respond(update: Update, context: BotContext, match: Match) -> None:
    services = context.services
    patient = consented_or_none(update, context)
    if match.concern == Concern.PRESCRIBING:
        await send(update, context, Message.NO_DOSING_ADVICE)
        if patient is not None:
            await ask_waiting_question(update, context, patient)
        return
    services.safety.record(patient, match)
    if match.concern == Concern.EMERGENCY:
        await send(update, context, Message.EMERGENCY, keyboards.crisis(services.prompts.ui, False))
    else:
        await send_crisis_reply(update, context, patient)


async def send_crisis_reply(update: Update, context: BotContext, patient: Patient | None) -> None:
    services = context.services
    has_plan = patient is not None and services.safety_plans.has_plan(patient)
    await send(
        update,
        context,
        Message.CRISIS,
        keyboards.crisis(services.prompts.ui, has_plan),
        has_plan=has_plan,
    )


async def crisis_command(update: Update, context: BotContext) -> None:
    """/crisis: the help lines, for anyone, at any time, and nothing is recorded."""
    await send(update, context, Message.CRISIS_LINES)


async def sos_pressed(update: Update, context: BotContext) -> None:
    """The buttons under a crisis reply; they work however old the reply is."""
    await acknowledge_press(update, context)
    callback = pressed(update)
    patient = consented_or_none(update, context)
    if callback is None:
        return
    if callback.value == keyboards.HELP_AGAIN:
        await send_crisis_reply(update, context, patient)
    elif callback.value == keyboards.SHOW_PLAN and patient is not None:
        await show_plan(update, context, patient)
    elif callback.value == keyboards.SAFE_NOW:
        waiting = patient is not None and waiting_question(context, patient) is not None
        await send(update, context, Message.SAFE_NOW, resuming=waiting)
        if patient is not None:
            await ask_waiting_question(update, context, patient)
