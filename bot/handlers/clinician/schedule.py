"""/protocols, /assign, /checkintime, /preview, and uploading an edited protocol."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from telegram import Update

from bot.domain.answers import InvalidAnswer, parse_time_of_day
from bot.domain.local_time import at_local, to_local
from bot.domain.planning import SessionTimes, plan_session
from bot.domain.protocols import PromptContext, ProtocolError
from bot.handlers.clinician.guards import argument, clinician_and_patient, clinician_only
from bot.handlers.context import BotContext
from bot.handlers.formatting import format_local, format_time
from bot.handlers.replies import send
from bot.render import Message

UPLOAD_LIMIT = 64 * 1024  # bytes: a protocol is a short text file


async def protocols(update: Update, context: BotContext) -> None:
    clinician = await clinician_only(update, context)
    if clinician is None:
        return
    listing = context.services.scheduler.catalog.listing(clinician.clinic_id)
    await send(update, context, Message.CLINICIAN_PROTOCOLS, protocols=listing)


async def assign(update: Update, context: BotContext) -> None:
    found = await clinician_and_patient(update, context)
    if found is None:
        return
    clinician, patient = found
    key = (argument(context, 1) or "").strip().lower()
    services = context.services
    if services.scheduler.catalog.current(clinician.clinic_id, key) is None:
        await send(update, context, Message.CLINICIAN_UNKNOWN_PROTOCOL, key=key)
        return
    patient.protocol = key
    patient.updated_at = services.clock.now()
    services.store.save_patient(patient)
    services.clinics.audit(clinician, "assign protocol", patient, key)
    await send(
        update, context, Message.CLINICIAN_DONE, what="assigned", code=patient.code, value=key
    )


async def checkin_time(update: Update, context: BotContext) -> None:
    found = await clinician_and_patient(update, context)
    if found is None:
        return
    clinician, patient = found
    services = context.services
    try:
        chosen = parse_time_of_day(argument(context, 1) or "")
    except InvalidAnswer:
        await send(update, context, Message.CLINICIAN_BAD_TIME)
        return
    patient.checkin_time = chosen
    patient.updated_at = services.clock.now()
    patient = services.store.save_patient(patient)
    services.scheduler.plan_ahead(patient)
    services.clinics.audit(clinician, "set check-in time", patient, format_time(chosen))
    text = services.prompts.renderer.message(
        Message.CHECKIN_TIME_SET_BY_CLINIC, checkin_time=format_time(chosen)
    )
    await context.bot.send_message(patient.chat_id, text)
    await send(
        update, context, Message.CLINICIAN_DONE, what="checkin_time", code=patient.code,
        value=format_time(chosen),
    )  # fmt: skip


async def protocol_uploaded(update: Update, context: BotContext) -> None:
    """A .yaml document from a clinician: checked like `protocols check`, stored whole or not."""
    clinician = await clinician_only(update, context)
    message = update.effective_message
    if clinician is None or message is None or message.document is None:
        return
    document = message.document
    name = document.file_name or "protocol.yaml"
    if (document.file_size or 0) > UPLOAD_LIMIT:
        await send(
            update,
            context,
            Message.CLINICIAN_UPLOAD_REFUSED,
            problems=["the file is too large"],
            name=name,
        )
        return
    data = await (await document.get_file()).download_as_bytearray()
    try:
        listed = context.services.scheduler.catalog.upload(
            clinician.clinic_id, clinician.id, name, bytes(data).decode("utf-8")
        )
    except UnicodeDecodeError:
        await send(
            update,
            context,
            Message.CLINICIAN_UPLOAD_REFUSED,
            problems=["the file is not UTF-8 text"],
            name=name,
        )
        return
    except ProtocolError as error:
        problems = [f"line {p.line}: {p.message}" for p in error.problems]
        await send(update, context, Message.CLINICIAN_UPLOAD_REFUSED, problems=problems, name=name)
        return
    context.services.clinics.audit(
        clinician, "upload protocol", detail=f"{listed.key} v{listed.version}"
    )
    await send(update, context, Message.CLINICIAN_UPLOADED, protocol=listed)


async def preview(update: Update, context: BotContext) -> None:
    """The whole timeline, as a patient would receive it, for a session ending tomorrow at
    noon in the clinician's own time zone."""
    clinician = await clinician_only(update, context)
    if clinician is None:
        return
    services = context.services
    key = (argument(context, 0) or services.settings.default_protocol).lower()
    found = services.scheduler.catalog.current(clinician.clinic_id, key)
    if found is None:
        await send(update, context, Message.CLINICIAN_UNKNOWN_PROTOCOL, key=key)
        return
    protocol, version = found
    zone, now = clinician.timezone, services.clock.now()
    ended = at_local(to_local(now, zone).date() + timedelta(days=1), time(12, 0), zone)
    quiet = services.scheduler.rules.quiet
    booked = plan_session(
        protocol, SessionTimes(0, None, ended), zone, quiet, now - timedelta(days=1)
    )
    after = plan_session(protocol, SessionTimes(0, ended, None), zone, quiet, ended)
    steps = []
    for item in booked + after:
        step = protocol.step(item.step_id or "")
        assert step is not None
        sample = PromptContext("Sam", 1, _days(item.due_at, ended, zone), 5.0, 4.0)
        if step.template is None:
            text = services.prompts.renderer.message(
                Message.CLINICIAN_PREVIEW_QUESTIONNAIRE, instrument=step.instrument or ""
            )
        else:
            text = services.prompts.renderer.prompt(step.template, **sample.variables())
        steps.append({"when": format_local(item.due_at, zone), "id": step.id, "text": text})
    services.clinics.audit(clinician, "preview protocol", detail=key)
    await send(update, context, Message.CLINICIAN_PREVIEW_HEAD, name=protocol.name, key=key,
               version=version, session=format_local(ended, zone), count=len(steps))  # fmt: skip
    for step in steps:
        await send(update, context, Message.CLINICIAN_PREVIEW_STEP, **step)


def _days(due: datetime, ended: datetime, zone: str) -> int:
    return (to_local(due, zone).date() - to_local(ended, zone).date()).days
