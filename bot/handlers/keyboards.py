"""Inline keyboards. Labels come from prompts/ui.yaml; payloads from ``Callback``."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.answers import SCALE_MAX, SCALE_MIN
from bot.domain.protocols import Button
from bot.handlers.callback_data import Callback, Kind
from bot.handlers.formatting import format_time
from bot.ui_text import UiText

# Check-in button values.
REPLACE, KEEP, SKIP_NOTE = "replace", "keep", "skip"
MOOD_PREFIX, PAIN_PREFIX = "m", "p"
# Settings button values.
CHANGE_TIMEZONE, CHANGE_CHECKIN_TIME = "tz", "time"
SHARE_ON, SHARE_OFF = "share", "private"
BACK = "back"  # a questionnaire's Back button
ACCEPT, DECLINE = "yes", "no"
INVITE_SEPARATOR = "."
# The low-mood follow-up question.
YES, NO = "yes", "no"
# Crisis reply buttons.
SAFE_NOW, HELP_AGAIN, SHOW_PLAN = "safe", "again", "plan"
# Safety plan buttons.
SKIP_PART, STOP_PLAN, WHOLE_PLAN, EDIT_PART_PREFIX = "skip", "stop", "all", "edit"
# Integration prompt buttons.
SCORE_PREFIX, WRITE = "s", "w"
# /session and /pause.
JUST_FINISHED, EARLIER_TODAY, UPCOMING, CONFIRM_NOW, CANCEL = "now", "earlier", "soon", "ok", "x"
PAUSE_UNTIL_RESUME = "open"
# /learn: a page number, or one of these.
SOURCES, MORE, TOPICS = "src", "more", "menu"
TURN = "p"  # "p3": turn this message to page 3; a bare "3" opens page 3 as a new message
# /delete's two confirmations.
DELETE_FIRST, DELETE_FINAL = "1", "2"
PAUSE_DAYS = (1, 3, 7)


def _button(label: str, kind: Kind, token: str, value: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=Callback(kind, token, value).encode())


def _rows(buttons: Sequence[InlineKeyboardButton], per_row: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [list(buttons[start : start + per_row]) for start in range(0, len(buttons), per_row)]
    )


def consent(ui: UiText, version: int, invite: str | None = None) -> InlineKeyboardMarkup:
    """The invite code, if any, rides along in the token until the person agrees: nothing
    is stored about them before that."""
    token = f"{version}{INVITE_SEPARATOR}{invite}" if invite else str(version)
    return _rows(
        [
            _button(ui.buttons.consent_accept, Kind.CONSENT, token, ACCEPT),
            _button(ui.buttons.consent_decline, Kind.CONSENT, token, DECLINE),
        ],
        per_row=2,
    )


def timezones(ui: UiText, token: str, local_zone: str) -> InlineKeyboardMarkup:
    """The usual choices, led by the deployment's own zone when it is not one of them."""
    choices = [(c.label, c.zone) for c in ui.choices.timezones]
    if local_zone != "UTC" and local_zone not in {zone for _, zone in choices}:
        choices.insert(0, (local_zone.rsplit("/", 1)[-1].replace("_", " "), local_zone))
    return _rows([_button(label, Kind.TIMEZONE, token, zone) for label, zone in choices], 2)


def checkin_times(ui: UiText, token: str) -> InlineKeyboardMarkup:
    return _rows(
        [
            _button(format_time(t), Kind.CHECKIN_TIME, token, format_time(t))
            for t in ui.choices.checkin_times
        ],
        per_row=3,
    )


def score(token: str, prefix: str) -> InlineKeyboardMarkup:
    """0-10 in two rows (0-5, 6-10): large enough to tap on a phone."""
    values = range(SCALE_MIN, SCALE_MAX + 1)
    return _rows([_button(str(v), Kind.CHECKIN, token, f"{prefix}{v}") for v in values], 6)


def skip_note(ui: UiText, token: str) -> InlineKeyboardMarkup:
    return _rows([_button(ui.buttons.note_skip, Kind.CHECKIN, token, SKIP_NOTE)], per_row=1)


def replace_or_keep(ui: UiText, token: str) -> InlineKeyboardMarkup:
    return _rows(
        [
            _button(ui.buttons.checkin_replace, Kind.CHECKIN, token, REPLACE),
            _button(ui.buttons.checkin_keep, Kind.CHECKIN, token, KEEP),
        ],
        per_row=1,
    )


def settings_menu(ui: UiText, sharing_journal: bool = False) -> InlineKeyboardMarkup:
    share = ui.buttons.journal_stop_sharing if sharing_journal else ui.buttons.journal_share
    return _rows(
        [
            _button(ui.buttons.change_timezone, Kind.SETTINGS, "", CHANGE_TIMEZONE),
            _button(ui.buttons.change_checkin_time, Kind.SETTINGS, "", CHANGE_CHECKIN_TIME),
            _button(share, Kind.SETTINGS, "", SHARE_OFF if sharing_journal else SHARE_ON),
        ],
        per_row=1,
    )


def yes_no(ui: UiText, token: str) -> InlineKeyboardMarkup:
    return _rows(
        [
            _button(ui.buttons.yes, Kind.CHECKIN, token, YES),
            _button(ui.buttons.no, Kind.CHECKIN, token, NO),
        ],
        per_row=2,
    )


def crisis(ui: UiText, has_plan: bool) -> InlineKeyboardMarkup:
    """Not tied to any question: these buttons work on every crisis reply, however old."""
    buttons = [
        _button(ui.buttons.safe_now, Kind.SOS, "", SAFE_NOW),
        _button(ui.buttons.show_help_again, Kind.SOS, "", HELP_AGAIN),
    ]
    if has_plan:
        buttons.append(_button(ui.buttons.my_safety_plan, Kind.SOS, "", SHOW_PLAN))
    return _rows(buttons, per_row=1)


def safety_plan_question(ui: UiText, token: str) -> InlineKeyboardMarkup:
    return _rows(
        [
            _button(ui.buttons.plan_skip_part, Kind.SAFETY_PLAN, token, SKIP_PART),
            _button(ui.buttons.plan_stop, Kind.SAFETY_PLAN, token, STOP_PLAN),
        ],
        per_row=2,
    )


def safety_plan_parts(ui: UiText) -> InlineKeyboardMarkup:
    buttons = [
        _button(f"{number}. {part.title}", Kind.SAFETY_PLAN, "", f"{EDIT_PART_PREFIX}{number}")
        for number, part in enumerate(ui.safety_plan, 1)
    ]
    buttons.append(_button(ui.buttons.plan_start_again, Kind.SAFETY_PLAN, "", WHOLE_PLAN))
    return _rows(buttons, per_row=1)


def prompt_buttons(
    ui: UiText, row_id: int, buttons: Sequence[Button]
) -> InlineKeyboardMarkup | None:
    """The buttons a protocol step asks for, tied to the message they arrive on."""
    if not buttons:
        return None
    token = str(row_id)
    rows: list[list[InlineKeyboardButton]] = []
    if Button.SCALE in buttons:
        values = [
            _button(str(v), Kind.JOURNAL, token, f"{SCORE_PREFIX}{v}")
            for v in range(SCALE_MIN, SCALE_MAX + 1)
        ]
        rows += [values[:6], values[6:]]
    if Button.WRITE in buttons:
        rows.append([_button(ui.buttons.journal_write, Kind.JOURNAL, token, WRITE)])
    return InlineKeyboardMarkup(rows)


def session_menu(ui: UiText, token: str) -> InlineKeyboardMarkup:
    return _rows(
        [
            _button(ui.buttons.session_just_finished, Kind.SESSION, token, JUST_FINISHED),
            _button(ui.buttons.session_earlier_today, Kind.SESSION, token, EARLIER_TODAY),
            _button(ui.buttons.session_upcoming, Kind.SESSION, token, UPCOMING),
            _button(ui.buttons.cancel, Kind.SESSION, token, CANCEL),
        ],
        per_row=1,
    )


def confirm_just_finished(ui: UiText, token: str) -> InlineKeyboardMarkup:
    return _rows(
        [
            _button(ui.buttons.session_confirm_now, Kind.SESSION, token, CONFIRM_NOW),
            _button(ui.buttons.session_earlier_today, Kind.SESSION, token, EARLIER_TODAY),
            _button(ui.buttons.cancel, Kind.SESSION, token, CANCEL),
        ],
        per_row=1,
    )


def cancel_only(ui: UiText, token: str) -> InlineKeyboardMarkup:
    return _rows([_button(ui.buttons.cancel, Kind.SESSION, token, CANCEL)], per_row=1)


def pause_menu(ui: UiText) -> InlineKeyboardMarkup:
    labels = {1: ui.buttons.pause_1_day, 3: ui.buttons.pause_3_days, 7: ui.buttons.pause_7_days}
    buttons = [_button(labels[days], Kind.PAUSE, "", str(days)) for days in PAUSE_DAYS]
    buttons.append(_button(ui.buttons.pause_until_resume, Kind.PAUSE, "", PAUSE_UNTIL_RESUME))
    return _rows(buttons, per_row=3)


def learn_topics(ui: UiText, articles: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per article (id, title): the topic menu."""
    return _rows([_button(title, Kind.LEARN, article_id, "1") for article_id, title in articles], 1)


def learn_page(ui: UiText, article_id: str, page: int, pages: int) -> InlineKeyboardMarkup:
    paging = []
    if page > 1:
        paging.append(
            _button(ui.buttons.learn_previous, Kind.LEARN, article_id, f"{TURN}{page - 1}")
        )
    if page < pages:
        paging.append(_button(ui.buttons.learn_next, Kind.LEARN, article_id, f"{TURN}{page + 1}"))
    rows = [paging] if paging else []
    rows.append(
        [
            _button(ui.buttons.learn_sources, Kind.LEARN, article_id, SOURCES),
            _button(ui.buttons.learn_more, Kind.LEARN, article_id, MORE),
        ]
    )
    rows.append([_button(ui.buttons.learn_topics, Kind.LEARN, "", TOPICS)])
    return InlineKeyboardMarkup(rows)


def learn_offer(ui: UiText, article_id: str) -> InlineKeyboardMarkup:
    return _rows([_button(ui.buttons.learn_read, Kind.LEARN, article_id, "1")], per_row=1)


def acknowledge(ui: UiText, alert_id: int) -> InlineKeyboardMarkup:
    return _rows([_button(ui.buttons.acknowledge, Kind.ALERT, str(alert_id), "ok")], per_row=1)


def patients_pages(ui: UiText, page: int, pages: int) -> InlineKeyboardMarkup | None:
    buttons = []
    if page > 1:
        buttons.append(_button(ui.buttons.learn_previous, Kind.PATIENTS, "", str(page - 1)))
    if page < pages:
        buttons.append(_button(ui.buttons.learn_next, Kind.PATIENTS, "", str(page + 1)))
    return _rows(buttons, per_row=2) if buttons else None


def spans(ui: UiText, kind: Kind, except_span: str | None = None) -> InlineKeyboardMarkup:
    """30 days, 90 days, everything: for the chart (without the one shown) and the report."""
    labels = {"30": ui.buttons.span_30, "90": ui.buttons.span_90, "all": ui.buttons.span_all}
    buttons = [
        _button(label, kind, "", span) for span, label in labels.items() if span != except_span
    ]
    return _rows(buttons, per_row=3)


def delete_step(ui: UiText, step: str) -> InlineKeyboardMarkup:
    """Two steps: "Yes, delete my data", then "Delete everything for good"."""
    label = ui.buttons.delete_yes if step == DELETE_FIRST else ui.buttons.delete_for_good
    return _rows(
        [
            _button(label, Kind.DELETE, "", step),
            _button(ui.buttons.cancel, Kind.DELETE, "", CANCEL),
        ],
        per_row=1,
    )


def questionnaire(
    ui: UiText, token: str, options: Sequence[tuple[str, str]], can_go_back: bool
) -> InlineKeyboardMarkup:
    """Each answer on its own row (they are long), then Back."""
    rows = [[_button(label, Kind.QUESTIONNAIRE, token, value)] for value, label in options]
    if can_go_back:
        rows.append([_button(ui.buttons.back, Kind.QUESTIONNAIRE, token, BACK)])
    return InlineKeyboardMarkup(rows)
