"""Command line: ``python -m bot`` runs the bot; subcommands check the files clinicians edit,
manage clinics and clinicians, and look after the database.

Every expected failure (a missing setting, a broken template, an out-of-date database, a token
Telegram refuses) ends with one plain line on stderr and a non-zero exit, never a traceback
and never the token.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot.app import build_application
from bot.clock import SystemClock
from bot.config import ConfigError, Settings, WebhookSettings, load_settings
from bot.domain.clinics import ClinicError, Clinics
from bot.domain.content import ContentError, Library
from bot.domain.instruments import InstrumentError, load_instruments
from bot.domain.protocols import ProtocolError, load_protocols
from bot.domain.safety import SafetyRulesError, Screener
from bot.domain.safety.measure import LabelledFileError, format_report, meets, read_labelled, score
from bot.domain.safety.training import DEVELOPMENT_SET, TrainingError, train_files, write_model
from bot.file_problems import FileProblems
from bot.logs import configure_logging
from bot.prompts import PromptsError, template_globals
from bot.render import Renderer
from bot.storage import SchemaOutOfDateError, Store, create_database_engine, prepare_schema
from bot.storage.database import alembic_config, upgrade_to_latest
from bot.webhook import WebhookError, listening_socket, run_webhook

EXPECTED_FAILURES = (
    ConfigError,
    ClinicError,
    PromptsError,
    SchemaOutOfDateError,
    SafetyRulesError,
    LabelledFileError,
)
log = logging.getLogger("bot")


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        settings = load_settings()
        return int(arguments.action(settings, arguments) or 0)
    except EXPECTED_FAILURES as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def run(settings: Settings, _arguments: argparse.Namespace) -> int:
    token = settings.require_token()
    webhook = settings.require_webhook() if settings.bot_mode == "webhook" else None
    secrets = [token] if webhook is None else [token, webhook.secret]
    configure_logging(settings.log_level, secrets=secrets)
    try:
        if webhook is None:
            application = build_application(settings, SystemClock(), token=token)
            log.info("starting in polling mode")
            application.run_polling(allowed_updates=Update.ALL_TYPES)
        else:
            _run_webhook(settings, webhook, token)
    except WebhookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except InvalidToken:
        print(
            "error: Telegram did not accept TELEGRAM_BOT_TOKEN; check it with @BotFather.",
            file=sys.stderr,
        )
        return 2
    except NetworkError as error:
        print(
            f"error: could not reach the Telegram Bot API ({type(error).__name__}).",
            file=sys.stderr,
        )
        return 2
    return 0


def _run_webhook(settings: Settings, webhook: WebhookSettings, token: str) -> None:
    """Webhook mode: the port is taken first, so a port in use fails before anything starts."""
    sock = listening_socket(webhook.listen, webhook.port)
    try:
        application = build_application(settings, SystemClock(), token=token)
    except BaseException:
        sock.close()
        raise
    log.info("starting in webhook mode")
    asyncio.run(run_webhook(application, webhook, sock))


def console(settings: Settings, arguments: argparse.Namespace) -> int:
    from bot.console.runner import run_console
    from bot.localbot import throwaway_token

    token = throwaway_token()
    # The terminal is for the chat: only warnings and errors are logged unless asked otherwise.
    level = settings.log_level if "log_level" in settings.model_fields_set else "WARNING"
    configure_logging(level, secrets=[token])
    return asyncio.run(run_console(settings, script=arguments.script, token=token))


def safety_check(settings: Settings, arguments: argparse.Namespace) -> int:
    """Score the screening rules on a labelled file, as the test suite does."""
    screener = Screener.load(settings.prompts_dir / "safety" / "rules.yaml")
    scores = score(screener, read_labelled(arguments.file))
    print(format_report(scores, arguments.file, details=not arguments.figures_only))
    return 0 if meets(scores, recall=arguments.recall, false_alarms=arguments.false_alarms) else 1


def safety_train(settings: Settings, arguments: argparse.Namespace) -> int:
    """Train the second screen on labelled messages and write prompts/safety/model.json."""
    rules = settings.prompts_dir / "safety" / "rules.yaml"
    output = arguments.output or rules.with_name("model.json")
    try:
        result = train_files(rules, arguments.data, arguments.folds, arguments.false_alarms)
    except TrainingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    write_model(output, result)
    print(result.summary())
    print(f"written to {output}")
    return 0


def protocols_check(settings: Settings, arguments: argparse.Namespace) -> int:
    """Validate every protocol and its templates exactly as start-up does; one line per error."""
    prompts_dir = arguments.directory or settings.prompts_dir
    renderer = Renderer(prompts_dir, **template_globals(prompts_dir, settings))
    try:
        instruments = load_instruments(prompts_dir)
        protocols = load_protocols(prompts_dir, renderer, set(instruments))
    except (InstrumentError, ProtocolError) as error:
        return _print_problems(error)
    for instrument in instruments.values():
        print(f"ok  instrument {instrument.key}: {instrument.name} ({len(instrument.items)} items)")
    for protocol in protocols.values():
        print(f"ok  {protocol.key}: {protocol.name} ({len(protocol.steps)} steps)")
    return 0


def content_check(settings: Settings, arguments: argparse.Namespace) -> int:
    """Validate every article exactly as start-up does; one line per problem."""
    folder = arguments.directory or settings.content_dir
    try:
        library = Library.load(folder)
    except ContentError as error:
        return _print_problems(error)
    for article in sorted(library.articles.values(), key=lambda a: a.id):
        print(f"ok  {article.id}: {article.title} ({article.pages} snippets, {article.audience})")
    return 0


def _clinics(settings: Settings) -> Clinics:
    engine = create_database_engine(settings.database_url)
    prepare_schema(engine)
    return Clinics(Store(engine), SystemClock(), settings.default_clinic)


def clinic_create(settings: Settings, arguments: argparse.Namespace) -> int:
    clinic = _clinics(settings).create_clinic(arguments.name, arguments.phone, arguments.hours)
    print(f"Created the clinic {clinic.name!r}.")
    return 0


YES_NO = ("ask_headache", "use_phq8")
THRESHOLDS = (
    "escalate_after_minutes",
    "pain_rise",
    "pain_rise_checkins",
    "low_mood",
    "low_mood_checkins",
    "missed_days",
)


def clinic_set(settings: Settings, arguments: argparse.Namespace) -> int:
    """A clinic's contact details, default protocol and alert thresholds."""
    changes = {
        key: value
        for key in ("phone", "hours", "default_protocol", *YES_NO, *THRESHOLDS)
        if (value := getattr(arguments, key)) is not None
    }
    clinic = _clinics(settings).configure_clinic(arguments.name, **changes)
    print(f"{clinic.name}: " + ", ".join(f"{key}={getattr(clinic, key)}" for key in changes))
    return 0


def clinician_add(settings: Settings, arguments: argparse.Namespace) -> int:
    clinician = _clinics(settings).add_clinician(
        arguments.telegram_id, arguments.clinic, arguments.name
    )
    who = f"{clinician.name} (Telegram id {clinician.telegram_user_id})"
    print(f"Added {who} to {arguments.clinic!r}.")
    return 0


def clinician_remove(settings: Settings, arguments: argparse.Namespace) -> int:
    clinician = _clinics(settings).remove_clinician(arguments.telegram_id)
    print(f"Removed {clinician.name} (Telegram id {clinician.telegram_user_id}).")
    return 0


def audit(settings: Settings, _arguments: argparse.Namespace) -> int:
    """Every clinician action, oldest first: when (UTC), who, what, which patient."""
    engine = create_database_engine(settings.database_url)
    prepare_schema(engine)
    for entry in Store(engine).clinics.audit_log():
        patient = f" {entry.patient_code}" if entry.patient_code else ""
        detail = f" ({entry.detail})" if entry.detail else ""
        when = f"{entry.at:%Y-%m-%d %H:%M:%S}Z"
        print(f"{when}  {entry.clinician_name}: {entry.action}{patient}{detail}")
    return 0


def db_upgrade(settings: Settings, _arguments: argparse.Namespace) -> int:
    upgrade_to_latest(create_database_engine(settings.database_url))
    print("The database schema is up to date.")
    return 0


def health(settings: Settings, _arguments: argparse.Namespace) -> int:
    """For a container's health check: the database answers and this instance (INSTANCE_NAME)
    ticked recently, judged like ``/healthz``. Exit 0 when healthy, 1 when not."""
    from bot.health import assess, database_is_reachable

    engine = create_database_engine(settings.database_url)
    last_tick_at = None
    reachable = database_is_reachable(engine)
    if reachable:
        try:
            last_tick_at = Store(engine).coordination.last_seen(settings.instance_name)
        except SQLAlchemyError as error:  # e.g. a schema that was never upgraded
            print(
                f"error: the database could not be read ({type(error).__name__})", file=sys.stderr
            )
            reachable = False
    engine.dispose()
    report = assess(
        reachable, last_tick_at, SystemClock().now(), settings.dispatch_interval_seconds
    )
    print(json.dumps(report.as_json()))
    return 0 if report.healthy else 1


def db_revision(settings: Settings, arguments: argparse.Namespace) -> int:
    """Write a migration for the model changes, compared against an up-to-date database."""
    from alembic import command

    engine = create_database_engine(settings.database_url)
    upgrade_to_latest(engine)
    command.revision(alembic_config(engine), message=arguments.message, autogenerate=True)
    return 0


def _add_check(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    description: str,
    directory_help: str,
    action: Callable[[Settings, argparse.Namespace], int],
) -> None:
    """``python -m bot NAME check [DIRECTORY]``: validate files clinicians edit."""
    group = commands.add_parser(name, help=description)
    subcommands = group.add_subparsers(title=f"{name} commands", required=True)
    check = subcommands.add_parser("check", help=f"{description} (exit 1 on any problem)")
    check.add_argument("directory", type=Path, nargs="?", help=directory_help)
    check.set_defaults(action=action)


def _print_problems(error: FileProblems) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(f"{len(error.problems)} problem(s) found; nothing was loaded.", file=sys.stderr)
    return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    parser.set_defaults(action=run)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    commands.add_parser("run", help="run the bot (the default)").set_defaults(action=run)
    commands.add_parser(
        "health", help="exit 0 if the database answers and this instance ticked recently"
    ).set_defaults(action=health)
    console_parser = commands.add_parser(
        "console", help="try the bot in this terminal, with no Telegram account or token"
    )
    console_parser.add_argument(
        "--script", type=Path, metavar="FILE", help="type the lines of FILE instead of the keyboard"
    )
    console_parser.set_defaults(action=console)
    safety = commands.add_parser("safety", help="check the safety screening, retrain its model")
    safety_commands = safety.add_subparsers(title="safety commands", required=True)
    check = safety_commands.add_parser(
        "check", help="score rules and model on a labelled CSV file (columns: label,text)"
    )
    check.add_argument("file", type=Path, help="e.g. tests/safety_data/development.csv")
    check.add_argument("--recall", type=float, default=0.95, help="lowest acceptable recall")
    check.add_argument(
        "--false-alarms", type=float, default=0.03, help="highest acceptable false-alarm rate"
    )
    check.add_argument(
        "--figures-only",
        action="store_true",
        help="print the figures without the messages (for a held-out set, which must stay unseen)",
    )
    check.set_defaults(action=safety_check)
    training = safety_commands.add_parser(
        "train", help="train the second screen on labelled messages (needs the [train] extra)"
    )
    training.add_argument(
        "data", type=Path, nargs="?", default=DEVELOPMENT_SET, help=f"default: {DEVELOPMENT_SET}"
    )
    training.add_argument(
        "--output", type=Path, help="default: model.json beside prompts/safety/rules.yaml"
    )
    training.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    training.add_argument(
        "--false-alarms",
        type=float,
        default=0.015,
        help="highest estimated false-alarm rate of rules and model together",
    )
    training.set_defaults(action=safety_train)
    _add_check(
        commands,
        "protocols",
        "check the protocol files and questionnaires",
        "the prompts folder holding protocols/ (default: PROMPTS_DIR)",
        protocols_check,
    )
    _add_check(
        commands,
        "content",
        "check the educational articles",
        "the folder of articles (default: CONTENT_DIR)",
        content_check,
    )
    clinic = commands.add_parser("clinic", help="create clinics and change their settings")
    clinic_commands = clinic.add_subparsers(title="clinic commands", required=True)
    create = clinic_commands.add_parser("create", help="create a clinic")
    create.add_argument("name")
    create.add_argument("--phone", default="", help="shown to its patients")
    create.add_argument("--hours", default="", help="opening hours, shown to its patients")
    create.set_defaults(action=clinic_create)
    configure = clinic_commands.add_parser(
        "set", help="change a clinic's contact details, default protocol or alert thresholds"
    )
    configure.add_argument("name")
    configure.add_argument("--phone")
    configure.add_argument("--hours")
    configure.add_argument("--default-protocol", dest="default_protocol")
    configure.add_argument(
        "--ask-headache",
        dest="ask_headache",
        choices=("yes", "no"),
        help="add 'headache today?' and 'a medicine for it?' to the daily check-in",
    )
    configure.add_argument(
        "--use-phq8",
        dest="use_phq8",
        choices=("yes", "no"),
        help="send PHQ-8 instead of PHQ-9 (no item 9), where nobody can follow up the same day",
    )
    for key in THRESHOLDS:
        configure.add_argument(f"--{key.replace('_', '-')}", dest=key, type=int)
    configure.set_defaults(action=clinic_set)
    clinician = commands.add_parser("clinician", help="add or remove clinicians")
    clinician_commands = clinician.add_subparsers(title="clinician commands", required=True)
    add = clinician_commands.add_parser("add", help="add a clinician to a clinic")
    add.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    add.add_argument("--clinic", required=True)
    add.add_argument("--name", required=True)
    add.set_defaults(action=clinician_add)
    remove = clinician_commands.add_parser("remove", help="remove a clinician")
    remove.add_argument("telegram_id", type=int, metavar="TELEGRAM_ID")
    remove.set_defaults(action=clinician_remove)
    commands.add_parser("audit", help="print every clinician action").set_defaults(action=audit)
    database = commands.add_parser("db", help="look after the database schema")
    database_commands = database.add_subparsers(title="database commands", required=True)
    database_commands.add_parser("upgrade", help="apply pending migrations").set_defaults(
        action=db_upgrade
    )
    revision = database_commands.add_parser("revision", help="write a migration for model changes")
    revision.add_argument("-m", "--message", required=True, help="what the migration changes")
    revision.set_defaults(action=db_revision)
    return parser


if __name__ == "__main__":
    sys.exit(main())
