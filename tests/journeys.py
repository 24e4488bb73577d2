"""Steps many tests share, written the way a patient would take them."""

from __future__ import annotations

from bot.emulator import EmulatedMessage
from bot.localbot import Person


def texts(messages: list[EmulatedMessage]) -> str:
    """Everything the bot said, as the person sees it, in one string for easy matching."""
    return "\n---\n".join(message.text or message.caption or "" for message in messages)


async def join(person: Person, zone_button: str = "UK", time_button: str = "20:00") -> None:
    """Start, agree, and pick a time zone and check-in time by buttons."""
    await person.says("/start")
    await person.presses("Yes, I agree")
    await person.presses(zone_button)
    replies = await person.presses(time_button)
    assert "You're all set" in texts(replies)


async def check_in(person: Person, mood: int, pain: int, note: str | None = None) -> str:
    """A whole check-in by buttons (and a typed note); returns the bot's final reply."""
    replies = await person.says("/checkin")
    if any(button.text == "Replace today's entry" for m in replies for button in m.flat_buttons):
        await person.presses("Replace today's entry")
    await person.presses(str(mood))
    await person.presses(str(pain))
    replies = await person.says(note) if note else await person.presses("Skip")
    return texts(replies)
