"""Assembling the application: storage, prompts, services and handlers. No logic lives here."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)
from telegram.request import HTTPXRequest

from bot.clock import Clock
from bot.config import Settings, is_loopback_host
from bot.delivery import Dispatcher, ReplyFirstRateLimiter
from bot.domain.content import ContentError, Library
from bot.handlers import CLINICIAN_COMMANDS, COMMANDS, register_handlers
from bot.handlers.context import SERVICES_KEY, BotContext
from bot.prompts import Prompts, PromptsError, load_prompts
from bot.services import Services, build_services
from bot.storage import Store, create_database_engine, prepare_schema

BotApplication = Application[Any, BotContext, Any, Any, Any, Any]
DISPATCHER_KEY = "dispatcher"
log = logging.getLogger(__name__)
LOCAL_POOL_SIZE = 8
NO_PROXY = {"trust_env": False}


def build_application(
    settings: Settings,
    clock: Clock,
    *,
    token: str,
    update_processor: BaseUpdateProcessor | None = None,
    dispatch_on_timer: bool = True,
) -> BotApplication:
    """The real bot. Tests and the console pass a ManualClock and an emulator's URLs, and
    (``dispatch_on_timer=False``) call the dispatcher's ``tick`` themselves."""
    prompts = load_prompts(settings.prompts_dir, settings.crisis_region, settings.clinic_contact)
    check_commands_match(prompts)
    engine = create_database_engine(settings.database_url)
    prepare_schema(engine)
    if settings.default_protocol not in prompts.protocols:
        known = ", ".join(sorted(prompts.protocols))
        raise PromptsError(
            f"DEFAULT_PROTOCOL is {settings.default_protocol!r}, but prompts/protocols/ has "
            f"no such file (there are: {known})"
        )
    library = load_content(settings)
    services = build_services(settings, clock, Store(engine), prompts, library)
    limiter = ReplyFirstRateLimiter(settings.telegram_per_second)

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
        .rate_limiter(limiter)
        .post_init(_register_command_menu)
        .post_shutdown(_close_storage)
    )
    if is_loopback_host(urlsplit(settings.telegram_api_base_url).hostname or ""):
        # A Bot API on this machine (the emulator, a local server) is reached directly, never
        # through a proxy that the environment happens to name.
        builder = builder.request(
            HTTPXRequest(connection_pool_size=LOCAL_POOL_SIZE, httpx_kwargs=NO_PROXY)
        ).get_updates_request(HTTPXRequest(httpx_kwargs=NO_PROXY))
    if update_processor is not None:
        builder = builder.concurrent_updates(update_processor)
    application: BotApplication = builder.build()
    application.bot_data[SERVICES_KEY] = services
    application.bot_data[DISPATCHER_KEY] = Dispatcher(services, application.bot, limiter)
    register_handlers(application)
    if dispatch_on_timer:
        if application.job_queue is None:
            raise RuntimeError("the JobQueue is missing: install python-telegram-bot[job-queue]")
        application.job_queue.run_repeating(
            _dispatch_due, interval=settings.dispatch_interval_seconds, first=1, name="dispatch"
        )
    return application


def load_content(settings: Settings) -> Library:
    """The article library, whole or not at all (the same check as ``content check``)."""
    try:
        return Library.load(settings.content_dir)
    except ContentError as error:
        raise PromptsError(f"the article library cannot be used: {error}") from None


def check_commands_match(prompts: Prompts) -> None:
    """ui.yaml must describe exactly the commands the bot has, so /help never lies."""
    for key, described, implemented in (
        ("commands", set(prompts.ui.commands), set(COMMANDS)),
        ("clinician_commands", set(prompts.ui.clinician_commands), set(CLINICIAN_COMMANDS)),
    ):
        if described != implemented:
            missing = ", ".join(sorted(implemented - described)) or "none"
            unknown = ", ".join(sorted(described - implemented)) or "none"
            raise PromptsError(
                f"prompts/ui.yaml {key} must match the bot's commands "
                f"(missing: {missing}; not a command: {unknown})"
            )


def dispatcher_of(application: BotApplication) -> Dispatcher:
    dispatcher: Dispatcher = application.bot_data[DISPATCHER_KEY]
    return dispatcher


async def _dispatch_due(context: BotContext) -> None:
    """The JobQueue only wakes the dispatcher; the outbox in the database holds the plan."""
    dispatcher: Dispatcher = context.bot_data[DISPATCHER_KEY]
    await dispatcher.tick(context.services.clock.now())


def services_of(application: BotApplication) -> Services:
    services: Services = application.bot_data[SERVICES_KEY]
    return services


async def _register_command_menu(application: BotApplication) -> None:
    """Patients' menu for everyone; each clinician's own menu in their chat. A first
    clinician named in the settings is added here, once."""
    services = services_of(application)
    commands = services.prompts.ui.commands
    await application.bot.set_my_commands(
        [BotCommand(name, description) for name, description in commands.items()]
    )
    settings = services.settings
    if settings.first_clinician_id is not None:
        services.clinics.ensure_first_clinician(
            settings.first_clinician_id, settings.first_clinician_name
        )
    clinician_menu = [
        BotCommand(name, description)
        for name, description in services.prompts.ui.clinician_commands.items()
    ]
    for clinician in services.store.clinics.all_clinicians():
        try:
            await application.bot.set_my_commands(
                clinician_menu, scope=BotCommandScopeChat(clinician.telegram_user_id)
            )
        except TelegramError as error:  # a clinician who never opened the chat yet
            log.info(
                "clinician menu not set yet (%s); it is set at their /start", type(error).__name__
            )


async def _close_storage(application: BotApplication) -> None:
    dispatcher_of(application).stop()
    services_of(application).store.engine.dispose()
