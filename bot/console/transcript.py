"""How the chat looks in a terminal: the bot's messages, numbered buttons, edits and files.

Telegram-HTML is turned into terminal styles (bold, italic) when the terminal shows colour,
and into plain text when it does not or when the output is piped.
"""

from __future__ import annotations

import html
import os
from html.parser import HTMLParser
from pathlib import Path
from typing import TextIO

from bot.emulator import ChatEvent, EmulatedMessage

BOLD, ITALIC, DIM, RESET = "\033[1m", "\033[3m", "\033[2m", "\033[0m"
BOT_COLOUR, PERSON_COLOUR, CONSOLE_COLOUR = "\033[36m", "\033[33m", "\033[35m"
STYLES = {"b": BOLD, "strong": BOLD, "i": ITALIC, "em": ITALIC}
INDENT = "      "
SAYS = "\u203a"  # a small right-pointing angle quotation mark after each speaker


def wants_colour(stream: TextIO) -> bool:
    """Colour only on a real terminal that can show it, and never when NO_COLOR is set."""
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


class _TerminalHtml(HTMLParser):
    def __init__(self, colour: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.colour = colour
        self.parts: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)
        if self.colour and tag in STYLES:
            self.parts.append(STYLES[tag])

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        if self.colour and tag in STYLES:
            self.parts.append(RESET + "".join(STYLES.get(t, "") for t in self.open))

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def terminal_text(message: EmulatedMessage, colour: bool) -> str:
    if message.html is None:
        return message.text or message.caption or ""
    parser = _TerminalHtml(colour)
    parser.feed(message.html)
    parser.close()
    return html.unescape("".join(parser.parts)).strip()


class Transcript:
    """Writes the conversation to a stream, and saves files the bot sends to a folder."""

    def __init__(self, stream: TextIO, files_dir: Path, colour: bool) -> None:
        self.stream = stream
        self.files_dir = files_dir
        self.colour = colour
        self._shown_text: dict[tuple[int, int], str] = {}

    def typed(self, who: str, line: str) -> None:
        self._write(f"{self._paint(PERSON_COLOUR, f'{who} {SAYS}')} {line}")

    def console(self, text: str) -> None:
        for line in text.splitlines():
            self._write(self._paint(CONSOLE_COLOUR, f"[console] {line}"))

    def event(self, event: ChatEvent) -> None:
        message = event.message
        if event.kind == "message" and message is not None:
            self._message(message, edited=False)
        elif event.kind == "edit" and message is not None:
            key = (message.chat_id, message.message_id)
            if self._shown_text.get(key) != terminal_text(message, colour=False):
                self._message(message, edited=True)  # keyboard-only edits are not news
        elif event.kind == "delete" and message is not None:
            self._write(self._paint(DIM, f"{INDENT}(the bot deleted message {message.message_id})"))
        elif event.kind == "callback_answer" and event.text:
            self._write(self._paint(DIM, f"{INDENT}(pop-up) {event.text}"))

    def _message(self, message: EmulatedMessage, edited: bool) -> None:
        text = terminal_text(message, self.colour)
        self._shown_text[(message.chat_id, message.message_id)] = terminal_text(message, False)
        label = f"bot (edited) {SAYS}" if edited else f"bot {SAYS}"
        lines = text.splitlines() or [""]
        self._write(f"{self._paint(BOT_COLOUR, label)} {lines[0]}")
        for line in lines[1:]:
            self._write(f"{INDENT}{line}" if line else "")
        if message.file_bytes is not None:
            self._write(f"{INDENT}(file saved: {self._save_file(message)})")
        buttons = "  ".join(f"[{n}] {b.text}" for n, b in enumerate(message.flat_buttons, 1))
        if buttons:
            self._write(INDENT + self._paint(BOLD, buttons))

    def _save_file(self, message: EmulatedMessage) -> Path:
        self.files_dir.mkdir(parents=True, exist_ok=True)
        name = Path(message.file_name or f"{message.kind}.bin").name
        path = self.files_dir / f"{message.chat_id}-{message.message_id}-{name}"
        path.write_bytes(message.file_bytes or b"")
        return path

    def _paint(self, style: str, text: str) -> str:
        return f"{style}{text}{RESET}" if self.colour else text

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()
