"""Screening one message against the rules: which concerns it raises, most urgent first."""

from __future__ import annotations

from functools import lru_cache
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
        """The rules file, validated whole; raises ``SafetyRulesError`` naming file and line.

        Compiling the patterns takes a second or two, so an unchanged file (same path, size
        and modification time) is compiled once per process: restarts inside one process (the
        tests, the console) reuse it, while any edit to the file is read afresh.
        """
        stat = path.stat() if path.exists() else None
        if stat is None:
            return cls(load_rules(path))
        return _load_unchanged(path.resolve(), stat.st_mtime_ns, stat.st_size)

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


@lru_cache(maxsize=8)
def _load_unchanged(path: Path, _modified_ns: int, _size: int) -> Screener:
    return Screener(load_rules(path))
