"""/export and /delete: patients take their data with them, or remove it for good."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.guards import consented_patient
from bot.handlers.incoming import pressed
from bot.handlers.replies import acknowledge_press, send
from bot.render import Message


async def export(update: Update, context: BotContext) -> None:
    patient = await consented_patient(update, context)
    chat = update.effective_chat
    if patient is None or chat is None:
        return
    data = context.services.patient_data
    today = data.today(patient)
    await send(update, context, Message.EXPORT_READY)
    await context.bot.send_document(
        chat.id, InputFile(data.checkins_csv(patient), filename=f"checkins-{today}.csv")
    )
    await context.bot.send_document(
        chat.id, InputFile(data.everything_json(patient), filename=f"my-data-{today}.json")
    )


async def delete(update: Update, context: BotContext) -> None:
    patient = await consented_patient(update, context)
    if patient is not None:
        ui = context.services.prompts.ui
        await send(
            update, context, Message.DELETE_ASK, keyboards.delete_step(ui, keyboards.DELETE_FIRST)
        )


async def delete_pressed(update: Update, context: BotContext) -> None:
    """Two presses, the second on a message that says plainly it cannot be undone."""
    await acknowledge_press(update, context)
    callback = pressed(update)
    patient = await consented_patient(update, context)
    if patient is None or callback is None:
        return
    services = context.services
    if callback.value == keyboards.DELETE_FIRST:
        ui = services.prompts.ui
        await send(
            update,
            context,
            Message.DELETE_CONFIRM,
            keyboards.delete_step(ui, keyboards.DELETE_FINAL),
        )
    elif callback.value == keyboards.DELETE_FINAL:
        services.scheduler.discharge(patient)  # nothing more is sent, even mid-deletion
        services.clinics.patient_left(patient)
        services.store.delete_patient(patient)
        await send(update, context, Message.DELETED)
    else:
        await send(update, context, Message.DELETE_CANCELLED)
