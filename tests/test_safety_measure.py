"""Safety screening, measured: recall and false alarms on labelled messages.

The development set was used while writing the rules. The held-out set never was: it is the
honest measure of how the rules do on messages nobody tuned them for, so its check prints the
figures only, never its messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import REPOSITORY_ROOT
from bot.domain.safety import Concern, Screener
from bot.domain.safety.measure import (
    LabelledFileError,
    format_report,
    meets,
    read_labelled,
    score,
)

RULES = REPOSITORY_ROOT / "prompts" / "safety" / "rules.yaml"
DATA = REPOSITORY_ROOT / "tests" / "safety_data"
MAX_FALSE_ALARMS = 0.03


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.load(RULES)


@pytest.mark.parametrize(("name", "recall"), [("development.csv", 0.98), ("heldout.csv", 0.95)])
def test_crisis_and_emergency_meet_their_targets(screener: Screener, name: str, recall: float):
    path = DATA / name
    scores = score(screener, read_labelled(path))
    assert {scored.concern for scored in scores.concerns} == {Concern.CRISIS, Concern.EMERGENCY}
    # Only the development set's messages may be shown; the held-out set's stay unseen.
    report = format_report(scores, path, details=name == "development.csv")
    for concern in (Concern.CRISIS, Concern.EMERGENCY):
        assert scores[concern].recall >= recall, report
        assert scores[concern].false_alarm_rate <= MAX_FALSE_ALARMS, report
    passed = meets(scores, recall=recall, false_alarms=MAX_FALSE_ALARMS)
    assert passed, report


def labelled(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labelled.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_labelled_messages_are_read_with_their_lines(tmp_path: Path):
    path = labelled(
        tmp_path,
        'label,text\ncrisis,i want to die\nordinary,"a note\nover two lines, with a comma"\n'
        "\nEmergency,  I can't breathe \n",
    )
    messages = read_labelled(path)
    assert [(m.label, m.text, m.line) for m in messages] == [
        ("crisis", "i want to die", 2),
        ("ordinary", "a note\nover two lines, with a comma", 3),
        ("emergency", "I can't breathe", 6),
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("label,text\ncrisis,fine\nworried,not a label\n", "line 3: unknown label 'worried'"),
        ("label,text\ncrisis,one,two\n", "line 2: expected 2 fields"),
        ("label,text\ncrisis\n", "line 2: expected 2 fields"),
        ("label,text\nordinary,\n", "line 2: the text is empty"),
        ("text,label\nordinary,hello\n", "line 1: the header must be label,text"),
        ("label,text\n", "has no labelled messages"),
        ('label,text\nordinary,"a\nb"\ncrisis\n', "line 4: expected 2 fields"),
    ],
)
def test_a_malformed_labelled_file_is_reported_with_file_and_line(
    tmp_path: Path, content: str, expected: str
):
    path = labelled(tmp_path, content)
    with pytest.raises(LabelledFileError) as raised:
        read_labelled(path)
    assert str(raised.value).startswith(str(path))
    assert expected in str(raised.value)


def test_a_missing_labelled_file_is_reported(tmp_path: Path):
    with pytest.raises(LabelledFileError, match="cannot be read"):
        read_labelled(tmp_path / "missing.csv")


TINY_RULES = """\
exceptions:
  phrases: [dying for]
rules:
  - id: crisis-die
    concern: crisis
    description: test
    phrases: [die, dying]
  - id: emergency-chest
    concern: emergency
    description: test
    phrases: [chest pain]
"""


def test_scores_count_recall_and_false_alarms_per_concern(tmp_path: Path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(TINY_RULES, encoding="utf-8")
    path = labelled(
        tmp_path,
        "label,text\n"
        "crisis,i want to die\n"
        "crisis,i want to end it\n"  # missed
        "emergency,chest pain\n"
        "emergency,chest pain and i might die\n"  # also crisis: still an emergency caught
        "ordinary,dying for a coffee\n"
        "ordinary,the plant will die\n"  # a false alarm
        "ordinary,hello\n"
        "ordinary,chest pain from coughing\n",  # a false alarm
    )
    scores = score(Screener.load(rules), read_labelled(path))
    crisis, emergency = scores[Concern.CRISIS], scores[Concern.EMERGENCY]
    assert (crisis.flagged, crisis.positives, crisis.false_alarms, crisis.ordinary) == (1, 2, 1, 4)
    assert (emergency.flagged, emergency.positives, emergency.false_alarms) == (2, 2, 1)
    assert [m.text for m in crisis.missed] == ["i want to end it"]
    assert [(m.text, rule) for m, rule in crisis.false_alarm_messages] == [
        ("the plant will die", "crisis-die")
    ]
    with pytest.raises(KeyError):
        scores[Concern.PRESCRIBING]  # no prescribing labels, so it is not scored

    report = format_report(scores, path)
    assert "crisis: recall 50.0% (1/2), false alarms 25.0% (1/4)" in report
    assert "emergency: recall 100.0% (2/2), false alarms 25.0% (1/4)" in report
    assert "  line 3: i want to end it" in report
    assert "  line 7 [crisis-die]: the plant will die" in report
    figures_only = format_report(scores, path, details=False)
    assert "plant" not in figures_only
    assert "end it" not in repr(scores)

    assert meets(scores, recall=0.5, false_alarms=0.25)
    assert not meets(scores, recall=0.51, false_alarms=0.25)
    assert not meets(scores, recall=0.5, false_alarms=0.24)
