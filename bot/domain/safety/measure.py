"""Measuring the rules on labelled messages: recall and false alarms, per concern.

Safety screening is measured, not hoped. A labelled file is CSV with the header ``label,text``;
labels are a concern (``crisis``, ``emergency``, ``prescribing``) or ``ordinary``. For each
concern that has labelled messages in the file:

- recall is the share of that label's messages the screener flags with that concern;
- the false-alarm rate is the share of ``ordinary`` messages flagged with that concern.

``python -m bot safety check FILE`` reports these with :func:`format_report`, and the tests hold
the rules to fixed thresholds with :func:`meets`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.safety.concerns import Concern
from bot.domain.safety.screener import Screener

ORDINARY = "ordinary"
LABELS = (*(concern.value for concern in Concern), ORDINARY)
HEADER = ["label", "text"]


class LabelledFileError(ValueError):
    """A labelled file cannot be read; the message names the file and line."""


@dataclass(frozen=True)
class LabelledMessage:
    label: str
    text: str = field(repr=False)
    line: int


@dataclass(frozen=True)
class ConcernScore:
    """How one concern did. Texts stay out of ``repr`` so a failing check never dumps them."""

    concern: Concern
    flagged: int
    positives: int
    false_alarms: int
    ordinary: int
    missed: tuple[LabelledMessage, ...] = field(repr=False)
    false_alarm_messages: tuple[tuple[LabelledMessage, str], ...] = field(repr=False)

    @property
    def recall(self) -> float:
        return self.flagged / self.positives if self.positives else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.ordinary if self.ordinary else 0.0

    def summary(self) -> str:
        """One line of figures, e.g. "crisis: recall 98.4% (189/192), false alarms 0.8% (3/358)"."""
        return (
            f"{self.concern}: recall {self.recall:.1%} ({self.flagged}/{self.positives}), "
            f"false alarms {self.false_alarm_rate:.1%} ({self.false_alarms}/{self.ordinary})"
        )


@dataclass(frozen=True)
class Scores:
    """The figures for every concern that has labelled messages in the file, in urgency order."""

    messages: int
    concerns: tuple[ConcernScore, ...]

    def __getitem__(self, concern: Concern) -> ConcernScore:
        for scored in self.concerns:
            if scored.concern == concern:
                return scored
        raise KeyError(concern)


def read_labelled(path: Path) -> list[LabelledMessage]:
    """The labelled messages of a CSV file; :class:`LabelledFileError` naming file and line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            reader = csv.reader(file)
            messages: list[LabelledMessage] = []
            start = 1
            for row in reader:
                line, start = start, reader.line_num + 1
                if line == 1:
                    if [cell.strip().lower() for cell in row] != HEADER:
                        raise LabelledFileError(f"{path}, line 1: the header must be label,text")
                    continue
                if not row or all(not cell.strip() for cell in row):
                    continue
                messages.append(_message(path, line, row))
    except OSError as error:
        raise LabelledFileError(f"{path}: cannot be read ({error.strerror})") from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise LabelledFileError(f"{path}: is not a readable CSV file ({error})") from None
    if not messages:
        raise LabelledFileError(f"{path}: has no labelled messages")
    return messages


def _message(path: Path, line: int, row: list[str]) -> LabelledMessage:
    if len(row) != len(HEADER):
        raise LabelledFileError(
            f"{path}, line {line}: expected 2 fields (label,text) but found {len(row)}; "
            "put text with commas in double quotes"
        )
    label, text = row[0].strip().lower(), row[1].strip()
    if label not in LABELS:
        raise LabelledFileError(
            f"{path}, line {line}: unknown label {row[0]!r} (use one of {', '.join(LABELS)})"
        )
    if not text:
        raise LabelledFileError(f"{path}, line {line}: the text is empty")
    return LabelledMessage(label=label, text=text, line=line)


def score(screener: Screener, messages: list[LabelledMessage]) -> Scores:
    """Recall and false alarms for each concern labelled in ``messages``."""
    flagged_by = [
        {match.concern: match.rule_id for match in reversed(screener.matches(message.text))}
        for message in messages
    ]  # reversed, so each concern keeps its first (most specific in file order) rule id
    ordinary = [
        (message, found)
        for message, found in zip(messages, flagged_by, strict=True)
        if message.label == ORDINARY
    ]
    concerns: list[ConcernScore] = []
    for concern in Concern:
        positives = [
            (message, found)
            for message, found in zip(messages, flagged_by, strict=True)
            if message.label == concern.value
        ]
        if not positives:
            continue
        missed = tuple(message for message, found in positives if concern not in found)
        alarms = tuple((message, found[concern]) for message, found in ordinary if concern in found)
        concerns.append(
            ConcernScore(
                concern=concern,
                flagged=len(positives) - len(missed),
                positives=len(positives),
                false_alarms=len(alarms),
                ordinary=len(ordinary),
                missed=missed,
                false_alarm_messages=alarms,
            )
        )
    return Scores(messages=len(messages), concerns=tuple(concerns))


def meets(scores: Scores, recall: float, false_alarms: float) -> bool:
    """Every measured concern has at least ``recall`` and at most ``false_alarms`` (fractions)."""
    return all(
        scored.recall >= recall and scored.false_alarm_rate <= false_alarms
        for scored in scores.concerns
    )


def format_report(scores: Scores, path: Path, *, details: bool = True) -> str:
    """The figures a person reads; with ``details``, every missed message and false alarm."""
    lines = [f"{path}: {scores.messages} labelled messages"]
    lines += [scored.summary() for scored in scores.concerns]
    if not details:
        return "\n".join(lines)
    for scored in scores.concerns:
        lines.append("")
        lines.append(f"{scored.concern}: missed ({len(scored.missed)})")
        lines += [f"  line {message.line}: {message.text}" for message in scored.missed]
        lines.append(f"{scored.concern}: false alarms ({len(scored.false_alarm_messages)})")
        lines += [
            f"  line {message.line} [{rule_id}]: {message.text}"
            for message, rule_id in scored.false_alarm_messages
        ]
    return "\n".join(lines)
