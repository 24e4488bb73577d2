"""Screening one message: the rules first, then the model, which concerns it raises."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from bot.domain.safety.concerns import Concern, Match
from bot.domain.safety.features import message_features
from bot.domain.safety.model import MODEL_FILE, ModelFlag, SafetyModel, load_model
from bot.domain.safety.rules import RuleSet, load_rules

log = logging.getLogger(__name__)
# The concerns the model may add; a prescribing question is left to the rules alone.
MODEL_CONCERNS = (Concern.CRISIS, Concern.EMERGENCY)


class Screener:
    """Screens every free text a patient sends: the rules, and beside them the model.

    A message is flagged when a rule or the model flags it. The rules come first and are
    authoritative: a message any rule recognises gets the rules' answer (a dose question keeps
    the prescribing reply), and its rule id is what a safety event records. The model is the
    second opinion on messages no rule recognised; its matches are named ``model:crisis`` and
    ``model:emergency``. Both read the same prepared text, so the everyday sayings under
    ``exceptions`` in the rules file ("this migraine is killing me") are cut out before the
    model sees them too.

    Negations never suppress a match ("I'm not sure I want to live" is a match): when in doubt,
    the patient is shown help.
    """

    def __init__(self, rule_set: RuleSet, model: SafetyModel | None = None) -> None:
        self._rule_set = rule_set
        self.model = model

    @classmethod
    def load(cls, path: Path) -> Screener:
        """The rules file and the model file beside it (``model.json``), each checked whole.

        A broken rules or model file raises ``SafetyRulesError`` naming the file. A missing
        model file means the rules alone screen (a rules file copied elsewhere to try a change
        has none); that is logged, and the shipped ``prompts/safety/`` always has one.

        Compiling the patterns takes a second or two, so unchanged files (same paths, sizes and
        modification times) are loaded once per process: restarts inside one process (the
        tests, the console) reuse them, while any edit to either file is read afresh.
        """
        model_path = path.with_name(MODEL_FILE)
        if not path.exists():
            return cls(load_rules(path))
        return _load_unchanged(
            path.resolve(), _stamp(path), model_path.resolve(), _stamp(model_path)
        )

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self._rule_set.rules)

    def normalise(self, text: str) -> str:
        """The form rules are matched against, with this file's spelling table applied."""
        return self._rule_set.normaliser(text)

    def matches(self, text: str) -> list[Match]:
        """Every rule that matches, crisis first, then emergency, then prescribing; when no rule
        matches, the model's flags (crisis first)."""
        prepared = self._rule_set.prepare(text)
        found = [
            Match(rule.concern, rule.id) for rule in self._rule_set.rules if rule.matches(prepared)
        ]
        if found or _is_command(text):
            return found
        return [Match(flag.concern, flag.rule_id) for flag in self._model_flags(prepared)]

    def screen(self, text: str) -> Match | None:
        """The most urgent match, or None: the first rule that matches (a crisis rule wins over
        everything else), else the model's most urgent flag."""
        prepared = self._rule_set.prepare(text)
        for rule in self._rule_set.rules:
            if rule.matches(prepared):
                return Match(rule.concern, rule.id)
        flags = [] if _is_command(text) else self._model_flags(prepared)
        return Match(flags[0].concern, flags[0].rule_id) if flags else None

    def model_probabilities(self, text: str) -> dict[Concern, float]:
        """The model's probability per concern ({} without a model): for checks and tuning."""
        if self.model is None:
            return {}
        features = message_features(self._rule_set.prepare(text), self._rule_set.concepts)
        return self.model.probabilities(features)

    def _model_flags(self, prepared: str) -> list[ModelFlag]:
        if self.model is None:
            return []
        flags = self.model.flags(message_features(prepared, self._rule_set.concepts))
        return [flag for flag in flags if flag.concern in MODEL_CONCERNS]


def _is_command(text: str) -> bool:
    """A bot command ("/dose", "/start@bot"): its words are a command's name, not something
    the patient is telling us, so only the rules (which know "/kms" too) look at it."""
    return text.lstrip().startswith("/")


def _stamp(path: Path) -> tuple[int, int] | None:
    """What tells an edited file from an unchanged one: modification time and size."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=8)
def _load_unchanged(
    path: Path,
    _rules_stamp: tuple[int, int] | None,
    model_path: Path,
    model_stamp: tuple[int, int] | None,
) -> Screener:
    rule_set = load_rules(path)
    if model_stamp is None:
        log.warning("safety: no %s beside %s; screening with the rules only", MODEL_FILE, path)
        return Screener(rule_set)
    return Screener(rule_set, load_model(model_path))
