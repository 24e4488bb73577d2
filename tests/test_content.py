"""The article library: loaded whole or refused with file and line, cut into snippets, searched."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from bot.domain.content import ContentError, ContentIndex, Occasion, load_library
from bot.domain.content.markup import to_html
from bot.domain.content.offers import occasion_after_checkin, occasion_after_session
from bot.domain.content.snippets import SNIPPET_LIMIT, SentenceTooLongError, split_snippets

FRONT = """---
title: {title}
summary: A short line about {title}.
tags: [{tags}]
audience: {audience}
sources:
  - title: "A real source"
    author: "NHS"
    year: 2023
    url: https://www.nhs.uk/conditions/migraine/
reviewed: 2026-11-25
{extra}---
"""


def article(
    folder: Path,
    name: str,
    body: str,
    *,
    title: str = "",
    tags: str = "x",
    audience: str = "patient",
    extra: str = "",
    front: str | None = None,
) -> Path:
    path = folder / f"{name}.md"
    header = (
        front
        if front is not None
        else FRONT.format(
            title=title or name.replace("-", " ").title(), tags=tags, audience=audience, extra=extra
        )
    )
    path.write_text(header + body)
    return path


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    article(
        folder,
        "what-is-migraine",
        "A migraine is a headache with other signs.\n\n"
        "It can last 4 to 72 hours. See [the stages](migraine-stages.md).",
        tags="migraine, headache, basics",
    )
    article(
        folder,
        "migraine-stages",
        "Some people see an aura: zigzag lines or flashing lights.\n\n"
        "Then comes the attack, then the postdrome, when you feel tired.",
        tags="aura, stages, prodrome, postdrome",
    )
    article(
        folder,
        "sleep-and-migraine",
        "Going to bed at the same time helps some people.",
        tags="sleep, bedtime, tired",
    )
    article(
        folder,
        "for-clinicians",
        "Evidence summary for staff.",
        audience="clinician",
        tags="evidence",
    )
    return folder


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_library(folder)
    return [str(problem) for problem in raised.value.problems]  # fmt: skip


def test_a_library_loads_with_its_metadata(library: Path) -> None:
    articles = load_library(library)
    assert set(articles) == {
        "what-is-migraine",
        "migraine-stages",
        "sleep-and-migraine",
        "for-clinicians",
    }
    stages = articles["migraine-stages"]
    assert stages.tags == ("aura", "stages", "prodrome", "postdrome")
    assert stages.sources[0].author == "NHS"
    assert stages.sources[0].year == 2023
    assert stages.snippets == (
        "Some people see an aura: zigzag lines or flashing lights.\n\n"
        "Then comes the attack, then the postdrome, when you feel tired.",
    )


@pytest.mark.parametrize(
    ("name", "body", "keywords", "expected"),
    [
        ("no-front-matter", "Just text.", {"front": ""}, "line 1: must start with front matter"),
        (
            "no-source",
            "Text.",
            {"front": FRONT.split("sources:")[0] + "reviewed: 2026-11-25\n---\n"},
            "sources: this is required",
        ),
        ("bad-audience", "Text.", {"audience": "everyone"}, "line 5: audience"),
        ("odd-key", "Text.", {"extra": "colour: blue\n"}, "line 12: unknown key 'colour'"),
        ("bad-offer", "Text.", {"extra": "offer: sometimes\n"}, "line 12: offer"),
        ("has-heading", "## A heading\n\nText.", {}, "line 13: headings, tables and HTML"),
        ("long-sentence", "word " * 150 + "end.", {}, "cannot fit one snippet"),
        ("broken-link", "See [this](nowhere.md).", {}, "links to nowhere.md, which does not exist"),
        ("Bad_Name", "Text.", {}, "lower case words joined by hyphens"),
    ],
)
def test_each_defect_is_named_with_its_file_and_line(
    library: Path, name: str, body: str, keywords: dict, expected: str
) -> None:
    path = article(library, name, body, **keywords)
    found = problems(library)
    assert any(str(path) in p and expected in p for p in found), found


def test_two_articles_offered_on_one_occasion_are_refused(library: Path) -> None:
    article(library, "one", "Text.", extra="offer: high-pain\n")
    article(library, "two", "Text.", extra="offer: high-pain\n")
    assert any("offer: high-pain is already used by one.md" in p for p in problems(library))


def test_snippets_fit_one_message_and_never_cut_a_sentence() -> None:
    sentences = [f"Sentence number {n} says something useful about migraine." for n in range(60)]
    body = "\n\n".join(" ".join(sentences[k : k + 6]) for k in range(0, 60, 6))
    body += "\n\n" + " ".join(sentences * 1)  # one paragraph longer than a snippet
    snippets = split_snippets(body)
    assert all(len(snippet) <= SNIPPET_LIMIT for snippet in snippets)
    assert all(snippet.endswith(".") for snippet in snippets)
    assert " ".join(" ".join(snippets).split()) == " ".join(body.split())


def test_a_sentence_longer_than_a_snippet_cannot_be_split() -> None:
    with pytest.raises(SentenceTooLongError):
        split_snippets("a " * 400 + "end.")


def test_markup_escapes_html_and_keeps_the_little_markdown_articles_use() -> None:
    html = to_html(
        "**Bold** and *soft* <script> & [NHS](https://www.nhs.uk/a?b=1&c=2) [more](x.md)\n- one"
    )
    assert html == (
        "<b>Bold</b> and <i>soft</i> &lt;script&gt; &amp; "
        '<a href="https://www.nhs.uk/a?b=1&amp;c=2">NHS</a> <i>more</i>\n• one'
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("aura", "migraine-stages"),
        ("zigzag lines", "migraine-stages"),
        ("migrane", "what-is-migraine"),
        ("what is a migraine", "what-is-migraine"),
        ("slep", "sleep-and-migraine"),
        ("bedtimes", "sleep-and-migraine"),
    ],
)
def test_search_ranks_the_right_article_first_even_with_typos(
    library: Path, query: str, expected: str
) -> None:
    hits = ContentIndex(load_library(library).values()).search(query)
    assert hits
    assert hits[0].article.id == expected


def test_search_finds_nothing_for_unrelated_words_and_hides_clinician_articles(
    library: Path,
) -> None:
    index = ContentIndex(load_library(library).values())
    assert index.search("spaceship banana") == []
    assert index.search("evidence summary staff") == []


def test_offers_follow_the_checkin_and_the_first_session() -> None:
    assert occasion_after_checkin(mood=3, pain=9) == Occasion.LOW_MOOD
    assert occasion_after_checkin(mood=6, pain=7) == Occasion.HIGH_PAIN
    assert occasion_after_checkin(mood=4, pain=6) is None
    assert occasion_after_session(1, just_ended=True) == Occasion.FIRST_SESSION
    assert occasion_after_session(2, just_ended=True) is None
    assert occasion_after_session(1, just_ended=False) is None


def test_the_check_command_passes_on_the_shipped_library(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["content", "check"]) == 0
    out = capsys.readouterr().out
    assert out.count("ok  ") >= 14


def test_the_check_command_lists_every_problem_and_exits_non_zero(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article(library, "broken-link", "See [this](nowhere.md).")
    article(library, "has-heading", "# Title\n\nText.")
    assert main(["content", "check", str(library)]) == 1
    errors = capsys.readouterr().err
    assert "links to nowhere.md" in errors
    assert "headings, tables and HTML" in errors
    assert "2 problem(s) found; nothing was loaded." in errors


def test_the_bot_refuses_to_start_with_a_broken_article(settings, library: Path) -> None:
    from bot.app import build_application
    from bot.clock import ManualClock
    from bot.localbot import throwaway_token
    from bot.prompts import PromptsError
    from tests.conftest import START

    article(library, "broken-link", "See [this](nowhere.md).")
    broken = settings.model_copy(update={"content_dir": library})
    with pytest.raises(PromptsError, match=r"broken-link\.md, line \d+: links to nowhere\.md"):
        build_application(broken, ManualClock(START), token=throwaway_token())
