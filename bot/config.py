"""Every setting, loaded and validated once.

Settings come from the environment and an optional ``.env`` file (pydantic-settings does the
reading and type coercion). Errors are reduced to one line per setting that never repeats the
value given, because the value may be the bot token.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from datetime import time
from ipaddress import ip_address
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
TOKEN_PATTERN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,80}$")
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
BotMode = Literal["polling", "webhook"]
# Telegram's rule for setWebhook's secret_token: 1-256 characters, only A-Z, a-z, 0-9, _ and -.
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
HEALTH_PATH = "/healthz"


@dataclass(frozen=True)
class ClinicContact:
    """How patients reach their clinic, for the questions the bot must not answer."""

    name: str = ""
    phone: str = ""
    hours: str = ""


@dataclass(frozen=True)
class WebhookSettings:
    """What webhook mode needs, checked together: where Telegram posts, and how we listen."""

    url: str
    path: str
    secret: str
    listen: str
    port: int


class ConfigError(Exception):
    """A setting is missing or wrong; the message is safe to print and names no secret."""


class Settings(BaseSettings):
    """The deployment's configuration; see ``.env.example`` for what each setting means."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    telegram_bot_token: SecretStr | None = None
    database_url: str = "sqlite:///data/bot.db"
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_api_file_url: str = "https://api.telegram.org/file/bot"
    default_timezone: str = "UTC"
    log_level: LogLevel = "INFO"
    prompts_dir: Path = Field(default=REPOSITORY_ROOT / "prompts")
    content_dir: Path = Field(default=REPOSITORY_ROOT / "content")
    crisis_region: str = "us"
    clinic_name: str = ""
    clinic_phone: str = ""
    clinic_hours: str = ""
    default_protocol: str = "at-home-oral"
    allow_open_enrolment: bool = False
    default_clinic: str = "Main clinic"
    first_clinician_id: int | None = None
    first_clinician_name: str = "Clinician"
    invite_valid_days: int = Field(default=7, ge=1, le=90)
    quiet_hours_start: time = time(21, 30)
    quiet_hours_end: time = time(8, 0)
    checkin_reminder_minutes: int = Field(default=120, ge=0, le=24 * 60)
    journal_window_hours: float = Field(default=6.0, gt=0, le=48)
    dispatch_interval_seconds: float = Field(default=1.0, gt=0, le=60)
    telegram_per_second: int = Field(default=30, ge=1, le=30)
    scheduled_per_second: int = Field(default=20, ge=1, le=29)
    send_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    # Running several copies (issue #11): how updates arrive, and how instances share work.
    bot_mode: BotMode = "polling"
    webhook_url: str = ""
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    instance_name: str = Field(default_factory=socket.gethostname, min_length=1, max_length=64)
    claim_lease_seconds: float = Field(default=60.0, ge=5, le=3600)

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_looks_like_a_token(cls, value: object) -> object:
        if value is None or value == "":
            return None
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if not isinstance(raw, str) or not TOKEN_PATTERN.match(raw.strip()):
            raise ValueError(
                "does not look like a bot token (expected digits, a colon and a long code, "
                "as given by @BotFather)"
            )
        return raw.strip()

    @field_validator("database_url")
    @classmethod
    def _database_url_parses(cls, value: str) -> str:
        try:
            make_url(value)
        except ArgumentError:
            raise ValueError("is not a database URL such as sqlite:///data/bot.db") from None
        return value

    @field_validator("telegram_api_base_url", "telegram_api_file_url")
    @classmethod
    def _is_http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("default_timezone")
    @classmethod
    def _is_iana_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not an IANA time zone name such as Europe/Berlin") from None
        return value

    @field_validator("crisis_region", mode="before")
    @classmethod
    def _lower_case_region(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("bot_mode", mode="before")
    @classmethod
    def _lower_case_mode(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("first_clinician_id", "webhook_secret", mode="before")
    @classmethod
    def _empty_means_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("instance_name", mode="before")
    @classmethod
    def _empty_means_host_name(cls, value: object) -> object:
        return socket.gethostname() if value in ("", None) else value

    @field_validator("prompts_dir", "content_dir", mode="before")
    @classmethod
    def _empty_means_default(cls, value: object, info: ValidationInfo) -> object:
        """An empty setting means the folder of that name next to the package."""
        folder = (info.field_name or "").removesuffix("_dir")
        return REPOSITORY_ROOT / folder if value in ("", None) else value

    @field_validator("prompts_dir", "content_dir")
    @classmethod
    def _prompts_dir_exists(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError("is not a folder")
        return value

    @property
    def clinic_contact(self) -> ClinicContact:
        return ClinicContact(self.clinic_name, self.clinic_phone, self.clinic_hours)

    def require_token(self) -> str:
        """The token, or a ConfigError explaining how to provide one."""
        if self.telegram_bot_token is None:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env "
                "(see .env.example), or try the bot without one: python -m bot console"
            )
        return self.telegram_bot_token.get_secret_value()

    def require_webhook(self) -> WebhookSettings:
        """The webhook settings, or one ConfigError line naming every problem (never a value:
        the secret must not be printed, and a URL path sometimes holds the token)."""
        problems = [
            problem
            for problem in (_webhook_url_problem(self.webhook_url), self._webhook_secret_problem())
            if problem
        ]
        if problems:
            raise ConfigError("Configuration problem (BOT_MODE=webhook): " + "; ".join(problems))
        assert self.webhook_secret is not None  # checked above
        return WebhookSettings(
            url=self.webhook_url,
            path=urlsplit(self.webhook_url).path or "/",
            secret=self.webhook_secret.get_secret_value(),
            listen=self.webhook_listen,
            port=self.webhook_port,
        )

    def _webhook_secret_problem(self) -> str:
        if self.webhook_secret is None:
            return (
                "WEBHOOK_SECRET is not set: choose a random code of up to 256 letters, digits, "
                "_ or - (Telegram sends it with every update so forged requests can be refused)"
            )
        if not WEBHOOK_SECRET_PATTERN.match(self.webhook_secret.get_secret_value()):
            return "WEBHOOK_SECRET must be 1-256 characters, only A-Z, a-z, 0-9, _ and -"
        return ""


def _webhook_url_problem(url: str) -> str:
    """Telegram only posts to https; plain http is allowed for this machine (tests, a local
    Bot API such as the emulator)."""
    if not url:
        return "WEBHOOK_URL is not set: give the public https:// address Telegram should post to"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return "WEBHOOK_URL is not a valid URL"
    if not host or any(character.isspace() for character in url):
        return "WEBHOOK_URL is not a valid URL"
    if parts.scheme == "http" and not is_loopback_host(host):
        return "WEBHOOK_URL must start with https:// (http:// only for 127.0.0.1, ::1 or localhost)"
    if parts.scheme not in ("https", "http"):
        return "WEBHOOK_URL must start with https://"
    if parts.path.rstrip("/") == HEALTH_PATH:
        return f"WEBHOOK_URL must not end in {HEALTH_PATH}, which is the health endpoint"
    return ""


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: an address only this machine can reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(env_file: Path | str | None = ".env", **overrides: object) -> Settings:
    """Read the settings once, turning validation errors into one safe line."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None


def _describe(error: ValidationError) -> str:
    """One line naming each bad setting and what is wrong, never the value given."""
    problems = []
    for problem in error.errors(include_input=False, include_url=False):
        name = "_".join(str(part) for part in problem["loc"]).upper() or "settings"
        message = str(problem["msg"]).removeprefix("Value error, ")
        problems.append(f"{name} {message}")
    return "Configuration problem: " + "; ".join(problems)
