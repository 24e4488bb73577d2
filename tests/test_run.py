"""``python -m bot`` as a deployment runs it: polling a Bot API (here the emulator) with a token."""

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.emulator import BotApiEmulator

TOKEN = "7000001:AAHtesttokentesttokentesttokentest12"


async def test_the_bot_process_polls_answers_and_stops_cleanly(tmp_path: Path):
    async with BotApiEmulator(bot_id=7000001, bot_username="carebot_local_bot") as emulator:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")},
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.base_url,
            "TELEGRAM_API_FILE_URL": emulator.base_file_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'bot.db'}",
            "ALLOW_OPEN_ENROLMENT": "true",
            "LOG_LEVEL": "DEBUG",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            emulator.send_text(user_id=42, text="/start", first_name="Quinta")
            welcome = await emulator.wait_for_bot_message(42, timeout=30, match="glad you're here")
            assert "Quinta" in welcome.text
            assert "checkin" in [c["command"] for c in emulator.commands()]
        finally:
            process.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert "starting in polling mode" in log
    assert TOKEN not in log
    assert "Quinta" not in log
    assert (tmp_path / "data" / "bot.db").exists()
