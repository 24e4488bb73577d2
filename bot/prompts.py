"""Loading everything under ``prompts/`` at once, checked whole before the bot uses any of it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import ClinicContact, Settings
from bot.crisis_resources import Directory, Region, load_crisis_resources
from bot.domain.instruments import Instrument, InstrumentError, load_instruments
from bot.domain.protocols import Protocol, ProtocolError, load_protocols
from bot.domain.safety import SafetyRulesError, Screener
from bot.render import Message, Renderer, consent_template, message_template
from bot.ui_text import UiText, load_ui_text
from bot.yaml_files import YamlFileError

CONSENT_FILE = re.compile(r"^v(?P<version>[1-9]\d*)\.html$")


class PromptsError(Exception):
    """Something under prompts/ is missing or broken; the message lists every problem found."""


@dataclass(frozen=True)
class Prompts:
    renderer: Renderer
    ui: UiText
    consent_version: int
    screener: Screener
    crisis_region: Region
    crisis_directory: Directory
    protocols: Mapping[str, Protocol]
    instruments: Mapping[str, Instrument]


def load_prompts(
    prompts_dir: Path, crisis_region: str = "us", clinic: ClinicContact | None = None
) -> Prompts:
    """Every file under prompts/ is valid, or nothing loads and the error says what to fix."""
    problems: list[str] = []
    try:
        ui = load_ui_text(prompts_dir / "ui.yaml")
        region, directory = load_crisis_resources(
            prompts_dir / "safety" / "resources.yaml", crisis_region
        )
        screener = Screener.load(prompts_dir / "safety" / "rules.yaml")
    except (YamlFileError, SafetyRulesError) as error:
        raise PromptsError(str(error)) from None
    consent_version = current_consent_version(prompts_dir)
    if consent_version is None:
        problems.append(f"{prompts_dir / 'consent'}: no consent text (expected v1.html, v2.html …)")
    renderer = Renderer(prompts_dir, **_globals(ui, region, directory, clinic or ClinicContact()))
    names = [message_template(name) for name in Message]
    if consent_version is not None:
        names.append(consent_template(consent_version))
    problems += renderer.compile_errors(names)
    instruments: dict[str, Instrument] = {}
    try:
        instruments = load_instruments(prompts_dir)
    except InstrumentError as error:
        problems += [str(problem) for problem in error.problems]
    try:
        protocols = load_protocols(prompts_dir, renderer, set(instruments))
    except ProtocolError as error:
        problems += [str(problem) for problem in error.problems]
    if problems:
        raise PromptsError("; ".join(problems))
    assert consent_version is not None
    return Prompts(
        renderer=renderer,
        ui=ui,
        consent_version=consent_version,
        screener=screener,
        crisis_region=region,
        crisis_directory=directory,
        protocols=protocols,
        instruments=instruments,
    )


def current_consent_version(prompts_dir: Path) -> int | None:
    """The highest numbered consent text; older ones stay as the record of what people agreed to."""
    versions = [
        int(match["version"])
        for path in (prompts_dir / "consent").glob("v*.html")
        if (match := CONSENT_FILE.match(path.name))
    ]
    return max(versions, default=None)


def _globals(
    ui: UiText, region: Region, directory: Directory, clinic: ClinicContact
) -> dict[str, Any]:
    """What every template may use, whoever renders it."""
    return {
        "commands": list(ui.commands.items()),
        "crisis_region": region,
        "crisis_directory": directory,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
        "clinic_hours": clinic.hours,
    }


def template_globals(prompts_dir: Path, settings: Settings) -> dict[str, Any]:
    """The globals for a renderer that checks templates on their own (``protocols check``)."""
    try:
        ui = load_ui_text(prompts_dir / "ui.yaml")
        region, directory = load_crisis_resources(
            prompts_dir / "safety" / "resources.yaml", settings.crisis_region
        )
    except YamlFileError as error:
        raise PromptsError(str(error)) from None
    return _globals(ui, region, directory, settings.clinic_contact)
