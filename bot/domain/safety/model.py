"""The second screen: a small linear classifier per concern, read from ``model.json``.

The rules catch the wordings someone wrote down; this catches some of the ones nobody did. It
is a logistic regression per concern (crisis, emergency) over the features of
:mod:`.features`, trained by ``python -m bot safety train`` on the labelled development set
(see :mod:`.training`). Screening a message is plain Python, no ML library: the weights of the
features the message has are added up with the bias, and the logistic function turns the sum
into a probability that is compared with the concern's threshold. Every flag can be explained
by the handful of features that weighed most (:meth:`SafetyModel.reasons`).

The file is data like ``rules.yaml``: a malformed one stops the bot at start-up with
:class:`~bot.domain.safety.rules.SafetyRulesError` naming the file, never a half-working screen.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.domain.safety.concerns import Concern
from bot.domain.safety.features import FEATURES_VERSION
from bot.domain.safety.rules import SafetyRulesError

MODEL_FILE = "model.json"
# A model match is stored in safety events as this rule id ("model:crisis"); rule ids from the
# rules file cannot contain ":", so the two never collide.
MODEL_RULE_PREFIX = "model:"
Probability = Annotated[float, Field(gt=0.0, le=1.0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConcernSpec(_Strict):
    concern: Concern
    bias: float
    threshold: Probability


class ModelSpec(_Strict):
    """The file's layout. ``weights`` maps each feature to one weight per entry of ``concerns``."""

    about: str = ""
    features: str
    trained: dict[str, object] = {}
    concerns: Annotated[list[ConcernSpec], Field(min_length=1)]
    weights: dict[str, list[float]]

    @model_validator(mode="after")
    def _consistent(self) -> ModelSpec:
        if self.features != FEATURES_VERSION:
            raise ValueError(
                f"features {self.features!r} are not the ones this version reads "
                f"({FEATURES_VERSION!r}); retrain with: python -m bot safety train"
            )
        named = [spec.concern for spec in self.concerns]
        if len(set(named)) != len(named):
            raise ValueError("a concern is listed twice under concerns")
        width = len(self.concerns)
        for feature, row in self.weights.items():
            if len(row) != width or not all(math.isfinite(weight) for weight in row):
                raise ValueError(f"feature {feature!r} needs {width} finite weight(s)")
        return self


@dataclass(frozen=True)
class ModelFlag:
    """One concern the model flags, with the probability it gave."""

    concern: Concern
    probability: float

    @property
    def rule_id(self) -> str:
        return f"{MODEL_RULE_PREFIX}{self.concern}"


class SafetyModel:
    """Scores prepared messages. Load once with :func:`load_model`; scoring is dict lookups."""

    def __init__(self, spec: ModelSpec) -> None:
        self.concerns = tuple(entry.concern for entry in spec.concerns)
        self._biases = tuple(entry.bias for entry in spec.concerns)
        self._thresholds = tuple(entry.threshold for entry in spec.concerns)
        self._weights = {feature: tuple(row) for feature, row in spec.weights.items()}
        self.trained = dict(spec.trained)

    def threshold(self, concern: Concern) -> float:
        return self._thresholds[self.concerns.index(concern)]

    def probabilities(self, features: Iterable[str]) -> dict[Concern, float]:
        """Each concern's probability for a message with these features (order does not matter)."""
        rows = [row for row in map(self._weights.get, features) if row is not None]
        return {  # fsum: the exact sum, the same whatever order the features come in
            concern: _logistic(bias + math.fsum(row[column] for row in rows))
            for column, (concern, bias) in enumerate(zip(self.concerns, self._biases, strict=True))
        }

    def flags(self, features: Iterable[str]) -> list[ModelFlag]:
        """The concerns whose probability reaches their threshold, most urgent first."""
        found = [
            ModelFlag(concern, probability)
            for concern, probability in self.probabilities(features).items()
            if probability >= self.threshold(concern)
        ]
        return sorted(found, key=lambda flag: flag.concern.urgency)

    def reasons(
        self, features: Iterable[str], concern: Concern, count: int = 5
    ) -> list[tuple[str, float]]:
        """The features that pushed hardest towards ``concern``: why a message was flagged."""
        column = self.concerns.index(concern)
        known = [
            (feature, self._weights[feature][column])
            for feature in set(features)
            if feature in self._weights
        ]
        return sorted(known, key=lambda item: (-item[1], item[0]))[:count]


def _logistic(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exponential = math.exp(value)
    return exponential / (1.0 + exponential)


def load_model(path: Path) -> SafetyModel:
    """Read and check a model file; :class:`SafetyRulesError` naming the file on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SafetyRulesError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        tree = json.loads(text)
    except json.JSONDecodeError as error:
        raise SafetyRulesError(
            f"{path}, line {error.lineno}: not valid JSON ({error.msg}); "
            "rebuild it with: python -m bot safety train"
        ) from None
    try:
        spec = ModelSpec.model_validate(tree)
    except ValidationError as error:
        problems = [
            f"{path}: {_where(problem['loc'])}{problem['msg']}"
            for problem in error.errors(include_url=False)
        ]
        raise SafetyRulesError("; ".join(problems[:5])) from None
    return SafetyModel(spec)


def _where(location: tuple[object, ...]) -> str:
    return f"{'.'.join(str(part) for part in location)}: " if location else ""
