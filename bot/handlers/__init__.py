"""Telegram handlers: thin functions that parse an update, call the domain and reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.handlers import (
    checkin,
    errors,
    fallbacks,
    journal,
    learn,
    onboarding,
    own_data,
    pause,
    progress,
    questionnaire,
    safety,
    safety_plan,
    session,
    settings,
    text,
)
from bot.handlers.callback_data import Kind, pattern
from bot.handlers.clinician import care, invite, patients, reports, schedule
from bot.handlers.context import BotContext
from bot.handlers.roles import by_role, document_by_role

Callback = Callable[[Update, BotContext], Awaitable[None]]

COMMANDS: dict[str, Callback] = {
    "start": onboarding.start,
    "checkin": checkin.checkin,
    "settings": settings.settings,
    "session": session.session,
    "journal": journal.journal,
    "learn": learn.learn,
    "pause": pause.pause,
    "resume": pause.resume,
    "progress": progress.show_progress,
    "report": progress.report,
    "export": own_data.export,
    "delete": own_data.delete,
    "safetyplan": safety_plan.safety_plan,
    "crisis": safety.crisis_command,
    "help": fallbacks.help_command,
}
CLINICIAN_COMMANDS: dict[str, Callback] = {
    "patients": patients.patients,
    "patient": patients.patient,
    "alerts": care.alerts,
    "invite": invite.invite,
    "session": care.log_session,
    "assign": schedule.assign,
    "checkintime": schedule.checkin_time,
    "protocols": schedule.protocols,
    "preview": schedule.preview,
    "discharge": care.discharge,
    "digest": care.digest,
    "report": reports.report,
    "ask": care.ask_questionnaire,
    "help": fallbacks.clinician_help,
}
BUTTONS: dict[Kind, Callback] = {
    Kind.CONSENT: onboarding.consent_pressed,
    Kind.TIMEZONE: onboarding.timezone_pressed,
    Kind.CHECKIN_TIME: onboarding.checkin_time_pressed,
    Kind.CHECKIN: checkin.checkin_pressed,
    Kind.SETTINGS: settings.settings_pressed,
    Kind.SOS: safety.sos_pressed,
    Kind.SAFETY_PLAN: safety_plan.plan_pressed,
    Kind.JOURNAL: journal.journal_pressed,
    Kind.SESSION: session.session_pressed,
    Kind.PAUSE: pause.pause_pressed,
    Kind.LEARN: learn.learn_pressed,
    Kind.ALERT: care.acknowledge_pressed,
    Kind.PATIENTS: patients.patients_pressed,
    Kind.PROGRESS: progress.progress_pressed,
    Kind.REPORT: progress.report_pressed,
    Kind.DELETE: own_data.delete_pressed,
    Kind.QUESTIONNAIRE: questionnaire.questionnaire_pressed,
}

# The bot talks to people one to one; in groups it stays out of the way.
PRIVATE = filters.ChatType.PRIVATE
NEW_MESSAGE = filters.UpdateType.MESSAGE & PRIVATE


# Screening runs first, in its own group, on every text and caption, edited ones included.
SCREENING_GROUP = -1
SCREENED = (filters.UpdateType.MESSAGES & PRIVATE) & (filters.TEXT | filters.CAPTION)


def register_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.add_handler(MessageHandler(SCREENED, safety.screen_message), SCREENING_GROUP)
    for name in {**COMMANDS, **CLINICIAN_COMMANDS}:
        routed = by_role(name, COMMANDS.get(name), CLINICIAN_COMMANDS.get(name))
        application.add_handler(CommandHandler(name, routed, filters=NEW_MESSAGE))
    for kind, callback in BUTTONS.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern(kind)))
    application.add_handler(CallbackQueryHandler(fallbacks.unknown_button))
    application.add_handler(InlineQueryHandler(learn.inline_learn))
    application.add_handler(
        MessageHandler(NEW_MESSAGE & filters.TEXT & ~filters.COMMAND, text.text_message)
    )
    application.add_handler(
        MessageHandler(NEW_MESSAGE & filters.COMMAND, fallbacks.unknown_command)
    )
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE & PRIVATE, fallbacks.edited_message)
    )
    application.add_handler(
        MessageHandler(
            NEW_MESSAGE & filters.Document.ALL,
            lambda update, context: document_by_role(
                update,
                context,
                clinician=schedule.protocol_uploaded,
                others=fallbacks.unsupported_message,
            ),
        )
    )
    application.add_handler(MessageHandler(NEW_MESSAGE, fallbacks.unsupported_message))
    application.add_error_handler(errors.on_error)
