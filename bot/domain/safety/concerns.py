"""What a screened message can be flagged for, and the record of one flag."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Concern(StrEnum):
    """The kinds of risk the screener looks for, most urgent first."""

    CRISIS = "crisis"
    EMERGENCY = "emergency"
    PRESCRIBING = "prescribing"

    @property
    def urgency(self) -> int:
        """Lower is more urgent: a crisis reply must win over everything else."""
        return list(Concern).index(self)


@dataclass(frozen=True)
class Match:
    """One rule that matched. ``rule_id`` may be stored in a safety event; the text never is."""

    concern: Concern
    rule_id: str
