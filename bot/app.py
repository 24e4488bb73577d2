"""Assembling the application: storage, prompts, services and handlers. No logic lives here."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)
from telegram.request import HTTPXRequest

from bot.clock import Clock
from bot.config import Settings
from bot.handlers import COMMANDS, register_handlers
from bot.handlers.context import SERVICES_KEY, BotContext
from bot.prompts import Prompts, PromptsError, load_prompts
from bot.services import Services, build_services
from bot.storage import Store, create_database_engine, prepare_schema

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]
RATE_LIMIT_RETRIES = 3
LOCAL_POOL_SIZE = 8
NO_PROXY = {"trust_env": False}


def build_application(
    settings: Settings,
    clock: Clock,
    *,
    token: str,
    update_processor: BaseUpdateProcessor | None = None,
) -> BotApplication:
    """The real bot. Tests and the console pass a ManualClock and an emulator's URLs."""
    prompts = load_prompts(settings.prompts_dir, settings.crisis_region, settings.clinic_contact)
    check_commands_match(prompts)
    engine = create_database_engine(settings.database_url)
    prepare_schema(engine)
    services = build_services(settings, clock, Store(engine), prompts)

    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_api_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .post_init(_register_command_menu)
        .post_shutdown(_close_storage)
    )
    if is_loopback(settings.telegram_api_base_url):
        # A Bot API on this machine (the emulator, a local server) is reached directly, never
        # through a proxy that the environment happens to name.
        builder = builder.request(
            HTTPXRequest(connection_pool_size=LOCAL_POOL_SIZE, httpx_kwargs=NO_PROXY)
        ).get_updates_request(HTTPXRequest(httpx_kwargs=NO_PROXY))
    if update_processor is not None:
        builder = builder.concurrent_updates(update_processor)
    application: BotApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    register_handlers(application)
    return application


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def check_commands_match(prompts: Prompts) -> None:
    """ui.yaml must describe exactly the commands the bot has, so /help never lies."""
    described, implemented = set(prompts.ui.commands), set(COMMANDS)
    if described != implemented:
        missing = ", ".join(sorted(implemented - described)) or "none"
        unknown = ", ".join(sorted(described - implemented)) or "none"
        raise PromptsError(
            f"prompts/ui.yaml commands must match the bot's commands "
            f"(missing: {missing}; not a command: {unknown})"
        )


def services_of(application: BotApplication) -> Services:
    services: Services = application.bot_data[SERVICES_KEY]
    return services


async def _register_command_menu(application: BotApplication) -> None:
    commands = services_of(application).prompts.ui.commands
    await application.bot.set_my_commands(
        [BotCommand(name, description) for name, description in commands.items()]
    )


async def _close_storage(application: BotApplication) -> None:
    services_of(application).store.engine.dispose()
