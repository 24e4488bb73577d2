"""A local stand-in for the Telegram Bot API, for tests and the try-it console.

``BotApiEmulator`` serves the real Bot API wire format on 127.0.0.1 so the unmodified
python-telegram-bot ``Application`` can run against it, while tests play the human side
(``send_text``, ``press_button``, ...) and inspect what the bot did (``chat``, ``calls``, ...).
"""

from bot.emulator.emulator import BotApiEmulator
from bot.emulator.errors import EmulatorError
from bot.emulator.faults import FaultKind
from bot.emulator.models import (
    ApiCall,
    ChatEvent,
    EmulatedMessage,
    EmulatedUser,
    InlineButton,
    UploadedFile,
)

__all__ = [
    "ApiCall",
    "BotApiEmulator",
    "ChatEvent",
    "EmulatedMessage",
    "EmulatedUser",
    "EmulatorError",
    "FaultKind",
    "InlineButton",
    "UploadedFile",
]
