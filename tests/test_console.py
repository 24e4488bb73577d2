"""The try-it console: typed lines, numbered buttons, the clock, people, scripts, loopback only."""

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.config import REPOSITORY_ROOT, load_settings
from bot.console.commands import (
    ConsoleUsageError,
    MoveClock,
    PressButton,
    SendText,
    SwitchPerson,
    parse_line,
    person_id,
)
from bot.console.runner import console_settings, read_script, run_console
from bot.console.transcript import Transcript, wants_colour
from bot.localbot import LocalBot

SCRIPT = REPOSITORY_ROOT / "tests" / "scripts" / "onboarding_and_checkin.txt"


async def run_script(settings, tmp_path: Path, lines: str) -> tuple[int, str]:
    script = tmp_path / "script.txt"
    script.write_text(lines)
    output = io.StringIO()
    status = await run_console(settings, script=script, output=output, files_dir=tmp_path)
    return status, output.getvalue()


@pytest.mark.parametrize(
    ("line", "action"),
    [
        ("#1", PressButton(1)),
        ("#12", PressButton(12)),
        ("5", SendText("5")),
        ("# 1", SendText("# 1")),
        ("/help", SendText("/help")),
        ("/time +2h", MoveClock(by=timedelta(hours=2))),
        ("/time +1d2h30m", MoveClock(by=timedelta(days=1, hours=2, minutes=30))),
        ("/time +1w", MoveClock(by=timedelta(weeks=1))),
        ("/as patient Bo Li", SwitchPerson("patient", "Bo Li")),
        ("/as clinician Dr A", SwitchPerson("clinician", "Dr A")),
    ],
)
def test_lines_are_read_as_console_commands_buttons_or_messages(line, action):
    assert parse_line(line) == action


def test_an_absolute_time_is_a_local_wall_clock_time():
    action = parse_line("/time 2026-03-29 09:00")
    assert action.to_local.isoformat() == "2026-03-29T09:00:00"


@pytest.mark.parametrize(
    "line",
    ["/time", "/time +2x", "/time +", "/time 29/03/2026", "/as", "/as doctor X", "/as patient"],
)
def test_mistyped_console_commands_explain_themselves(line):
    with pytest.raises(ConsoleUsageError, match="write"):
        parse_line(line)


def test_each_name_is_its_own_stable_telegram_user():
    assert person_id("patient", "Bo") == person_id("patient", "bo")
    assert person_id("patient", "Bo") != person_id("patient", "Cy")
    assert person_id("patient", "Bo") != person_id("clinician", "Bo")


def test_script_files_hold_typed_lines_expectations_and_comments(tmp_path: Path):
    script = tmp_path / "s.txt"
    script.write_text("# a comment\n/start\n? Hi .*\n\n#1\n#\n5\n")
    lines = [(line.text, line.expectation) for line in read_script(script)]
    assert lines == [("/start", None), ("? Hi .*", "Hi .*"), ("#1", None), ("5", None)]


def test_the_console_keeps_its_own_database_unless_told_otherwise(monkeypatch):
    assert console_settings(load_settings(env_file=None)).database_url == (
        "sqlite:///data/console.db"
    )
    monkeypatch.setenv("DATABASE_URL", "sqlite:///elsewhere.db")
    assert console_settings(load_settings(env_file=None)).database_url == ("sqlite:///elsewhere.db")


async def test_buttons_are_numbered_and_pressed_with_a_hash(settings, tmp_path: Path):
    status, output = await run_script(settings, tmp_path, "/start\n#1\n#5\n#2\n? all set\n")
    assert status == 0
    assert "[1] Yes, I agree  [2] No, thanks" in output
    assert "Got it: Europe/London" in output  # [5] is UK
    assert "Daily check-in: 09:00" in output  # [2] is 09:00
    assert "\033[" not in output  # no colours when the output is not a terminal


async def test_a_typed_number_stays_a_message(settings, tmp_path: Path):
    status, output = await run_script(settings, tmp_path, "/start\n#1\n5\n")
    assert status == 0
    assert "I don't know the time zone “5”" in output


async def test_the_clock_command_moves_the_bots_time(settings, tmp_path: Path):
    status, output = await run_script(
        settings,
        tmp_path,
        "/start\n#1\nAsia/Tokyo\n#1\n/checkin\n#5\n#5\n#1\n"
        "/time 2030-01-02 07:30\n/checkin\n? How is your mood today\n"
        "/time +1d\n/time 2030-01-01 10:00\n",
    )
    assert status == 0, output
    assert "The clock is now Wed 02 Jan 2030, 07:30 in Asia/Tokyo (22:30 UTC)." in output
    assert "The clock is now Thu 03 Jan 2030, 07:30 in Asia/Tokyo" in output
    assert "The clock only moves forward." in output
    assert "You already checked in today" not in output


async def test_switching_people_gives_each_their_own_chat(settings, tmp_path: Path):
    status, output = await run_script(
        settings,
        tmp_path,
        "/start\n#1\n/as patient Bo\n/start\n? Hi Bo, I'm glad\n#1\n"
        "/as patient Sam\n/start\n? Which time zone\n/as clinician Dr A\n"
        "/start\n? You are set up as a clinician\n/patients\n? P-\\d{4} Bo\n",
    )
    assert status == 0, output
    assert "You are now Bo, a patient" in output
    assert "Bo \u203a /start" in output
    assert "You are now Dr A, a clinician at Main clinic" in output


async def test_an_expected_reply_that_never_comes_fails_the_script(settings, tmp_path: Path):
    status, output = await run_script(settings, tmp_path, "/help\n? something the bot never says\n")
    assert status == 1
    assert "script.txt:2: no bot message matched 'something the bot never says'" in output


async def test_a_crash_in_the_bot_fails_the_script(settings, tmp_path: Path, monkeypatch):
    from bot.handlers import fallbacks

    def broken(*_args):
        raise RuntimeError("boom")

    monkeypatch.setattr(fallbacks, "send", broken)
    status, output = await run_script(settings, tmp_path, "/help\n")
    assert status == 1
    assert "The bot logged 1 error(s)" in output


async def test_the_console_only_ever_connects_to_127_0_0_1(settings, tmp_path, monkeypatch):
    # Even with a proxy named in the environment, nothing may leave the machine.
    monkeypatch.setenv("HTTPS_PROXY", "http://10.255.255.1:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://10.255.255.1:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.255.255.1:3128")
    connections: list[object] = []
    watching = True

    def audit(event: str, arguments: tuple) -> None:
        if watching and event == "socket.connect":
            connections.append(arguments[1])

    sys.addaudithook(audit)
    try:
        status, output = await run_script(settings, tmp_path, SCRIPT.read_text())
    finally:
        watching = False
    assert status == 0, output
    assert connections, "the audit hook saw no connections at all"
    hosts = {address[0] for address in connections if isinstance(address, tuple)}
    assert hosts == {"127.0.0.1"}


async def test_edits_and_files_from_the_bot_are_shown(local_bot: LocalBot, ana, tmp_path):
    output = io.StringIO()
    transcript = Transcript(output, tmp_path / "files", colour=True)
    events = local_bot.emulator.subscribe()
    await ana.says("/help")
    bot = local_bot.application.bot
    sent = await bot.send_message(
        ana.user_id,
        "Before <b>bold</b>",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="x:y:z")]]),
    )
    await bot.edit_message_reply_markup(ana.user_id, sent.message_id, reply_markup=None)
    await bot.edit_message_text("After", ana.user_id, sent.message_id)
    await bot.send_document(ana.user_id, b"col\n1\n", filename="export.csv")
    while not events.empty():
        transcript.event(events.get_nowait())
    shown = output.getvalue()
    assert "Before \033[1mbold\033[0m" in shown
    assert shown.count("bot (edited)") == 1  # the keyboard-only edit is not shown as news
    assert "bot (edited) \033[0m After" in shown or "After" in shown.split("(edited)")[1]
    saved = next((tmp_path / "files").glob("*export.csv"))
    assert saved.read_bytes() == b"col\n1\n"
    assert str(saved) in shown


def test_the_committed_script_runs_as_the_readme_shows(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--script", str(SCRIPT)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Saved: mood 6, pain 4, with your note." in result.stdout
    assert (tmp_path / "data" / "console.db").exists()


def test_the_interactive_console_reads_the_keyboard_until_quit(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console"],
        input="/start\n#1\n/console-help\n/quit\n/help\n",
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "[1] Yes, I agree  [2] No, thanks" in result.stdout
    assert "Which time zone are you in?" in result.stdout
    assert "/as patient NAME" in result.stdout
    assert "What I can do" not in result.stdout  # nothing after /quit is sent
    assert "\033[" not in result.stdout  # piped output stays plain


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert wants_colour(Terminal())
    assert not wants_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_colour(Terminal())


async def test_moving_the_clock_sends_what_falls_due_on_the_way(settings, tmp_path: Path):
    status, output = await run_script(
        settings,
        tmp_path,
        "/start\n#1\nEurope/London\n21:00\n/time 2030-01-02 09:00\n"
        "/session\n#1\n#1\n? session 1 ended\n"
        "/time +1h\n? Your session is over\n/time +1d\n? time for today's check-in\n"
        "/time +60d\n",
    )
    assert status == 0, output
    assert output.count("Your session is over") == 1
    assert "marked missed, not sent" in output
