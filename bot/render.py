"""The Jinja2 environment that turns templates under ``prompts/`` into message text.

Templates are edited by clinicians, so they render in a sandbox, and an unknown variable is an
error rather than a silent blank. Messages are sent with Telegram's HTML parse mode, so
autoescaping keeps anything a person typed (a name like ``<b>Al & Co``) from breaking one.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import SandboxedEnvironment


class Message(StrEnum):
    """Every message template the bot sends (``prompts/messages/<name>.html``)."""

    WELCOME = "welcome"
    CONSENT_UPDATED = "consent_updated"
    CONSENT_NEEDED = "consent_needed"
    CONSENT_DECLINED = "consent_declined"
    ASK_TIMEZONE = "ask_timezone"
    TIMEZONE_UNKNOWN = "timezone_unknown"
    TIMEZONE_SAVED = "timezone_saved"
    ASK_CHECKIN_TIME = "ask_checkin_time"
    CHECKIN_TIME_INVALID = "checkin_time_invalid"
    CHECKIN_TIME_SAVED = "checkin_time_saved"
    ONBOARDING_DONE = "onboarding_done"
    WELCOME_BACK = "welcome_back"
    SETTINGS = "settings"
    FINISH_SETUP_FIRST = "finish_setup_first"
    CHECKIN_REPLACE_OFFER = "checkin_replace_offer"
    CHECKIN_KEPT = "checkin_kept"
    ASK_MOOD = "ask_mood"
    ASK_PAIN = "ask_pain"
    ASK_NOTE = "ask_note"
    ASK_HEADACHE = "ask_headache"
    QUESTIONNAIRE_ITEM = "questionnaire_item"
    QUESTIONNAIRE_DONE = "questionnaire_done"
    QUESTIONNAIRE_REMINDER = "questionnaire_reminder"
    CLINICIAN_UNKNOWN_INSTRUMENT = "clinician_unknown_instrument"
    SCORE_INVALID = "score_invalid"
    USE_BUTTONS = "use_buttons"
    CHECKIN_SAVED = "checkin_saved"
    HELP = "help"
    UNKNOWN_COMMAND = "unknown_command"
    UNEXPECTED_TEXT = "unexpected_text"
    UNSUPPORTED_MESSAGE = "unsupported_message"
    EDITED_MESSAGE = "edited_message"
    ERROR = "error"
    CRISIS = "crisis"
    EMERGENCY = "emergency"
    CRISIS_LINES = "crisis_lines"
    SAFE_NOW = "safe_now"
    NO_DOSING_ADVICE = "no_dosing_advice"
    LOW_MOOD_QUESTION = "low_mood_question"
    LOW_MOOD_SUPPORT = "low_mood_support"
    SAFETY_PLAN_INTRO = "safety_plan_intro"
    SAFETY_PLAN_ASK = "safety_plan_ask"
    SAFETY_PLAN_SHOW = "safety_plan_show"
    SAFETY_PLAN_STOPPED = "safety_plan_stopped"
    CHECKIN_DUE = "checkin_due"
    CHECKIN_REMINDER = "checkin_reminder"
    PROMPT_REMINDER = "prompt_reminder"
    SESSION_MENU = "session_menu"
    SESSION_CONFIRM = "session_confirm"
    SESSION_ASK_END = "session_ask_end"
    SESSION_ASK_UPCOMING = "session_ask_upcoming"
    SESSION_TIME_INVALID = "session_time_invalid"
    SESSION_TIME_IMPOSSIBLE = "session_time_impossible"
    SESSION_LOGGED = "session_logged"
    SESSION_CANCELLED = "session_cancelled"
    PAUSE_MENU = "pause_menu"
    PAUSED = "paused"
    RESUMED = "resumed"
    JOURNAL_ASK = "journal_ask"
    JOURNAL_SAVED = "journal_saved"
    JOURNAL_RECENT = "journal_recent"
    LEARN_MENU = "learn_menu"
    LEARN_NO_MATCH = "learn_no_match"
    LEARN_PAGE = "learn_page"
    LEARN_SOURCES = "learn_sources"
    LEARN_OFFER = "learn_offer"
    INVITE_PROBLEM = "invite_problem"
    INVITE_NEEDED = "invite_needed"
    CLINICIANS_CANNOT_JOIN = "clinicians_cannot_join"
    CLINICIAN_WELCOME = "clinician_welcome"
    CLINICIANS_ONLY = "clinicians_only"
    NO_SUCH_PATIENT = "no_such_patient"
    CLINICIAN_PATIENTS = "clinician_patients"
    CLINICIAN_PATIENT = "clinician_patient"
    CLINICIAN_INVITE = "clinician_invite"
    CLINICIAN_PROTOCOLS = "clinician_protocols"
    CLINICIAN_UNKNOWN_PROTOCOL = "clinician_unknown_protocol"
    CLINICIAN_DONE = "clinician_done"
    CLINICIAN_BAD_TIME = "clinician_bad_time"
    CHECKIN_TIME_SET_BY_CLINIC = "checkin_time_set_by_clinic"
    CLINICIAN_UPLOAD_REFUSED = "clinician_upload_refused"
    CLINICIAN_UPLOADED = "clinician_uploaded"
    CLINICIAN_PREVIEW_HEAD = "clinician_preview_head"
    CLINICIAN_PREVIEW_STEP = "clinician_preview_step"
    CLINICIAN_BAD_SESSION_TIME = "clinician_bad_session_time"
    CLINICIAN_SESSION_LOGGED = "clinician_session_logged"
    DISCHARGED = "discharged"
    CLINICIAN_NO_ALERTS = "clinician_no_alerts"
    CLINICIAN_ALERT = "clinician_alert"
    CLINICIAN_DIGEST = "clinician_digest"
    CLINICIAN_HELP = "clinician_help"
    CLINICIAN_NOT_PATIENT = "clinician_not_patient"
    PROGRESS_NOT_YET = "progress_not_yet"
    PROGRESS_SUMMARY = "progress_summary"
    CHART_TITLE = "chart_title"
    REPORT_CHOOSE = "report_choose"
    REPORT_TEXT = "report_text"
    REPORT_SUBTITLE = "report_subtitle"
    CLINICIAN_PREVIEW_QUESTIONNAIRE = "clinician_preview_questionnaire"
    EXPORT_READY = "export_ready"
    DELETE_ASK = "delete_ask"
    DELETE_CONFIRM = "delete_confirm"
    DELETED = "deleted"
    DELETE_CANCELLED = "delete_cancelled"
    CLINICIAN_REPORT_TOO_SOON = "clinician_report_too_soon"


class Renderer:
    def __init__(self, prompts_dir: Path, **shared: Any) -> None:
        """``shared`` values (such as the command list) are visible to every template."""
        self._environment = SandboxedEnvironment(
            loader=FileSystemLoader(prompts_dir),
            undefined=StrictUndefined,
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._environment.globals.update(shared)

    def message(self, template: Message, /, **context: Any) -> str:
        return self._render(f"messages/{template}.html", context)

    def consent(self, version: int, **context: Any) -> str:
        return self._render(consent_template(version), context)

    def prompt(self, template: str, /, **context: Any) -> str:
        """A protocol step's template, named by its path under prompts/."""
        return self._render(template, context)

    def render_problems(self, name: str, contexts: list[dict[str, Any]]) -> list[str]:
        """Why a template cannot be sent: missing, broken, or naming an unknown variable."""
        compiled = self.compile_errors([name])
        if compiled:
            return compiled
        problems: list[str] = []
        for context in contexts:
            try:
                self._render(name, context)
            except TemplateError as error:
                problems.append(f"prompts/{name}: {error.message or type(error).__name__}")
                break
            except Exception as error:  # e.g. arithmetic on a value that can be none
                problems.append(f"prompts/{name}: fails to render ({type(error).__name__})")
                break
        return problems

    def compile_errors(self, names: list[str]) -> list[str]:
        """Problems that would stop these templates from loading, one line each."""
        problems = []
        for name in names:
            try:
                self._environment.get_template(name)
            except TemplateNotFound:
                problems.append(f"prompts/{name}: there is no such template file")
            except TemplateError as error:
                line = getattr(error, "lineno", None)
                where = f"prompts/{name}" + (f", line {line}" if line else "")
                problems.append(f"{where}: {error.message or type(error).__name__}")
        return problems

    def _render(self, name: str, context: dict[str, Any]) -> str:
        return self._environment.get_template(name).render(context).strip()


def message_template(name: Message) -> str:
    return f"messages/{name}.html"


def consent_template(version: int) -> str:
    return f"consent/v{version}.html"
