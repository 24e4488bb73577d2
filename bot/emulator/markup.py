"""Validation of ``reply_markup`` and conversion of inline keyboards into ``InlineButton`` rows.

Telegram rejects a malformed keyboard with a 400 before sending anything, and the most common
bot bug here is ``callback_data`` over 64 bytes (easy to hit with non-ASCII text), so the checks
mirror Telegram's and use its error wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.emulator import limits
from bot.emulator.errors import ApiError, bad_request
from bot.emulator.models import InlineButton
from bot.emulator.spec import INLINE_BUTTON_ACTIONS

_MARKUP_KINDS = ("inline_keyboard", "keyboard", "remove_keyboard", "force_reply")
_URL = re.compile(r"^(https?|tg)://\S+$", re.IGNORECASE)


@dataclass(frozen=True)
class Markup:
    """A validated ``reply_markup``: the raw JSON and, for inline keyboards, the button grid."""

    raw: dict[str, Any] | None = None
    inline: list[list[InlineButton]] = field(default_factory=list)


NO_MARKUP = Markup()


def _unparsable() -> ApiError:
    return bad_request("can't parse reply keyboard markup JSON object")


def _button_error(reason: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {reason}")


def parse_reply_markup(value: Any, *, inline_only: bool = False) -> Markup:
    """Validate a decoded ``reply_markup``; ``inline_only`` for edit methods.

    ``None`` means "no markup" (which, for edits, removes the current inline keyboard).
    """
    if value is None:
        return NO_MARKUP
    if not isinstance(value, dict):
        raise _unparsable()
    kind = next((k for k in _MARKUP_KINDS if k in value), None)
    if kind is None:
        raise _unparsable()
    if inline_only and kind != "inline_keyboard":
        raise bad_request("inline keyboard expected")
    if kind == "inline_keyboard":
        return Markup(value, _inline_rows(value["inline_keyboard"]))
    if kind == "keyboard":
        _check_reply_keyboard(value["keyboard"])
    return Markup(value)


def _rows(grid: Any) -> list[list[Any]]:
    if not isinstance(grid, list) or not all(isinstance(row, list) for row in grid):
        raise _unparsable()
    return grid


def _inline_rows(grid: Any) -> list[list[InlineButton]]:
    rows = [[_inline_button(button) for button in row] for row in _rows(grid)]
    if sum(len(row) for row in rows) > limits.MAX_INLINE_BUTTONS:
        raise bad_request("reply markup is too long")
    return rows


def _inline_button(button: Any) -> InlineButton:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise _button_error('Field "text" must be of type String')
    actions = [action for action in INLINE_BUTTON_ACTIONS if button.get(action) is not None]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _button_error(f"exactly one of the fields {', '.join(actions)} must be used")
    action = actions[0]
    value = button[action]
    if action == "callback_data":
        if not isinstance(value, str) or not (
            1 <= len(value.encode("utf-8")) <= limits.MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
        return InlineButton(text, callback_data=value)
    if action == "url":
        if not isinstance(value, str) or not _URL.match(value):
            raise bad_request("BUTTON_URL_INVALID")
        return InlineButton(text, url=value)
    return InlineButton(text, extra={action: value})


def _check_reply_keyboard(grid: Any) -> None:
    for row in _rows(grid):
        for button in row:
            if isinstance(button, str):
                continue
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
