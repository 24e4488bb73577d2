"""/report CODE: a patient's chart, their check-ins as CSV, and a one-page PDF summary."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.domain.progress import Span
from bot.handlers.clinician.guards import clinician_and_patient
from bot.handlers.context import BotContext
from bot.handlers.progress import chart_labels, patient_pdf
from bot.handlers.replies import send
from bot.render import Message
from bot.reports.chart import progress_png


async def report(update: Update, context: BotContext) -> None:
    found = await clinician_and_patient(update, context)
    chat = update.effective_chat
    if found is None or chat is None:
        return
    clinician, patient = found
    services = context.services
    figures, sessions = services.patient_data.figures(patient, Span.QUARTER)
    services.clinics.audit(clinician, "report", patient)
    if not figures.enough_for_a_chart:
        await send(update, context, Message.CLINICIAN_REPORT_TOO_SOON, code=patient.code)
        return
    alerts = [
        f"{a.raised_at:%Y-%m-%d} {a.kind}{'' if a.acknowledged_at else ' (open)'}"
        for a in services.store.alerts.for_patient(patient.id or 0)
    ]
    code = patient.code or "patient"
    png = progress_png(figures, sessions, chart_labels(context, Span.QUARTER, code))
    await context.bot.send_photo(chat.id, InputFile(png, filename=f"{code}.png"), caption=code)
    csv = services.patient_data.checkins_csv(patient)
    await context.bot.send_document(chat.id, InputFile(csv, filename=f"{code}-checkins.csv"))
    pdf = patient_pdf(context, patient, Span.QUARTER, alerts=alerts)
    if pdf is not None:
        await context.bot.send_document(chat.id, InputFile(pdf, filename=f"{code}-summary.pdf"))
