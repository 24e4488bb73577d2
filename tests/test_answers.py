from datetime import time

import pytest

from bot.domain.answers import (
    InvalidAnswer,
    Problem,
    parse_score,
    parse_time_of_day,
    parse_yes_no,
)


@pytest.mark.parametrize(
    ("typed", "score"),
    [("0", 0), ("7", 7), ("10", 10), (" 4 ", 4), ("7/10", 7), ("3 out of 10", 3),
     ("seven", 7), ("Ten!", 10), ("6.0", 6)],
)  # fmt: skip
def test_scores_can_be_typed(typed: str, score: int):
    assert parse_score(typed) == score


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("11", Problem.OUT_OF_RANGE),
        ("-1", Problem.OUT_OF_RANGE),
        ("100", Problem.OUT_OF_RANGE),
        ("6.5", Problem.NOT_WHOLE),
        ("6,5", Problem.NOT_WHOLE),
        ("good", Problem.NOT_A_NUMBER),
        ("", Problem.NOT_A_NUMBER),
        ("7 or 8", Problem.NOT_A_NUMBER),
    ],
)
def test_bad_scores_say_what_is_wrong(typed: str, problem: Problem):
    with pytest.raises(InvalidAnswer) as raised:
        parse_score(typed)
    assert raised.value.problem == problem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("20:30", time(20, 30)),
        ("08:05", time(8, 5)),
        ("8.30pm", time(20, 30)),
        ("9 am", time(9)),
        ("9:30 p.m.", time(21, 30)),
        ("12am", time(0)),
        ("12 pm", time(12)),
        ("21", time(21)),
        ("0:00", time(0)),
    ],
)
def test_times_of_day_can_be_typed_in_common_forms(typed: str, expected: time):
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "7:60", "13pm", "0am", "evening", "", "25"])
def test_impossible_times_are_refused(typed: str):
    with pytest.raises(InvalidAnswer) as raised:
        parse_time_of_day(typed)
    assert raised.value.problem == Problem.NOT_A_TIME


@pytest.mark.parametrize(
    ("typed", "answer"),
    [("yes", True), ("Yeah!", True), ("y", True), ("I'm not sure... maybe", None),
     ("maybe", True), ("sort of", True), ("No", False), ("nope", False), ("not really", False),
     ("I'm not", False)],
)  # fmt: skip
def test_yes_and_no_can_be_typed_and_doubt_counts_as_yes(typed: str, answer):
    if answer is None:
        with pytest.raises(InvalidAnswer):
            parse_yes_no(typed)
    else:
        assert parse_yes_no(typed) is answer
