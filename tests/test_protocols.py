"""Protocol files: loaded whole, or refused with the file and line of every mistake."""

from __future__ import annotations

import shutil
from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.app import build_application
from bot.clock import ManualClock
from bot.config import Settings
from bot.domain.protocols import AfterSession, Button, OnDay, ProtocolError, load_protocols
from bot.localbot import throwaway_token
from bot.prompts import PromptsError, load_prompts
from tests.conftest import START

GOOD_STEP = """\
  - id: rest
    offset: 30m
    template: integration/rest_and_safety.html
    expires: 6h
"""


@pytest.fixture
def prompts_copy(tmp_path: Path, prompts_dir: Path) -> Path:
    """A private copy of prompts/ with one small protocol of our own."""
    copy = tmp_path / "prompts"
    shutil.copytree(prompts_dir, copy)
    for path in (copy / "protocols").glob("*.yaml"):
        path.unlink()
    write_protocol(copy, "mine", GOOD_STEP)
    return copy


def write_protocol(prompts: Path, key: str, steps: str, header: str | None = None) -> Path:
    path = prompts / "protocols" / f"{key}.yaml"
    path.write_text((header or "name: Mine\ndescription: A test protocol.\nsteps:\n") + steps)
    return path


def problems(prompts: Path) -> list[str]:
    with pytest.raises(ProtocolError) as raised:
        load_protocols(prompts, load_prompts_renderer(prompts))
    return [str(problem) for problem in raised.value.problems]


def load_prompts_renderer(prompts: Path):  # the renderer start-up uses, without protocols
    from bot.config import load_settings
    from bot.prompts import template_globals
    from bot.render import Renderer

    return Renderer(prompts, **template_globals(prompts, load_settings(env_file=None)))


def test_the_shipped_protocols_load_with_their_timings(prompts_dir: Path) -> None:
    protocols = load_prompts(prompts_dir).protocols
    assert {"at-home-oral", "short-check"} <= set(protocols)
    default = protocols["at-home-oral"]
    assert 6 <= len(default.session_steps) <= 8
    assert {s.instrument for s in default.recurring_steps} == {
        "phq9",
        "gad7",
        "pgic",
        "safety-check",
    }
    intention = default.steps[0]
    assert intention.before_session
    assert isinstance(intention.timing, AfterSession)
    assert any(isinstance(step.timing, OnDay) and step.timing.day == 14 for step in default.steps)
    assert any(Button.WRITE in step.buttons for step in default.steps)
    assert len(protocols["short-check"].steps) < len(default.steps)


def test_a_protocol_is_read_into_plain_values(prompts_copy: Path) -> None:
    write_protocol(
        prompts_copy,
        "mine",
        GOOD_STEP
        + '  - id: morning\n    day: 1\n    at: "09:30"\n    template: integration/next_day.html\n'
        "    buttons: [scale, write]\n    reminder: 3h\n    expires: 12h\n"
        "  - id: every_fortnight\n    every: 14d\n    from: enrolment\n"
        "    template: integration/day_14.html\n    expires: 1d\n",
    )
    protocol = load_protocols(prompts_copy, load_prompts_renderer(prompts_copy))["mine"]
    rest, morning, fortnight = protocol.steps
    assert rest.timing == AfterSession(timedelta(minutes=30))
    assert morning.timing == OnDay(1, time(9, 30))
    assert morning.buttons == (Button.SCALE, Button.WRITE)
    assert morning.reminder_after == timedelta(hours=3)
    assert fortnight.timing.every_days == 14
    assert fortnight.timing.at is None
    assert protocol.session_steps == (rest, morning)
    assert protocol.recurring_steps == (fortnight,)


@pytest.mark.parametrize(
    ("steps", "line", "expected"),
    [
        (GOOD_STEP + "    colour: blue\n", 8, "unknown key 'colour'"),
        (GOOD_STEP.replace("30m", "half an hour"), 5, "is not a length of time"),
        (GOOD_STEP.replace("30m", "-200d"), 5, "too far"),
        (GOOD_STEP.replace("expires: 6h", "expires: 0m"), 7, "longer than zero"),
        (
            GOOD_STEP.replace("offset: 30m", "day: 2\n    at: 18:30"),
            6,
            'in quotes, like at: "09:00"',
        ),
        (GOOD_STEP.replace("offset: 30m", 'day: 2\n    at: "25:00"'), 6, "not a time of day"),
        (GOOD_STEP.replace("offset: 30m", "day: 2"), 4, "'day' needs 'at'"),
        (GOOD_STEP.replace("offset: 30m", "offset: 1h\n    day: 1"), 4, "exactly one of"),
        (GOOD_STEP.replace("rest_and_safety", "nowhere"), 6, "no such template"),
        (GOOD_STEP + GOOD_STEP, 8, "two steps are called 'rest'"),
        (GOOD_STEP.replace("    expires: 6h\n", ""), 4, "expires: this is required"),
        (GOOD_STEP.replace("buttons", "x") + "    buttons: [dance]\n", 8, "buttons"),
    ],
)
def test_each_mistake_is_named_with_its_file_and_line(
    prompts_copy: Path, steps: str, line: int, expected: str
) -> None:
    path = write_protocol(prompts_copy, "mine", steps)
    found = problems(prompts_copy)
    assert any(f"{path}, line {line}:" in p and expected in p for p in found), found


def test_a_template_naming_an_unknown_variable_is_refused(prompts_copy: Path) -> None:
    (prompts_copy / "integration" / "odd.html").write_text("Hello {{ favourite_colour }}")
    path = write_protocol(prompts_copy, "mine", GOOD_STEP.replace("rest_and_safety", "odd"))
    assert any(
        f"{path}, line 6:" in p and "'favourite_colour' is undefined" in p
        for p in problems(prompts_copy)
    )


def test_steps_out_of_order_for_a_session_ending_at_noon_are_refused(prompts_copy: Path) -> None:
    later_first = (
        '  - id: tomorrow\n    day: 1\n    at: "09:00"\n'
        "    template: integration/next_day.html\n    expires: 12h\n"
    ) + GOOD_STEP
    path = write_protocol(prompts_copy, "mine", later_first)
    found = problems(prompts_copy)
    assert any(f"{path}, line 9:" in p and "before step 'tomorrow'" in p for p in found), found


def test_broken_yaml_names_its_line(prompts_copy: Path) -> None:
    path = write_protocol(prompts_copy, "mine", GOOD_STEP + "  - id: [unclosed\n")
    assert any(f"{path}, line" in p for p in problems(prompts_copy))


def test_one_bad_file_means_no_protocol_loads(prompts_copy: Path) -> None:
    write_protocol(prompts_copy, "broken", GOOD_STEP.replace("30m", "soon"))
    with pytest.raises(ProtocolError) as raised:
        load_protocols(prompts_copy, load_prompts_renderer(prompts_copy))
    assert all("broken.yaml" in str(problem) for problem in raised.value.problems)


def test_the_check_command_passes_on_the_shipped_protocols(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["protocols", "check"]) == 0
    assert "ok  at-home-oral" in capsys.readouterr().out


def test_the_check_command_lists_every_error_and_exits_non_zero(
    prompts_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_protocol(prompts_copy, "mine", GOOD_STEP + "    colour: blue\n")
    write_protocol(prompts_copy, "other", GOOD_STEP.replace("30m", "soon"))
    assert main(["protocols", "check", str(prompts_copy)]) == 1
    errors = capsys.readouterr().err
    assert f"{path}, line 8: unknown key 'colour'" in errors
    assert "other.yaml, line 5" in errors
    assert "2 problem(s) found; nothing was loaded." in errors


def test_the_bot_refuses_to_start_with_an_invalid_protocol(
    settings: Settings, prompts_copy: Path
) -> None:
    write_protocol(prompts_copy, "mine", GOOD_STEP.replace("30m", "soon"))
    broken = settings.model_copy(update={"prompts_dir": prompts_copy})
    with pytest.raises(PromptsError, match=r"mine\.yaml, line 5: .*not a length of time"):
        build_application(broken, ManualClock(START), token=throwaway_token())


def test_the_bot_refuses_an_unknown_default_protocol(settings: Settings) -> None:
    wrong = settings.model_copy(update={"default_protocol": "nonexistent"})
    with pytest.raises(PromptsError, match="DEFAULT_PROTOCOL is 'nonexistent'"):
        build_application(wrong, ManualClock(START), token=throwaway_token())


def test_a_template_that_fails_while_rendering_is_refused(prompts_copy: Path) -> None:
    (prompts_copy / "integration" / "odd.html").write_text("{{ mood_average + 1 }}")
    write_protocol(prompts_copy, "mine", GOOD_STEP.replace("rest_and_safety", "odd"))
    assert any("fails to render (TypeError)" in p for p in problems(prompts_copy))
