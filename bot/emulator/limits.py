"""Numeric limits of the Bot API that the emulator enforces (see the Bot API docs and FAQ)."""

from typing import Final

MAX_TEXT_LENGTH: Final = 4096  # UTF-16 code units, after entity parsing
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64  # UTF-8 bytes
MAX_INLINE_BUTTONS: Final = 100
MAX_CALLBACK_ANSWER_LENGTH: Final = 200
CALLBACK_QUERY_LIFETIME: Final = 15.0  # seconds before answerCallbackQuery is "too old"
MAX_COMMANDS: Final = 100
MAX_COMMAND_DESCRIPTION: Final = 256
MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024
MAX_PHOTO_BYTES: Final = 10 * 1024 * 1024
MAX_DOWNLOAD_BYTES: Final = 20 * 1024 * 1024  # getFile refuses bigger files
MAX_UPDATES_LIMIT: Final = 100
