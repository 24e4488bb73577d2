"""Loading ``prompts/safety/rules.yaml``: checked whole, compiled once, or not loaded at all.

The file is clinical knowledge that clinicians extend; a typo in it must stop the bot at start-up
with the file and line, never leave screening half-working. Everything is compiled here, once,
so screening a message is only regex searches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.domain.safety.concerns import Concern
from bot.domain.safety.normalise import Normaliser, squeezed_words
from bot.domain.safety.phrases import (
    PhraseError,
    alternation,
    compile_list_item,
    compile_pattern,
    compile_phrase,
)
from bot.yaml_lines import YamlLineError, describe_problem, line_of, load_with_lines

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
# Lower-case words joined by hyphens ("crisis-self-harm"): ids are stored in safety events.
RULE_ID = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
RuleId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=RULE_ID, max_length=64)]
ListName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]*$", max_length=40)]
SHORTEST_TYPO_WORD = 4
# Exceptions are cut out of the text and replaced by this, so no phrase can reach across one.
BARRIER = " | "


class SafetyRulesError(Exception):
    """The rules file cannot be used; the message names the file and line of each problem."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MatcherSpec(_Strict):
    phrases: list[Text] = []
    patterns: list[Text] = []


class RuleSpec(_Strict):
    id: RuleId
    concern: Concern
    description: Text
    phrases: list[Text] = []
    patterns: list[Text] = []
    together_with: MatcherSpec | None = None


class SpellingSpec(_Strict):
    replace: dict[Text, Text] = {}
    near_misses_of: list[Text] = []
    real_words: list[Text] = []


class RulesSpec(_Strict):
    spelling: SpellingSpec = SpellingSpec()
    lists: dict[ListName, Annotated[list[Text], Field(min_length=1)]] = {}
    exceptions: MatcherSpec = MatcherSpec()
    rules: list[RuleSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    """One compiled rule: it matches when ``pattern`` is found (and ``together_with``, if any)."""

    id: str
    concern: Concern
    description: str
    pattern: re.Pattern[str]
    together_with: re.Pattern[str] | None

    def matches(self, text: str) -> bool:
        if self.pattern.search(text) is None:
            return False
        return self.together_with is None or self.together_with.search(text) is not None


@dataclass(frozen=True)
class RuleSet:
    """Everything screening needs, compiled: the normaliser, the exceptions and the rules."""

    normaliser: Normaliser
    exceptions: re.Pattern[str] | None
    rules: tuple[Rule, ...]
    # Each list under ``lists:`` as a pattern of its own, in file order: the concepts the
    # second screen reads as features (see ``features.py``).
    concepts: tuple[tuple[str, re.Pattern[str]], ...] = ()

    def prepare(self, text: str) -> str:
        """The normalised text with everyday figures of speech cut out."""
        normalised = self.normaliser(text)
        if self.exceptions is None:
            return normalised
        return self.exceptions.sub(BARRIER, normalised)


def load_rules(path: Path) -> RuleSet:
    """Read, validate and compile the rules file; :class:`SafetyRulesError` on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SafetyRulesError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        tree = load_with_lines(text)
    except YamlLineError as problem:
        raise SafetyRulesError(f"{path}, line {problem.line}: {problem.problem}") from None
    if not isinstance(tree, dict):
        expected = "expected the keys spelling, lists, exceptions and rules"
        raise SafetyRulesError(f"{path}, line 1: {expected}")
    try:
        spec = RulesSpec.model_validate(tree)
    except ValidationError as error:
        problems = [
            (line_of(tree, problem["loc"]), describe_problem(problem))
            for problem in error.errors(include_url=False)
        ]
        raise SafetyRulesError(_format(path, problems)) from None
    compiler = _Compiler(tree)
    rule_set = compiler.compile(spec)
    if compiler.problems:
        raise SafetyRulesError(_format(path, compiler.problems))
    return rule_set


def _format(path: Path, problems: list[tuple[int, str]]) -> str:
    return "; ".join(f"{path}, line {line}: {message}" for line, message in sorted(problems))


class _Compiler:
    """Compiles a validated spec, collecting every problem with its line instead of stopping."""

    def __init__(self, tree: Any) -> None:
        self._tree = tree
        self.problems: list[tuple[int, str]] = []

    def _problem(self, location: tuple[str | int, ...], message: str) -> None:
        self.problems.append((line_of(self._tree, location), message))

    def compile(self, spec: RulesSpec) -> RuleSet:
        normaliser = self._normaliser(spec.spelling)
        lists: dict[str, str] = {}
        concepts: list[tuple[str, re.Pattern[str]]] = []
        for name, items in spec.lists.items():
            bodies = []
            for index, item in enumerate(items):
                try:
                    bodies.append(compile_list_item(item, normaliser))
                except PhraseError as error:
                    self._problem(("lists", name, index), str(error))
            lists[name] = alternation(bodies)
            if bodies:
                concepts.append((name, re.compile(rf"\b{lists[name]}\b")))
        exceptions = self._matcher(spec.exceptions, ("exceptions",), normaliser, lists)
        rules: list[Rule] = []
        first_line: dict[str, int] = {}
        for index, rule in enumerate(spec.rules):
            location = ("rules", index)
            if rule.id in first_line:
                used = f"rule id {rule.id!r} is already used on line {first_line[rule.id]}"
                self._problem((*location, "id"), used)
            first_line.setdefault(rule.id, line_of(self._tree, (*location, "id")))
            if not rule.phrases and not rule.patterns:
                self._problem(location, f"rule {rule.id!r} needs phrases or patterns")
                continue
            pattern = self._matcher(rule, location, normaliser, lists)
            together = None
            if rule.together_with is not None:
                together = self._matcher(
                    rule.together_with, (*location, "together_with"), normaliser, lists
                )
                if together is None:
                    self._problem((*location, "together_with"), "needs phrases or patterns")
            if pattern is not None:
                rules.append(Rule(rule.id, rule.concern, rule.description, pattern, together))
        rules.sort(key=lambda rule: rule.concern.urgency)  # stable: file order within a concern
        return RuleSet(
            normaliser=normaliser,
            exceptions=exceptions,
            rules=tuple(rules),
            concepts=tuple(concepts),
        )

    def _normaliser(self, spelling: SpellingSpec) -> Normaliser:
        plain = Normaliser()
        for index, word in enumerate(spelling.near_misses_of):
            words = squeezed_words(word)  # as the normaliser keeps them: "kill", not "kil"
            if len(words) != 1 or len(words[0]) < SHORTEST_TYPO_WORD:
                too_short = f"{word!r}: near misses need one word of {SHORTEST_TYPO_WORD}+ letters"
                self._problem(("spelling", "near_misses_of", index), too_short)
        seen: dict[str, str] = {}
        for typed, meant in spelling.replace.items():
            key = plain.table_key(typed)
            if not key or not plain(meant):
                empty = f"{typed!r}: {meant!r}: no letters or digits are left after normalising"
                self._problem(("spelling", "replace", typed), empty)
            elif key in seen:
                self._problem(
                    ("spelling", "replace", typed),
                    f"{typed!r} is the same as {seen[key]!r} after normalising",
                )
            seen.setdefault(key, typed)
        return Normaliser(spelling.replace, spelling.near_misses_of, spelling.real_words)

    def _matcher(
        self,
        spec: MatcherSpec | RuleSpec,
        location: tuple[str | int, ...],
        normaliser: Normaliser,
        lists: dict[str, str],
    ) -> re.Pattern[str] | None:
        """One regex for all of ``spec``'s phrases and patterns (None if it has none)."""
        sources: list[str] = []
        for kind, entries in (("phrases", spec.phrases), ("patterns", spec.patterns)):
            for index, entry in enumerate(entries):
                try:
                    if kind == "phrases":
                        sources.append(compile_phrase(entry, normaliser, lists))
                    else:
                        sources.append(rf"\b(?:{compile_pattern(entry, lists)})\b")
                except PhraseError as error:
                    self._problem((*location, kind, index), str(error))
        if not sources:
            return None
        try:
            return re.compile("|".join(f"(?:{source})" for source in sources))
        except re.error as error:
            self._problem(location, f"its patterns do not combine: {error}")
            return None
