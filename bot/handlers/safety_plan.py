"""/safetyplan: write, read and edit a personal safety plan, one part at a time."""

from __future__ import annotations

from telegram import Update

from bot.domain.safety_plan import PARTS
from bot.domain.steps import Step
from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.guards import consented_patient, live_conversation
from bot.handlers.incoming import pressed, typed_text
from bot.handlers.questions import ask_step
from bot.handlers.replies import acknowledge_press, retire_question, send
from bot.render import Message
from bot.storage import Conversation, Patient

PLAN_STEPS = frozenset({Step.SAFETY_PLAN_PART})


async def safety_plan(update: Update, context: BotContext) -> None:
    patient = await consented_patient(update, context)
    if patient is None:
        return
    plans = context.services.safety_plans
    if plans.has_plan(patient):
        await show_plan(update, context, patient)
        return
    await send(update, context, Message.SAFETY_PLAN_INTRO)
    await ask_step(update, context, patient, plans.begin(patient))


async def show_plan(update: Update, context: BotContext, patient: Patient) -> None:
    ui = context.services.prompts.ui
    written = context.services.safety_plans.parts(patient)
    parts = [
        {"number": number, "title": part.title, "text": written.get(number, "")}
        for number, part in enumerate(ui.safety_plan, 1)
    ]
    await send(
        update, context, Message.SAFETY_PLAN_SHOW, keyboards.safety_plan_parts(ui), parts=parts
    )


async def part_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    await _answer(update, context, patient, conversation, typed_text(update))


async def plan_pressed(update: Update, context: BotContext) -> None:
    callback = pressed(update)
    if callback is not None and callback.value in (keyboards.SKIP_PART, keyboards.STOP_PLAN):
        found = await live_conversation(update, context, callback, PLAN_STEPS)
        if found is None:
            return
        await acknowledge_press(update, context)
        patient, conversation = found
        if callback.value == keyboards.SKIP_PART:
            await _answer(update, context, patient, conversation, None)
        else:
            context.services.safety_plans.stop(conversation)
            await send(update, context, Message.SAFETY_PLAN_STOPPED)
        return
    await acknowledge_press(update, context)
    patient = await consented_patient(update, context)
    if patient is None or callback is None:
        return
    plans = context.services.safety_plans
    if callback.value == keyboards.WHOLE_PLAN:
        await ask_step(update, context, patient, plans.begin(patient))
    elif (part := _edited_part(callback.value)) is not None:
        await ask_step(update, context, patient, plans.begin(patient, part, whole=False))


async def _answer(
    update: Update,
    context: BotContext,
    patient: Patient,
    conversation: Conversation,
    text: str | None,
) -> None:
    await retire_question(update, context, conversation)
    conversation = context.services.safety_plans.answer(patient, conversation, text)
    if Step(conversation.step) == Step.SAFETY_PLAN_PART:
        await ask_step(update, context, patient, conversation)
    else:
        await show_plan(update, context, patient)


def _edited_part(value: str) -> int | None:
    number = value.removeprefix(keyboards.EDIT_PART_PREFIX)
    if value.startswith(keyboards.EDIT_PART_PREFIX) and number.isdigit():
        part = int(number)
        return part if 1 <= part <= PARTS else None
    return None
