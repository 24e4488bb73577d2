"""Logging that cannot leak the bot token or what patients say.

Two rules: third-party loggers that print request URLs (which contain the token) or request
bodies (which contain messages) are held at WARNING whatever LOG_LEVEL says, and every line
passes through a formatter that masks the token in case anything prints it anyway.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

# httpx logs every request URL at INFO (the URL contains the token); python-telegram-bot logs
# request parameters (message texts) at DEBUG.
CHATTY_LIBRARIES = ("httpx", "httpcore", "telegram", "apscheduler", "aiohttp.access")
MASK = "[redacted]"
MIN_SECRET_LENGTH = 8


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str], fmt: str) -> None:
        super().__init__(fmt)
        # Very short strings would mask ordinary words; real secrets are long.
        self._secrets = [secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH]

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text


class BotLogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The bot's own handler, told apart so configuring again replaces it and nothing else."""


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = BotLogHandler(sys.stderr)
    handler.setFormatter(
        RedactingFormatter(secrets, "%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, BotLogHandler)] + [handler]
    root.setLevel(level)
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
