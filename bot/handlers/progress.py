"""/progress, /report, /export and /delete: a patient's own data, shown, taken or removed."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.domain.progress import Progress, Span
from bot.handlers import keyboards
from bot.handlers.callback_data import Kind
from bot.handlers.context import BotContext
from bot.handlers.guards import ready_patient
from bot.handlers.incoming import pressed
from bot.handlers.replies import acknowledge_press, send
from bot.render import Message
from bot.reports.chart import progress_png
from bot.reports.pdf import report_pdf
from bot.storage import Patient

CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption


async def show_progress(update: Update, context: BotContext) -> None:
    await _send_chart(update, context, Span.MONTH)


async def progress_pressed(update: Update, context: BotContext) -> None:
    await acknowledge_press(update, context)
    callback = pressed(update)
    span = Span(callback.value) if callback and callback.value in set(Span) else Span.MONTH
    await _send_chart(update, context, span)


async def _send_chart(update: Update, context: BotContext, span: Span) -> None:
    patient = await ready_patient(update, context)
    chat = update.effective_chat
    if patient is None or chat is None:
        return
    services = context.services
    figures, sessions = services.patient_data.figures(patient, span)
    if not figures.enough_for_a_chart:
        await send(update, context, Message.PROGRESS_NOT_YET, checkins=figures.checkins)
        return
    png = progress_png(figures, sessions, chart_labels(context, span, patient.first_name))
    caption = services.prompts.renderer.message(
        Message.PROGRESS_SUMMARY,
        scores=services.questionnaires.latest_scores(patient),
        **summary(figures),
    )
    await context.bot.send_photo(
        chat.id,
        InputFile(png, filename="progress.png"),
        caption=caption[:CAPTION_LIMIT],
        reply_markup=keyboards.spans(services.prompts.ui, Kind.PROGRESS, except_span=span.value),
    )


async def report(update: Update, context: BotContext) -> None:
    """A patient's one-page PDF for their own doctor: first the range."""
    patient = await ready_patient(update, context)
    if patient is not None:
        ui = context.services.prompts.ui
        await send(update, context, Message.REPORT_CHOOSE, keyboards.spans(ui, Kind.REPORT))


async def report_pressed(update: Update, context: BotContext) -> None:
    await acknowledge_press(update, context)
    callback = pressed(update)
    patient = await ready_patient(update, context)
    chat = update.effective_chat
    if patient is None or chat is None or callback is None or callback.value not in set(Span):
        return
    pdf = patient_pdf(context, patient, Span(callback.value))
    if pdf is None:
        await send(update, context, Message.PROGRESS_NOT_YET, checkins=0)
        return
    today = context.services.patient_data.today(patient)
    await context.bot.send_document(chat.id, InputFile(pdf, filename=f"report-{today}.pdf"))


def patient_pdf(
    context: BotContext, patient: Patient, span: Span, alerts: list[str] | None = None
) -> bytes | None:
    """The one-page report, for the patient's doctor or (with ``alerts``) their clinician."""
    services = context.services
    figures, sessions = services.patient_data.figures(patient, span)
    if not figures.enough_for_a_chart:
        return None
    text = services.prompts.renderer.message(
        Message.REPORT_TEXT,
        scores=services.questionnaires.latest_scores(patient),
        first_name=patient.first_name,
        sessions=len([d for d in sessions if figures.first <= d <= figures.last]),
        alerts=alerts,
        **summary(figures),
    )
    labels = chart_labels(context, span, patient.first_name)
    labels["subtitle"] = services.prompts.renderer.message(
        Message.REPORT_SUBTITLE, first=figures.first.isoformat(), last=figures.last.isoformat()
    )
    return report_pdf(figures, sessions, labels, text.splitlines())


def summary(figures: Progress) -> dict[str, object]:
    return {
        "week_pain": figures.week_pain,
        "week_mood": figures.week_mood,
        "baseline": figures.baseline_pain,
        "change_points": figures.change_points,
        "change_percent": figures.change_percent,
        "streak": figures.streak,
        "days_since_session": figures.days_since_session,
        "months": figures.months,
        "adherence": figures.adherence,
        "checkins": figures.checkins,
        "first": figures.first.isoformat(),
        "last": figures.last.isoformat(),
    }


def chart_labels(context: BotContext, span: Span, first_name: str) -> dict[str, str]:
    services = context.services
    labels = services.prompts.ui.chart.model_dump()
    labels["title"] = services.prompts.renderer.message(
        Message.CHART_TITLE, span=span.value, first_name=first_name
    )
    return labels
