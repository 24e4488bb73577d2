"""/session CODE [when], /discharge CODE, /alerts with their Acknowledge buttons, /digest."""

from __future__ import annotations

from datetime import datetime

from telegram import Update

from bot.domain.answers import InvalidAnswer, parse_day_and_time, parse_time_of_day
from bot.domain.local_time import at_local, to_local
from bot.domain.scheduling import SessionTimeError
from bot.domain.timezones import resolve_zone
from bot.handlers import keyboards
from bot.handlers.clinician.guards import argument, clinician_and_patient, clinician_only
from bot.handlers.context import BotContext
from bot.handlers.formatting import format_local, format_time
from bot.handlers.incoming import pressed
from bot.handlers.replies import acknowledge_press, send
from bot.render import Message


async def log_session(update: Update, context: BotContext) -> None:
    """A clinic-administered or phoned-in session: now, or ``YYYY-MM-DD HH:MM`` in the
    patient's own time zone, past (ended then) or future (booked)."""
    found = await clinician_and_patient(update, context)
    if found is None:
        return
    clinician, patient = found
    services = context.services
    scheduler = services.scheduler
    zone = patient.timezone or clinician.timezone
    now = services.clock.now()
    when_text = " ".join((context.args or [])[1:])
    try:
        when = _when(when_text, now, zone) if when_text else now
        logged = (
            scheduler.session_finished(patient, when)
            if when <= now
            else scheduler.session_booked(patient, when)
        )
    except (InvalidAnswer, SessionTimeError):
        await send(update, context, Message.CLINICIAN_BAD_SESSION_TIME)
        return
    services.clinics.audit(clinician, "log session", patient, f"session {logged.session.number}")
    await send(
        update,
        context,
        Message.CLINICIAN_SESSION_LOGGED,
        code=patient.code,
        number=logged.session.number,
        when=format_local(when, zone),
        booked=when > now,
        prompts_planned=logged.prompts_planned,
    )


def _when(text: str, now: datetime, zone: str) -> datetime:
    day, at = parse_day_and_time(text, to_local(now, zone).date())
    return at_local(day, at, zone)


async def discharge(update: Update, context: BotContext) -> None:
    found = await clinician_and_patient(update, context)
    if found is None:
        return
    clinician, patient = found
    services = context.services
    services.scheduler.discharge(patient)
    services.clinics.audit(clinician, "discharge", patient)
    text = services.prompts.renderer.message(Message.DISCHARGED, first_name=patient.first_name)
    await context.bot.send_message(patient.chat_id, text)
    await send(
        update, context, Message.CLINICIAN_DONE, what="discharged", code=patient.code, value=""
    )


async def alerts(update: Update, context: BotContext) -> None:
    clinician = await clinician_only(update, context)
    if clinician is None:
        return
    services = context.services
    open_alerts = services.store.alerts.open_for_clinic(clinician.clinic_id)
    if not open_alerts:
        await send(update, context, Message.CLINICIAN_NO_ALERTS)
        return
    for alert in open_alerts:
        patient = services.store.patient(alert.patient_id)
        await send(
            update,
            context,
            Message.CLINICIAN_ALERT,
            keyboards.acknowledge(services.prompts.ui, alert.id or 0),
            tier=alert.tier,
            kind=alert.kind,
            code=patient.code if patient else "",
            first_name=patient.first_name if patient else "",
            escalation=alert.escalated_at is not None,
            minutes=int((services.clock.now() - alert.raised_at).total_seconds() // 60),
        )


async def acknowledge_pressed(update: Update, context: BotContext) -> None:
    callback = pressed(update)
    user = update.effective_user
    services = context.services
    clinician = services.clinics.clinician(user.id) if user else None
    alert = None
    if clinician is not None and callback is not None and callback.token.isdigit():
        alert = services.store.alerts.get(int(callback.token))
    if clinician is None or alert is None or alert.clinic_id != clinician.clinic_id:
        await acknowledge_press(update, context, services.prompts.ui.notices.stale_button)
        return
    if alert.acknowledged_at is None:
        services.alerts.acknowledge(alert, clinician.id or 0)
        patient = services.store.patient(alert.patient_id)
        services.clinics.audit(clinician, "acknowledge alert", patient, alert.kind)
    await acknowledge_press(update, context, services.prompts.ui.notices.saved)


async def digest(update: Update, context: BotContext) -> None:
    """/digest HH:MM [ZONE] chooses the daily summary's time in the clinician's own zone
    (given once, kept after); /digest off stops it."""
    clinician = await clinician_only(update, context)
    if clinician is None:
        return
    services = context.services
    choice = (argument(context, 0) or "").strip().lower()
    zone_text = " ".join((context.args or [])[1:])
    zone = resolve_zone(zone_text) if zone_text else None
    if choice == "off":
        clinician.digest_time = None
    else:
        try:
            clinician.digest_time = parse_time_of_day(choice)
        except InvalidAnswer:
            await send(update, context, Message.CLINICIAN_BAD_TIME)
            return
        if zone_text and zone is None:
            await send(update, context, Message.CLINICIAN_BAD_TIME)
            return
        if zone is not None:
            clinician.timezone = zone.name
    services.store.clinics.save_clinician(clinician)
    services.clinics.audit(clinician, "set digest", detail=choice)
    value = (
        f"{format_time(clinician.digest_time)} ({clinician.timezone})"
        if clinician.digest_time
        else "off"
    )
    await send(update, context, Message.CLINICIAN_DONE, what="digest", code="", value=value)


async def ask_questionnaire(update: Update, context: BotContext) -> None:
    """/ask CODE PHQ9: send the patient a questionnaire now (through the outbox, like any
    planned message, so pacing, pauses and delivery rules apply)."""
    found = await clinician_and_patient(update, context)
    if found is None:
        return
    clinician, patient = found
    services = context.services
    key = (argument(context, 1) or "").lower().replace("-", "")
    known = {k.replace("-", ""): k for k in services.questionnaires.instruments}
    if key not in known:
        await send(update, context, Message.CLINICIAN_UNKNOWN_INSTRUMENT, names=sorted(known))
        return
    services.scheduler.send_questionnaire_now(patient, known[key])
    services.clinics.audit(clinician, "send questionnaire", patient, known[key])
    await send(
        update, context, Message.CLINICIAN_DONE, what="asked", code=patient.code, value=known[key]
    )
