"""From what the bot sent (text/caption + parse_mode or entities) to what the user sees.

Telegram applies the same pipeline to message texts and media captions: parse the markup, trim
surrounding whitespace, then enforce the length limit on the *result* in UTF-16 code units. Only
the limits and error wording differ, which ``TEXT`` and ``CAPTION`` capture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator import limits
from bot.emulator.errors import ApiError, bad_request
from bot.emulator.html_entities import HtmlParseError, parse_html
from bot.emulator.text import clip_entities, trim, utf16_len

# Looks up a user by id for ``tg://user?id=N`` links; returns the User JSON or None.
UserLookup = Callable[[int], dict[str, Any] | None]

_USER_LINK = re.compile(r"^tg://user\?id=(\d+)$")


@dataclass(frozen=True)
class TextRules:
    """Limits and Telegram's wording for one kind of formatted text."""

    max_length: int
    empty_allowed: bool
    empty_error: str
    too_long_error: str


TEXT = TextRules(
    max_length=limits.MAX_TEXT_LENGTH,
    empty_allowed=False,
    empty_error="message text is empty",
    too_long_error="message is too long",
)
CAPTION = TextRules(
    max_length=limits.MAX_CAPTION_LENGTH,
    empty_allowed=True,
    empty_error="message caption is empty",
    too_long_error="message caption is too long",
)


@dataclass(frozen=True)
class FormattedText:
    """Plain text as displayed, its entities, and the raw HTML source if HTML was used."""

    text: str | None
    entities: list[dict[str, Any]]
    html: str | None
    parse_mode: str | None


def format_text(
    raw: str | None,
    parse_mode: str | None,
    entities: Any,
    rules: TextRules,
    *,
    strict_html: bool,
    lookup_user: UserLookup,
) -> FormattedText:
    """Apply Telegram's formatting pipeline; raises ``ApiError`` 400 exactly where Telegram does.

    An absent or (after trimming) empty caption yields ``text=None``.
    """
    mode = (parse_mode or "").strip() or None
    if raw is None or raw == "":
        if rules.empty_allowed:
            return FormattedText(None, [], None, mode)
        raise bad_request(rules.empty_error)

    html: str | None = None
    if mode is not None and mode.lower() == "html":
        try:
            parsed = parse_html(raw, strict=strict_html)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc.reason}") from None
        text, found = parsed.text, _resolve_mentions(parsed.entities, lookup_user)
        html = raw
    elif mode is not None and mode.lower() in ("markdown", "markdownv2"):
        text, found = raw, []
    elif mode is not None:
        raise bad_request("unsupported parse_mode")
    else:
        text, found = raw, clip_entities(raw, _validate_entities(entities))

    text, found = trim(text, found)
    length = utf16_len(text)
    if length == 0:
        if rules.empty_allowed:
            return FormattedText(None, [], html, mode)
        raise bad_request(rules.empty_error)
    if length > rules.max_length:
        raise bad_request(rules.too_long_error)
    return FormattedText(text, found, html, mode)


def _validate_entities(entities: Any) -> list[dict[str, Any]]:
    """Check the shape of an explicit ``entities``/``caption_entities`` list."""
    if entities is None:
        return []
    if not isinstance(entities, list) or not all(
        isinstance(e, dict)
        and isinstance(e.get("type"), str)
        and isinstance(e.get("offset"), int)
        and isinstance(e.get("length"), int)
        for e in entities
    ):
        raise ApiError(400, "Bad Request: can't parse entities JSON object")
    return entities


def _resolve_mentions(
    entities: list[dict[str, Any]], lookup_user: UserLookup
) -> list[dict[str, Any]]:
    """``<a href="tg://user?id=N">`` becomes a ``text_mention`` of a known user, else is dropped."""
    resolved: list[dict[str, Any]] = []
    for entity in entities:
        match = _USER_LINK.match(entity.get("url", "")) if entity["type"] == "text_link" else None
        if match is None:
            resolved.append(entity)
            continue
        user = lookup_user(int(match.group(1)))
        if user is not None:
            resolved.append(
                {
                    "type": "text_mention",
                    "offset": entity["offset"],
                    "length": entity["length"],
                    "user": user,
                }
            )
    return resolved
