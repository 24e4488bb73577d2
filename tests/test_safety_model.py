"""The second safety screen: the model file beside rules.yaml, how it is scored, and loading it.

None of these tests needs scikit-learn: the model is read and scored in plain Python, and the
small models here are written by hand so each behaviour is visible in a few weights.
"""

from __future__ import annotations

import json
import logging
import random
import time
from pathlib import Path

import pytest

from bot.config import REPOSITORY_ROOT
from bot.domain.safety import Concern, Match, SafetyRulesError, Screener
from bot.domain.safety.features import FEATURES_VERSION, message_features
from bot.domain.safety.measure import read_labelled, score
from bot.domain.safety.model import MODEL_FILE, load_model
from bot.domain.safety.rules import load_rules
from bot.domain.safety.training import TrainingError, TrainingResult, train_files, write_model
from tests.test_safety_screening import NOT_PRESCRIBING, OWN_ORDINARY

RULES = REPOSITORY_ROOT / "prompts" / "safety" / "rules.yaml"
DATA = REPOSITORY_ROOT / "tests" / "safety_data"
MAX_FALSE_ALARMS = 0.03


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.load(RULES)


@pytest.fixture(scope="module")
def rules_only() -> Screener:
    return Screener(load_rules(RULES))


# --- the shipped model -------------------------------------------------------------------------


def test_the_shipped_model_loads_beside_the_rules(screener: Screener):
    model_path = RULES.with_name(MODEL_FILE)
    assert model_path.stat().st_size < 2_000_000
    assert screener.model is not None
    assert screener.model.concerns == (Concern.CRISIS, Concern.EMERGENCY)
    for concern in screener.model.concerns:
        assert 0.0 < screener.model.threshold(concern) < 1.0
    assert screener.model.trained["data"] == "development.csv"


def test_scoring_is_deterministic_whatever_the_order_of_the_features(screener: Screener):
    text = "I keep looking at the motorway bridge on my way home"
    first = screener.model_probabilities(text)
    assert screener.model_probabilities(text) == first
    reloaded = load_model(RULES.with_name(MODEL_FILE))
    rule_set = load_rules(RULES)
    features = sorted(message_features(rule_set.prepare(text), rule_set.concepts))
    for seed in range(5):
        random.Random(seed).shuffle(features)
        assert reloaded.probabilities(features) == first


@pytest.mark.parametrize(
    ("text", "concern"),
    [  # from the development set: wordings no rule catches, which the model learnt
        ("Some days I'm scared of myself and what my hands might do", Concern.CRISIS),
        ("I've been saying goodbye to people in my own way", Concern.CRISIS),
        ("it would be so easy to just step in front of a bus", Concern.CRISIS),
        ("my arm went dead and limp out of nowhere", Concern.EMERGENCY),
    ],
)
def test_a_message_the_rules_miss_is_flagged_by_the_model(
    screener: Screener, rules_only: Screener, text: str, concern: Concern
):
    assert text in {message.text for message in read_labelled(DATA / "development.csv")}
    assert rules_only.screen(text) is None
    assert screener.screen(text) == Match(concern, f"model:{concern}")
    assert screener.matches(text) == [Match(concern, f"model:{concern}")]


@pytest.mark.parametrize(
    "text",
    [
        "this migraine is killing me",
        "my back is killing me from moving furniture",
        "my feet are killing me",
        "dead tired today",
        "I'm dying for a coffee",
        "dying to get back to the gym",
        "bored to death in the waiting room",
        "the headache is worse today, pain 7",
        "migraine all day, stayed in the dark with an ice pack",
        "slept badly, up at 4 again",
        "session went well, felt floaty for an hour",
    ],
)
def test_everyday_pain_idioms_are_not_flagged(screener: Screener, text: str):
    assert screener.matches(text) == []


def test_the_combined_screen_rarely_flags_the_hand_written_look_alikes(screener: Screener):
    """Per message only the rules can promise silence; rules and model together are a rate."""
    look_alikes = [*OWN_ORDINARY, *NOT_PRESCRIBING]
    flagged = [
        text
        for text in look_alikes
        if {match.concern for match in screener.matches(text)} & {Concern.CRISIS, Concern.EMERGENCY}
    ]
    assert len(flagged) / len(look_alikes) <= MAX_FALSE_ALARMS, flagged


def test_screening_with_the_model_stays_fast(screener: Screener):
    texts = [message.text for message in read_labelled(DATA / "development.csv")][:1000]
    started = time.perf_counter()
    for text in texts:
        screener.screen(text)
    assert (time.perf_counter() - started) / len(texts) < 0.002


# --- how the model sits beside the rules, shown with a model written by hand ---------------------

TINY_RULES = """\
exceptions:
  phrases: [killing me]
rules:
  - id: crisis-test
    concern: crisis
    description: a test rule
    phrases: [want to die]
  - id: prescribing-test
    concern: prescribing
    description: a test rule
    phrases: [can i take]
"""


def tiny_model(**changes: object) -> dict[str, object]:
    """A model that knows three words: 'sunflower' is crisis, 'quiver' an emergency."""
    model: dict[str, object] = {
        "features": FEATURES_VERSION,
        "concerns": [
            {"concern": "crisis", "bias": -3.0, "threshold": 0.5},
            {"concern": "emergency", "bias": -3.0, "threshold": 0.5},
        ],
        "weights": {"w:sunflower": [6.0, 0.0], "w:quiver": [0.0, 6.0], "w:kiling": [6.0, 0.0]},
    }
    return model | changes


def folder(tmp_path: Path, model: dict[str, object] | str | None) -> Path:
    rules = tmp_path / "rules.yaml"
    rules.write_text(TINY_RULES, encoding="utf-8")
    if model is not None:
        text = model if isinstance(model, str) else json.dumps(model)
        (tmp_path / MODEL_FILE).write_text(text, encoding="utf-8")
    return rules


def test_the_model_flags_what_the_rules_let_through_and_the_rules_stay_first(tmp_path: Path):
    screener = Screener.load(folder(tmp_path, tiny_model()))
    assert screener.screen("a sunflower") == Match(Concern.CRISIS, "model:crisis")
    assert screener.screen("a quiver") == Match(Concern.EMERGENCY, "model:emergency")
    assert screener.matches("a sunflower and a quiver") == [
        Match(Concern.CRISIS, "model:crisis"),
        Match(Concern.EMERGENCY, "model:emergency"),
    ]
    # A rule's match is the answer, and its id is what a safety event records...
    assert screener.screen("I want to die, sunflower") == Match(Concern.CRISIS, "crisis-test")
    assert screener.matches("I want to die, quiver") == [Match(Concern.CRISIS, "crisis-test")]
    # ...even a dose question, which keeps the prescribing reply.
    assert screener.screen("can i take it with a sunflower") == Match(
        Concern.PRESCRIBING, "prescribing-test"
    )
    assert screener.screen("a daisy") is None


def test_exceptions_are_cut_out_before_the_model_reads_the_text(tmp_path: Path):
    screener = Screener.load(folder(tmp_path, tiny_model()))
    assert screener.screen("the killing is over") == Match(Concern.CRISIS, "model:crisis")
    assert screener.screen("this migraine is killing me") is None


def test_a_flag_can_be_explained_by_its_heaviest_features(tmp_path: Path):
    screener = Screener.load(folder(tmp_path, tiny_model()))
    assert screener.model is not None
    reasons = screener.model.reasons({"w:sunflower", "w:quiver", "w:unknown"}, Concern.CRISIS)
    assert reasons[0] == ("w:sunflower", 6.0)
    assert screener.model_probabilities("a sunflower")[Concern.CRISIS] == pytest.approx(
        0.9526, 1e-3
    )


def test_measuring_counts_the_model_as_part_of_the_screen(tmp_path: Path):
    screener = Screener.load(folder(tmp_path, tiny_model()))
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "label,text\ncrisis,a sunflower\ncrisis,I want to die\nemergency,a quiver\n"
        "ordinary,a daisy\nordinary,a sunflower seed\n",
        encoding="utf-8",
    )
    scores = score(screener, read_labelled(labelled))
    crisis = scores[Concern.CRISIS]
    assert (crisis.flagged, crisis.positives, crisis.false_alarms) == (2, 2, 1)
    assert [rule for _, rule in crisis.false_alarm_messages] == ["model:crisis"]
    assert scores[Concern.EMERGENCY].recall == 1.0


def test_without_a_model_file_the_rules_screen_alone(tmp_path: Path, caplog):
    with caplog.at_level(logging.WARNING):
        screener = Screener.load(folder(tmp_path, None))
    assert screener.model is None
    assert screener.screen("a sunflower") is None
    assert screener.screen("I want to die") == Match(Concern.CRISIS, "crisis-test")
    assert f"no {MODEL_FILE}" in caplog.text


def test_an_edited_model_file_is_read_afresh(tmp_path: Path):
    rules = folder(tmp_path, tiny_model())
    assert Screener.load(rules).screen("a sunflower") is not None
    (tmp_path / MODEL_FILE).write_text(json.dumps(tiny_model(weights={})), encoding="utf-8")
    assert Screener.load(rules).screen("a sunflower") is None


@pytest.mark.parametrize(
    ("model", "words"),
    [
        ('{"features": "x",\n  "weights": [}', "line 2: not valid JSON"),
        (tiny_model(features="words-v0"), "retrain with: python -m bot safety train"),
        (tiny_model(weights={"w:sunflower": [1.0]}), "needs 2 finite weight(s)"),
        (tiny_model(concerns=[{"concern": "worry", "bias": 0, "threshold": 0.5}]), "concern"),
        (tiny_model(concerns=[{"concern": "crisis", "bias": 0, "threshold": 0}]), "threshold"),
        (tiny_model(concerns=[]), "concerns"),
        ({"features": FEATURES_VERSION}, "weights"),
        (tiny_model(extra="x"), "extra"),
    ],
    ids=[
        "not-json",
        "old-features",
        "short-row",
        "unknown-concern",
        "zero-threshold",
        "no-concerns",
        "no-weights",
        "unknown-key",
    ],
)
def test_a_malformed_model_file_fails_to_load_naming_the_file(
    tmp_path: Path, model: dict[str, object] | str, words: str
):
    rules = folder(tmp_path, model)
    with pytest.raises(SafetyRulesError) as raised:
        Screener.load(rules)
    assert str(raised.value).startswith(str(tmp_path / MODEL_FILE))
    assert words in str(raised.value)


# --- training (the parts that need no scikit-learn) ---------------------------------------------


def test_a_written_model_file_loads_and_scores_the_same(tmp_path: Path):
    model = tiny_model(about="test", trained={"messages": 3})
    path = tmp_path / MODEL_FILE
    write_model(path, TrainingResult(model=model, reports=()))
    loaded = load_model(path)
    assert loaded.probabilities(["w:sunflower"]) == pytest.approx(
        {Concern.CRISIS: 0.9526, Concern.EMERGENCY: 0.0474}, abs=1e-4
    )
    assert path.read_text(encoding="utf-8").count("\n") >= len(model["weights"])  # a line each


def test_the_held_out_set_is_never_trained_on():
    with pytest.raises(TrainingError, match="held-out"):
        train_files(RULES, DATA / "heldout.csv")


def test_a_bot_command_is_left_to_the_rules(screener: Screener):
    """Its words are a command's name ("/dose" is not a patient reporting a dose)."""
    assert screener.model_probabilities("dose extra words")  # the model has an opinion
    assert screener.matches("/dose@carebot_local_bot extra words") == []
    assert screener.screen("/dose extra words") is None
    assert screener.screen("/kms") is not None  # the rules still screen commands
