"""Screening one message against the rules: which concerns it raises, most urgent first."""

from __future__ import annotations

from pathlib import Path

from bot.domain.safety.concerns import Match
from bot.domain.safety.rules import RuleSet, load_rules


class Screener:
    """Screens every free text a patient sends. Load once; screening is regex searches only.

    Negations never suppress a match ("I'm not sure I want to live" is a match): when in doubt,
    the patient is shown help. Only the everyday figures of speech listed under ``exceptions``
    in the rules file are cut out before the rules are tried.
    """

    def __init__(self, rule_set: RuleSet) -> None:
        self._rule_set = rule_set

    @classmethod
    def load(cls, path: Path) -> Screener:
        """The rules file, validated whole; raises ``SafetyRulesError`` naming file and line."""
        return cls(load_rules(path))

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self._rule_set.rules)

    def normalise(self, text: str) -> str:
        """The form rules are matched against, with this file's spelling table applied."""
        return self._rule_set.normaliser(text)

    def matches(self, text: str) -> list[Match]:
        """Every rule that matches, crisis first, then emergency, then prescribing."""
        prepared = self._rule_set.prepare(text)
        return [
            Match(rule.concern, rule.id) for rule in self._rule_set.rules if rule.matches(prepared)
        ]

    def screen(self, text: str) -> Match | None:
        """The most urgent match, or None: a crisis match wins over everything else."""
        prepared = self._rule_set.prepare(text)
        for rule in self._rule_set.rules:
            if rule.matches(prepared):
                return Match(rule.concern, rule.id)
        return None
