from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

GOOD_TOKEN = "123456789:AAHfakefakefakefakefakefakefake12345"


def test_defaults_are_polling_against_telegram_with_a_local_sqlite_file():
    settings = load_settings(env_file=None)
    assert settings.database_url == "sqlite:///data/bot.db"
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.telegram_api_file_url == "https://api.telegram.org/file/bot"
    assert settings.default_timezone == "UTC"
    assert settings.log_level == "INFO"
    assert settings.telegram_bot_token is None


def test_settings_come_from_the_environment_and_a_dotenv_file(tmp_path: Path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"TELEGRAM_BOT_TOKEN={GOOD_TOKEN}\nDEFAULT_TIMEZONE=Europe/Berlin\nLOG_LEVEL=debug\n"
    )
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9000/bot")
    settings = load_settings(env_file=env_file)
    assert settings.require_token() == GOOD_TOKEN
    assert settings.default_timezone == "Europe/Berlin"
    assert settings.log_level == "DEBUG"
    assert settings.telegram_api_base_url == "http://127.0.0.1:9000/bot"


def test_a_missing_token_is_explained_in_one_line():
    with pytest.raises(ConfigError) as raised:
        load_settings(env_file=None).require_token()
    assert "TELEGRAM_BOT_TOKEN is not set" in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "token",
    ["123:short", "not-a-token-at-all-but-quite-long-indeed-yes", "12345:" + "A" * 29, "x" * 50],
)
def test_a_malformed_token_is_refused_without_being_echoed(token: str, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    with pytest.raises(ConfigError) as raised:
        load_settings(env_file=None)
    message = str(raised.value)
    assert "TELEGRAM_BOT_TOKEN does not look like a bot token" in message
    assert token not in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE is not an IANA time zone"),
        ("LOG_LEVEL", "chatty", "LOG_LEVEL"),
        ("DATABASE_URL", "not a url", "DATABASE_URL is not a database URL"),
        ("TELEGRAM_API_BASE_URL", "ftp://x", "TELEGRAM_API_BASE_URL must start with http"),
    ],
)
def test_each_bad_setting_is_named(name: str, value: str, expected: str, monkeypatch):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=expected):
        load_settings(env_file=None)


def test_several_problems_are_reported_together(monkeypatch):
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Nowhere/Town")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "oops")
    with pytest.raises(ConfigError) as raised:
        load_settings(env_file=None)
    assert "DEFAULT_TIMEZONE" in str(raised.value)
    assert "TELEGRAM_BOT_TOKEN" in str(raised.value)


def test_env_example_documents_every_setting():
    from bot.config import REPOSITORY_ROOT, Settings

    example = (REPOSITORY_ROOT / ".env.example").read_text()
    for field in Settings.model_fields:
        assert f"{field.upper()}=" in example, f"{field.upper()} is missing from .env.example"
