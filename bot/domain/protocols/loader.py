"""Reading every protocol file, checked whole: all of them load, or none does.

The same function backs ``python -m bot protocols check`` and start-up, so a protocol that
passes the check is exactly a protocol the bot will run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from typing import Protocol as Interface

from pydantic import ValidationError

from bot.domain.protocols.context import SAMPLE_CONTEXTS
from bot.domain.protocols.model import AfterSession, OnDay, Protocol, ProtocolStep
from bot.domain.protocols.spec import ProtocolSpec
from bot.file_problems import FileProblem, FileProblems
from bot.yaml_lines import YamlLineError, describe_problem, line_of, load_with_lines

PROTOCOLS_FOLDER = "protocols"
# Order is checked for a session ending at noon local time on an ordinary day.
REFERENCE_END = datetime.combine(date(2026, 1, 14), time(12, 0))


class TemplateChecker(Interface):
    def render_problems(self, name: str, contexts: list[dict[str, Any]]) -> list[str]: ...


ProtocolProblem = FileProblem


class ProtocolError(FileProblems):
    """At least one protocol cannot be used."""


def load_protocols(
    prompts_dir: Path, templates: TemplateChecker, instruments: Collection[str] = ()
) -> Mapping[str, Protocol]:
    """Every ``prompts/protocols/*.yaml``, keyed by file name; :class:`ProtocolError` if any
    file has any problem."""
    folder = prompts_dir / PROTOCOLS_FOLDER
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise ProtocolError([ProtocolProblem(folder, 0, "no protocol files (*.yaml) here")])
    protocols: dict[str, Protocol] = {}
    problems: list[ProtocolProblem] = []
    for path in paths:
        protocol, found = _load_one(path, templates, instruments)
        problems += found
        if protocol is not None:
            protocols[protocol.key] = protocol
    if problems:
        raise ProtocolError(sorted(problems))
    return protocols


def _load_one(
    path: Path, templates: TemplateChecker, instruments: Collection[str]
) -> tuple[Protocol | None, list[ProtocolProblem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [ProtocolProblem(path, 0, f"cannot be read ({type(error).__name__})")]
    return read_protocol(text, path, templates, instruments)


def load_protocol_text(
    text: str, name: str, templates: TemplateChecker, instruments: Collection[str] = ()
) -> Protocol:
    """One protocol from text (an uploaded file), checked exactly like the shipped ones;
    :class:`ProtocolError` with every problem, naming ``name`` and the line."""
    protocol, problems = read_protocol(text, Path(name), templates, instruments)
    if problems or protocol is None:
        raise ProtocolError(sorted(problems))
    return protocol


def read_protocol(
    text: str, path: Path, templates: TemplateChecker, instruments: Collection[str] = ()
) -> tuple[Protocol | None, list[ProtocolProblem]]:
    try:
        tree = load_with_lines(text)
    except YamlLineError as error:
        return None, [ProtocolProblem(path, error.line, error.problem)]
    if not isinstance(tree, dict):
        return None, [ProtocolProblem(path, 1, "expected the keys name, description and steps")]
    try:
        spec = ProtocolSpec.model_validate(tree)
    except ValidationError as error:
        return None, [
            ProtocolProblem(path, line_of(tree, problem["loc"]), describe_problem(problem))
            for problem in error.errors(include_url=False)
        ]
    protocol = spec.to_protocol(path.stem)
    problems = []
    for index, step in enumerate(protocol.steps):
        contexts = [sample.variables() for sample in SAMPLE_CONTEXTS]
        if step.instrument is not None and step.instrument not in instruments:
            line = line_of(tree, ("steps", index, "instrument"))
            known = ", ".join(sorted(instruments)) or "none"
            message = f"step {step.id!r}: no instrument {step.instrument!r} (there are: {known})"
            problems.append(ProtocolProblem(path, line, message))
        if step.template is None:
            continue
        for message in templates.render_problems(step.template, contexts):
            line = line_of(tree, ("steps", index, "template"))
            problems.append(ProtocolProblem(path, line, f"step {step.id!r}: {message}"))
    problems += _order_problems(path, tree, protocol)
    problems += _repeated_ids(path, tree, protocol)
    return protocol, problems


def _repeated_ids(path: Path, tree: Any, protocol: Protocol) -> list[ProtocolProblem]:
    """Each step id names its messages in the outbox, so two steps may not share one."""
    seen: set[str] = set()
    problems = []
    for index, step in enumerate(protocol.steps):
        if step.id in seen:
            line = line_of(tree, ("steps", index, "id"))
            message = f"two steps are called {step.id!r}; each id must be different"
            problems.append(ProtocolProblem(path, line, message))
        seen.add(step.id)
    return problems


def _order_problems(path: Path, tree: Any, protocol: Protocol) -> list[ProtocolProblem]:
    """Steps tied to a session must be listed in the order they are sent."""
    problems = []
    previous: tuple[ProtocolStep, datetime] | None = None
    for index, step in enumerate(protocol.steps):
        when = reference_time(step)
        if when is None:
            continue
        if previous is not None and when < previous[1]:
            problems.append(
                ProtocolProblem(
                    path,
                    line_of(tree, ("steps", index)),
                    f"step {step.id!r} comes at {_describe(when)}, before step "
                    f"{previous[0].id!r} above it ({_describe(previous[1])}), for a session "
                    "ending at 12:00: list steps in the order they are sent",
                )
            )
        previous = (step, when)
    return problems


def reference_time(step: ProtocolStep) -> datetime | None:
    """When a session step falls for a session ending at noon; None for recurring steps."""
    timing = step.timing
    if isinstance(timing, AfterSession):
        return REFERENCE_END + timing.offset
    if isinstance(timing, OnDay):
        return datetime.combine(REFERENCE_END.date() + timedelta(days=timing.day), timing.at)
    return None


def _describe(when: datetime) -> str:
    day = (when.date() - REFERENCE_END.date()).days
    return f"day {day} {when:%H:%M}"
