"""Training the second screen from labelled messages, and choosing its thresholds honestly.

``python -m bot safety train`` runs this. The training data is the development set,
``tests/safety_data/development.csv`` (``label,text``), the same file the rules are measured
on: clinicians extend one file and both screens learn from it. The held-out set is never
training data.

For each concern with labelled messages (crisis, emergency) a logistic regression learns that
concern against every other message. The threshold is chosen by k-fold cross-validation: the
messages are split into ``folds`` parts, a model trained on the others scores each part, and
the threshold is the lowest at which the *combined* screen (rules or model) flags no more than
``false_alarms`` of the ordinary messages. The reported figures are those held-back scores, so
they estimate how the model does on messages it was not trained on. The rules' figures are not
held back (they were written with the development set in view), so the combined recall on the
development set is optimistic; fresh probe batches are the honest check.

Training needs scikit-learn (``pip install -e '.[train]'``); the bot itself does not.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bot.config import REPOSITORY_ROOT
from bot.domain.safety.concerns import Concern
from bot.domain.safety.features import FEATURES_VERSION, message_features
from bot.domain.safety.measure import ORDINARY, LabelledMessage, read_labelled
from bot.domain.safety.rules import RuleSet, load_rules
from bot.domain.safety.screener import MODEL_CONCERNS, Screener

DEVELOPMENT_SET = REPOSITORY_ROOT / "tests" / "safety_data" / "development.csv"
# The held-out set measures the screens on text nobody tuned them for; training on it would
# end that, so it is refused by name.
HELD_OUT_FILE = "heldout.csv"
DEFAULT_FOLDS = 5
# The combined screen's estimated false-alarm rate per concern: well under the 3% limit.
DEFAULT_FALSE_ALARMS = 0.015
# Inverse regularisation strength (scikit-learn's C): smaller keeps weights small and spread.
REGULARISATION = 0.3
# A feature must appear in this many training messages to get a weight: no one-off words.
MIN_MESSAGES_PER_FEATURE = 2
WEIGHT_DECIMALS = 4
SPLIT_SEED = 0


class TrainingError(Exception):
    """Training cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Figures:
    """Recall and false alarms of one screen for one concern."""

    flagged: int
    positives: int
    false_alarms: int
    ordinary: int

    def __str__(self) -> str:
        recall = self.flagged / self.positives if self.positives else 1.0
        alarms = self.false_alarms / self.ordinary if self.ordinary else 0.0
        return (
            f"recall {recall:.1%} ({self.flagged}/{self.positives}), "
            f"false alarms {alarms:.1%} ({self.false_alarms}/{self.ordinary})"
        )


@dataclass(frozen=True)
class ConcernReport:
    """The cross-validated figures behind one concern's threshold."""

    concern: Concern
    threshold: float
    rules: Figures
    model: Figures
    combined: Figures

    def lines(self) -> list[str]:
        return [
            f"{self.concern}: threshold {self.threshold:.4f}",
            f"  rules alone (written on this set): {self.rules}",
            f"  model alone (held-back folds):     {self.model}",
            f"  rules or model (held-back folds):  {self.combined}",
        ]


@dataclass(frozen=True)
class TrainingResult:
    model: dict[str, Any]
    reports: tuple[ConcernReport, ...]

    def summary(self) -> str:
        trained = self.model["trained"]
        head = (
            f"{trained['messages']} labelled messages, {trained['folds']}-fold cross-validation, "
            f"{len(self.model['weights'])} features kept"
        )
        return "\n".join([head, *(line for report in self.reports for line in report.lines())])


def train_files(
    rules: Path, data: Path, folds: int = DEFAULT_FOLDS, false_alarms: float = DEFAULT_FALSE_ALARMS
) -> TrainingResult:
    """Train on a labelled file with the rules file's normalising, exceptions and concepts."""
    if data.name == HELD_OUT_FILE:
        raise TrainingError(f"{data} is the held-out set: it is never trained on")
    return train(
        load_rules(rules),
        read_labelled(data),
        source=data.name,
        folds=folds,
        false_alarms=false_alarms,
    )


def train(
    rule_set: RuleSet,
    messages: Sequence[LabelledMessage],
    *,
    source: str,
    folds: int = DEFAULT_FOLDS,
    false_alarms: float = DEFAULT_FALSE_ALARMS,
) -> TrainingResult:
    """Cross-validate, choose thresholds, then fit on every message: the model file's content."""
    learn = _scikit_learn()
    labels = [message.label for message in messages]
    counts = Counter(labels)
    concerns = [concern for concern in MODEL_CONCERNS if counts[concern.value] >= folds]
    if not concerns or counts[ORDINARY] < folds:
        raise TrainingError(
            f"need at least {folds} ordinary messages and {folds} of crisis or emergency"
        )
    features = [message_features(rule_set.prepare(m.text), rule_set.concepts) for m in messages]
    rules_only = Screener(rule_set)
    by_rules = [{match.concern for match in rules_only.matches(m.text)} for m in messages]
    splits = list(
        learn.StratifiedKFold(n_splits=folds, shuffle=True, random_state=SPLIT_SEED).split(
            [[0]] * len(labels), labels
        )
    )
    held_back = {concern: [0.0] * len(messages) for concern in concerns}
    for training_rows, held_rows in splits:
        vocabulary = _vocabulary([features[row] for row in training_rows])
        for concern in concerns:
            fitted = _fit(learn, features, labels, training_rows, vocabulary, concern)
            scored = fitted.predict_proba(_matrix(learn, features, held_rows, vocabulary))[:, 1]
            for row, probability in zip(held_rows, scored, strict=True):
                held_back[concern][row] = float(probability)
    reports = tuple(
        _choose_threshold(concern, labels, by_rules, held_back[concern], false_alarms)
        for concern in concerns
    )
    vocabulary = _vocabulary(features)
    columns = []
    for concern in concerns:
        fitted = _fit(learn, features, labels, range(len(messages)), vocabulary, concern)
        columns.append((float(fitted.intercept_[0]), fitted.coef_[0]))
    weights = {
        feature: [round(float(coefficients[index]), WEIGHT_DECIMALS) for _, coefficients in columns]
        for feature, index in sorted(vocabulary.items())
    }
    model = {
        "about": (
            "The second safety screen: logistic-regression weights per concern. Written by "
            "'python -m bot safety train'; do not edit by hand, extend the labelled messages."
        ),
        "features": FEATURES_VERSION,
        "trained": {
            "data": source,
            "messages": len(messages),
            "labels": dict(sorted(counts.items())),
            "folds": folds,
            "target_false_alarms": false_alarms,
            "regularisation": REGULARISATION,
            "cross_validated": {
                str(report.concern): {
                    "rules": str(report.rules),
                    "model": str(report.model),
                    "combined": str(report.combined),
                }
                for report in reports
            },
        },
        "concerns": [
            {
                "concern": str(report.concern),
                "bias": round(bias, WEIGHT_DECIMALS),
                "threshold": round(report.threshold, 6),
            }
            for report, (bias, _) in zip(reports, columns, strict=True)
        ],
        "weights": weights,
    }
    return TrainingResult(model=model, reports=reports)


def write_model(path: Path, result: TrainingResult) -> None:
    """The model file: readable settings first, then one feature per line (diffs stay small)."""
    head = {key: value for key, value in result.model.items() if key != "weights"}
    lines = json.dumps(head, indent=2, ensure_ascii=False).splitlines()
    rows = [
        f"    {json.dumps(feature, ensure_ascii=False)}: {json.dumps(row)}"
        for feature, row in result.model["weights"].items()
    ]
    body = lines[:-1]  # without the closing brace: the weights follow
    body[-1] += ","
    text = "\n".join([*body, '  "weights": {', ",\n".join(rows), "  }", "}"]) + "\n"
    path.write_text(text, encoding="utf-8")


def _scikit_learn() -> SimpleNamespace:
    """scikit-learn and SciPy, imported only to train: the bot screens without them."""
    try:
        from scipy.sparse import csr_matrix
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold
    except ImportError:
        raise TrainingError(
            "training needs scikit-learn: pip install -e '.[train]' (the bot itself does not)"
        ) from None
    return SimpleNamespace(
        LogisticRegression=LogisticRegression,
        StratifiedKFold=StratifiedKFold,
        csr_matrix=csr_matrix,
    )


def _vocabulary(feature_sets: Sequence[set[str]]) -> dict[str, int]:
    seen = Counter(feature for features in feature_sets for feature in features)
    kept = sorted(feature for feature, count in seen.items() if count >= MIN_MESSAGES_PER_FEATURE)
    return {feature: index for index, feature in enumerate(kept)}


def _matrix(
    learn: SimpleNamespace,
    features: Sequence[set[str]],
    rows: Sequence[int],
    vocabulary: dict[str, int],
) -> Any:
    """One row per message, 1 for each feature it has: screening adds up exactly these weights."""
    indices: list[int] = []
    pointers = [0]
    for row in rows:
        indices += sorted(vocabulary[f] for f in features[row] if f in vocabulary)
        pointers.append(len(indices))
    data = [1.0] * len(indices)
    return learn.csr_matrix((data, indices, pointers), shape=(len(rows), len(vocabulary)))


def _fit(
    learn: SimpleNamespace,
    features: Sequence[set[str]],
    labels: Sequence[str],
    rows: Sequence[int],
    vocabulary: dict[str, int],
    concern: Concern,
) -> Any:
    model = learn.LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000)
    targets = [int(labels[row] == concern.value) for row in rows]
    return model.fit(_matrix(learn, features, rows, vocabulary), targets)


def _choose_threshold(
    concern: Concern,
    labels: Sequence[str],
    by_rules: Sequence[set[Concern]],
    held_back: Sequence[float],
    false_alarms: float,
) -> ConcernReport:
    """The lowest threshold keeping the combined false-alarm rate within ``false_alarms``."""
    ordinary = [row for row, label in enumerate(labels) if label == ORDINARY]
    positives = [row for row, label in enumerate(labels) if label == concern.value]
    # The model speaks only where no rule matched (see Screener), so only those can add alarms.
    rule_alarms = sum(concern in by_rules[row] for row in ordinary)
    room = math.floor(false_alarms * len(ordinary) + 1e-9) - rule_alarms
    if room < 0:
        raise TrainingError(
            f"{concern}: the rules alone raise {rule_alarms} false alarms in "
            f"{len(ordinary)} ordinary messages, more than the target {false_alarms:.1%}"
        )
    left = sorted((held_back[row] for row in ordinary if not by_rules[row]), reverse=True)
    above = left[room - 1] if room > 0 else 1.0
    below = left[room] if room < len(left) else 0.0
    threshold = (above + below) / 2

    def figures(flags: Sequence[bool]) -> Figures:
        return Figures(
            flagged=sum(flags[row] for row in positives),
            positives=len(positives),
            false_alarms=sum(flags[row] for row in ordinary),
            ordinary=len(ordinary),
        )

    rules = [concern in found for found in by_rules]
    model = [probability >= threshold for probability in held_back]
    combined = [
        concern in found or (not found and flagged)
        for found, flagged in zip(by_rules, model, strict=True)
    ]
    return ConcernReport(concern, threshold, figures(rules), figures(model), figures(combined))
