"""Text measurements the way Telegram does them.

Telegram counts lengths and entity offsets in UTF-16 code units, so an emoji outside the Basic
Multilingual Plane counts as 2. Every helper here works in those units.
"""

from __future__ import annotations

import re
from typing import Any

# Whitespace Telegram trims from both ends of a message after entity parsing.
TRIMMED_WHITESPACE = " \t\n\r\v\f"

_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def char_utf16_len(char: str) -> int:
    """UTF-16 code units of a single character (2 for astral characters)."""
    return 2 if ord(char) > 0xFFFF else 1


def trim(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Strip leading/trailing whitespace like Telegram, shifting and clipping entities to match.

    Entities that end up empty are dropped.
    """
    stripped_left = text.lstrip(TRIMMED_WHITESPACE)
    result = stripped_left.rstrip(TRIMMED_WHITESPACE)
    shift = utf16_len(text) - utf16_len(stripped_left)
    end = utf16_len(result)
    adjusted: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        stop = min(entity["offset"] + entity["length"] - shift, end)
        if stop > start:
            adjusted.append({**entity, "offset": start, "length": stop - start})
    return result, adjusted


def clip_entities(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Clip explicitly passed entities to the text, dropping those that fall outside it."""
    total = utf16_len(text)
    clipped: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"], 0)
        stop = min(entity["offset"] + entity["length"], total)
        if stop > start:
            clipped.append({**entity, "offset": start, "length": stop - start})
    return clipped


def command_entities(text: str) -> list[dict[str, Any]]:
    """``bot_command`` entities for every ``/command`` or ``/command@bot`` starting a word.

    Telegram marks these in incoming messages; python-telegram-bot's CommandHandler relies on the
    one at offset 0.
    """
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]
