"""The files clinicians edit are checked whole before use, and render safely."""

import shutil
from pathlib import Path

import pytest

from bot.app import check_commands_match
from bot.domain.checkins import Comparison, Direction, Trend
from bot.prompts import PromptsError, load_prompts
from bot.render import Message

HOSTILE_NAME = "<b>Al & Co"
# Enough variables for every template; each template uses only some of them.
CONTEXT = {
    "first_name": HOSTILE_NAME,
    "zone": "Europe/Berlin",
    "local_time": "10:00",
    "checkin_time": "20:00",
    "just_joined": True,
    "fixed_offset": True,
    "typed": "<script>&",
    "had_data": False,
    "explain": True,
    "mood": 6,
    "pain": 3,
    "problem": "out_of_range",
    "replaced": False,
    "has_note": True,
    "comparison": Comparison(
        days=7,
        entries=3,
        mood=Trend(6, 4.3, Direction.HIGHER),
        pain=Trend(3, 3.2, Direction.SAME),
    ),
    "command": "/<nope>",
    "resuming": True,
    "has_plan": True,
    "number": 2,
    "total": 6,
    "title": "Things I can do on my own",
    "question": "What helps?",
    "current": "<script>& music",
    "parts": [{"number": 1, "title": "My warning signs", "text": "<script>& numb"}],
    "upcoming": True,
    "outcome": "new",
    "when": "Sat 28 Mar, 14:30",
    "prompts_planned": 5,
    "until": "Tue 31 Mar, 10:00",
    "was_paused": True,
    "score": None,
    "entries": [{"when": "Sat 28 Mar, 14:30", "text": "<script>& calm", "score": 4}],
    "query": "<script>&",
    "page": 1,
    "pages": 3,
    "snippet": "<i>Already HTML</i> from the article library",
    "sources": [
        {"author": "NHS", "year": 2024, "url": "https://www.nhs.uk/", "title": "<Migraine>"}
    ],
    "occasion": "high-pain",
    "share_journal": True,
    "status": "expired",
    "name": "<Dr> & Co",
    "clinic": "<Clinic>",
    "code": "P-1234",
    "usage": False,
    "lines": [
        {
            "code": "P-1234",
            "first_name": "<b>Al",
            "discharged": False,
            "last_checkin": "2026-03-28",
            "mood_average": 5.5,
            "pain_average": None,
            "adherence": 50,
            "open_alerts": 2,
        }
    ],
    "discharged": False,
    "baseline": 4.3,
    "recent_pain": 6.0,
    "recent_mood": 4.0,
    "earlier_pain": None,
    "earlier_mood": 5.0,
    "checkins": 9,
    "sessions": [{"number": 1, "when": "Sat 28 Mar, 12:00", "done": True}],
    "planned_messages": [{"when": "Sun 29 Mar, 09:30", "what": "next_day"}],
    "journal": [{"when": "Sat 28 Mar, 14:30", "text": "<script>& calm", "score": None}],
    "protocol": {"key": "mine", "name": "<Mine>", "version": 2, "steps": 3},
    "protocols": [{"key": "mine", "name": "<Mine>", "version": None, "steps": 3}],
    "link": "https://t.me/carebot?start=abc",
    "expires": "Sat 04 Apr, 10:00",
    "key": "<mine>",
    "what": "assigned",
    "value": "<x>",
    "problems": ["line 3: <bad>"],
    "version": 2,
    "session": "Sun 29 Mar, 12:00",
    "count": 6,
    "id": "day_3",
    "text": "<i>Rendered</i> prompt",
    "booked": False,
    "tier": "urgent",
    "kind": "crisis",
    "escalation": True,
    "minutes": 31,
    "open_alerts": [{"code": "P-1234", "kind": "crisis", "tier": "urgent"}],
    "new_alerts": [],
    "digest_items": [{"code": "P-9", "kind": "no_checkins", "tier": "digest"}],
    "not_checked_in": ["P-1234"],
    "session_codes": [],
    "left": ["P-77"],
    "medicine": True,
    "span": "90",
    "week_pain": 4.5,
    "week_mood": 6.0,
    "change_points": -1.5,
    "change_percent": -25,
    "streak": 4,
    "days_since_session": 3,
    "months": [
        {
            "month": "2026-03",
            "days": 31,
            "checked_in": 20,
            "pain_free": 2,
            "high_pain": 3,
            "missing": 11,
            "headache_days": 9,
            "medicine_days": 4,
        }
    ],
    "adherence": 65,
    "first": "2026-03-01",
    "last": "2026-03-31",
    "alerts": ["2026-03-02 <crisis>"],
    "intro": "Over the last 2 weeks <b>",
    "item": "Little interest <or> pleasure",
    "instrument": "phq9",
    "band": "mild",
    "concern": True,
    "names": ["gad7", "phq9"],
    "scores": [
        {
            "name": "PHQ-9",
            "total": 7,
            "band": "mild",
            "first": 14,
            "change": -7,
            "response": True,
            "remission": False,
        }
    ],
}


@pytest.fixture
def prompts_copy(tmp_path: Path, prompts_dir: Path) -> Path:
    copy = tmp_path / "prompts"
    shutil.copytree(prompts_dir, copy)
    return copy


@pytest.mark.parametrize("template", list(Message))
def test_every_template_renders_and_escapes_what_people_typed(prompts_dir: Path, template):
    text = load_prompts(prompts_dir).renderer.message(template, **CONTEXT)
    assert text.strip()
    assert len(text) < 4096
    assert "<script>" not in text
    assert "<b>Al" not in text
    assert "<nope>" not in text


def test_the_consent_text_covers_what_the_issue_requires(prompts_dir: Path):
    prompts = load_prompts(prompts_dir)
    text = prompts.renderer.consent(prompts.consent_version)
    for required in ("What I keep", "Who can see it", "not end-to-end encrypted",
                     "not a doctor", "no one watches this chat", "988", "112"):  # fmt: skip
        assert required in text


def test_the_newest_consent_file_is_the_current_version(prompts_copy: Path):
    assert load_prompts(prompts_copy).consent_version == 2
    (prompts_copy / "consent" / "v3.html").write_text("New terms. Do you agree?")
    (prompts_copy / "consent" / "draft.html").write_text("not a version")
    assert load_prompts(prompts_copy).consent_version == 3


def test_a_missing_consent_text_stops_loading(prompts_copy: Path):
    for version in prompts_copy.glob("consent/v*.html"):
        version.unlink()
    with pytest.raises(PromptsError, match="no consent text"):
        load_prompts(prompts_copy)


def test_a_broken_template_is_named_with_its_line(prompts_copy: Path):
    (prompts_copy / "messages" / "help.html").write_text("Hello\n{% if %}\n")
    with pytest.raises(PromptsError, match=r"prompts/messages/help\.html, line 2"):
        load_prompts(prompts_copy)


def test_a_missing_template_is_named(prompts_copy: Path):
    (prompts_copy / "messages" / "ask_mood.html").unlink()
    with pytest.raises(PromptsError, match=r"ask_mood\.html"):
        load_prompts(prompts_copy)


def test_an_undefined_variable_is_an_error_not_a_blank(prompts_dir: Path):
    renderer = load_prompts(prompts_dir).renderer
    with pytest.raises(Exception, match="first_name"):
        renderer.message(Message.WELCOME)


def test_templates_cannot_reach_python_internals(prompts_copy: Path):
    from jinja2.exceptions import SecurityError

    (prompts_copy / "messages" / "help.html").write_text("{{ ''.__class__.__mro__ }}")
    with pytest.raises(SecurityError):
        load_prompts(prompts_copy).renderer.message(Message.HELP)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("  saved: \"Saved\"\n", ""), "notices.saved: Field required"),
        (("  note_skip: \"Skip\"\n", "  note_skip: \"Skip\"\n  note_skipp: \"x\"\n"),
         "buttons.note_skipp: Extra inputs are not permitted"),
        (("zone: Europe/Dublin", "zone: Europe/Dublinn"), "not an IANA time zone"),
        (("  help: See everything I can do", "  Help Me: x"), "lower-case"),
        (("buttons:\n", "buttons:\n  : [\n"), "ui.yaml, line"),
    ],
)  # fmt: skip
def test_ui_yaml_problems_are_named(prompts_copy: Path, change, expected: str):
    path = prompts_copy / "ui.yaml"
    old, new = change
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    with pytest.raises(PromptsError, match=expected):
        load_prompts(prompts_copy)


def test_ui_yaml_must_describe_exactly_the_bots_commands(prompts_copy: Path):
    path = prompts_copy / "ui.yaml"
    path.write_text(path.read_text().replace("  help: See everything I can do\n", ""))
    with pytest.raises(PromptsError, match="missing: help"):
        check_commands_match(load_prompts(prompts_copy))


def test_crisis_resources_come_from_the_configured_region(prompts_dir: Path):
    from bot.render import Message

    prompts = load_prompts(prompts_dir, crisis_region="au")
    text = prompts.renderer.message(Message.CRISIS_LINES)
    assert "Lifeline" in text
    assert "13 11 14" in text
    assert "call 000 now" in text


def test_an_unknown_crisis_region_is_named_with_the_known_ones(prompts_dir: Path):
    with pytest.raises(PromptsError, match="CRISIS_REGION 'mars' is not one of: au, ca, eu"):
        load_prompts(prompts_dir, crisis_region="mars")


def test_a_malformed_resources_file_stops_loading(prompts_copy: Path):
    path = prompts_copy / "safety" / "resources.yaml"
    path.write_text(path.read_text().replace('emergency: "000"', "emergncy: 000"))
    with pytest.raises(PromptsError, match=r"resources\.yaml: regions\.au"):
        load_prompts(prompts_copy)


def test_the_safety_plan_has_exactly_six_parts(prompts_copy: Path):
    path = prompts_copy / "ui.yaml"
    text = path.read_text()
    cut = text.index("  - title: Making my surroundings safer")
    path.write_text(text[:cut])
    with pytest.raises(PromptsError, match="safety_plan"):
        load_prompts(prompts_copy)
