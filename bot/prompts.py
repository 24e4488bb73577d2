"""Loading everything under ``prompts/`` at once, checked whole before the bot uses any of it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.config import ClinicContact
from bot.crisis_resources import Directory, Region, load_crisis_resources
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
    renderer = Renderer(
        prompts_dir,
        commands=list(ui.commands.items()),
        crisis_region=region,
        crisis_directory=directory,
        clinic_name=(clinic or ClinicContact()).name,
        clinic_phone=(clinic or ClinicContact()).phone,
        clinic_hours=(clinic or ClinicContact()).hours,
    )
    names = [message_template(name) for name in Message]
    if consent_version is not None:
        names.append(consent_template(consent_version))
    problems += renderer.compile_errors(names)
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
    )


def current_consent_version(prompts_dir: Path) -> int | None:
    """The highest numbered consent text; older ones stay as the record of what people agreed to."""
    versions = [
        int(match["version"])
        for path in (prompts_dir / "consent").glob("v*.html")
        if (match := CONSENT_FILE.match(path.name))
    ]
    return max(versions, default=None)
