"""The command line fails with one plain line, never a traceback and never the token."""

import os
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from bot.config import REPOSITORY_ROOT

MALFORMED_TOKEN = "999:this-is-not-how-tokens-look"


def run_bot(tmp_path: Path, *arguments: str, **environment: str) -> subprocess.CompletedProcess:
    """``python -m bot`` in an empty folder (so no developer .env is read) with a clean env."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_token_the_bot_explains_and_stops(tmp_path: Path):
    result = run_bot(tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env "
        "(see .env.example), or try the bot without one: python -m bot console"
    ]


def test_a_malformed_token_is_never_echoed(tmp_path: Path):
    result = run_bot(tmp_path, TELEGRAM_BOT_TOKEN=MALFORMED_TOKEN)
    assert result.returncode == 2
    assert "does not look like a bot token" in result.stderr
    assert MALFORMED_TOKEN not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_the_token_can_come_from_a_dotenv_file(tmp_path: Path):
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={MALFORMED_TOKEN}\n")
    result = run_bot(tmp_path)
    assert "TELEGRAM_BOT_TOKEN does not look like a bot token" in result.stderr


def test_broken_prompts_stop_start_up_before_telegram_is_contacted(tmp_path: Path):
    prompts = tmp_path / "prompts"
    shutil.copytree(REPOSITORY_ROOT / "prompts", prompts)
    (prompts / "messages" / "welcome.html").write_text("{% for %}")
    result = run_bot(
        tmp_path,
        TELEGRAM_BOT_TOKEN="123456789:AAHfakefakefakefakefakefakefake12345",
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot",
        PROMPTS_DIR=str(prompts),
    )
    assert result.returncode == 2
    assert "prompts/messages/welcome.html, line 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_the_database(tmp_path: Path):
    result = run_bot(tmp_path, "db", "upgrade", DATABASE_URL="sqlite:///data/clinic.db")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "clinic.db").exists()


def test_a_console_script_is_installed():
    [script] = [e for e in entry_points(group="console_scripts") if e.name == "ketamine-care-bot"]
    assert script.value == "bot.__main__:main"


@pytest.mark.parametrize("arguments", [["--help"], ["db", "--help"]])
def test_help_is_available(tmp_path: Path, arguments: list[str]):
    result = run_bot(tmp_path, *arguments)
    assert result.returncode == 0
    assert "usage: python -m bot" in result.stdout


def test_safety_check_scores_a_labelled_file(tmp_path: Path):
    labelled = tmp_path / "mine.csv"
    labelled.write_text(
        "label,text\ncrisis,i want to kill myself\nordinary,this migraine is killing me\n"
        "emergency,crushing chest pain and i cannot breathe\nordinary,had a nice walk\n"
    )
    result = run_bot(tmp_path, "safety", "check", str(labelled))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "crisis: recall 100.0% (1/1)" in result.stdout
    assert "false alarms 0.0% (0/2)" in result.stdout


def test_safety_check_fails_when_the_rules_miss_too_much(tmp_path: Path):
    labelled = tmp_path / "mine.csv"
    labelled.write_text("label,text\ncrisis,what a lovely sunny morning\nordinary,ok\n")
    result = run_bot(tmp_path, "safety", "check", str(labelled))
    assert result.returncode == 1
    assert "crisis: recall 0.0% (0/1)" in result.stdout
    assert "what a lovely sunny morning" in result.stdout  # the miss, to learn from
    # A held-out set is measured without showing its messages, so they stay unseen.
    figures = run_bot(tmp_path, "safety", "check", "--figures-only", str(labelled))
    assert figures.returncode == 1
    assert "crisis: recall 0.0% (0/1)" in figures.stdout
    assert "lovely" not in figures.stdout


def test_safety_check_explains_a_malformed_file(tmp_path: Path):
    labelled = tmp_path / "broken.csv"
    labelled.write_text("label,text\nworried,hello\n")
    result = run_bot(tmp_path, "safety", "check", str(labelled))
    assert result.returncode == 2
    assert "broken.csv" in result.stderr
    assert "Traceback" not in result.stderr
