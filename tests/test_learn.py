"""/learn through the real bot: the topic menu, search, pages, sources, inline queries, offers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.app import services_of
from bot.clock import ManualClock
from bot.localbot import LocalBot
from tests.journeys import check_in, join, texts
from tests.scheduling_journeys import finish_session_now, set_local_time


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 6, 1, 8, 0, tzinfo=UTC))


async def test_learn_without_words_shows_every_patient_topic(local_bot: LocalBot, ana) -> None:
    replies = await ana.says("/learn")
    menu = replies[-1]
    assert "Short reads" in menu.text
    library = services_of(local_bot.application).library
    assert [b.text for b in menu.flat_buttons] == [a.title for a in library.for_patients()]
    assert len(menu.flat_buttons) >= 14
    page = texts(await ana.presses(0))
    assert "(1 of " in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("aura", "migraine-stages"),
        ("migrane", "what-is-migraine"),
        ("what triggers migraines", "migraine-triggers"),
        ("trigger diary", "migraine-triggers"),
        ("blood pressure", "how-ketamine-works"),
        ("ketamine study 61 patients", "ketamine-headache-research"),
        ("driving after my dose", "session-day-safety"),
        ("journaling", "integration-practices"),
        ("coffee", "caffeine-and-alcohol"),
        ("sleep", "sleep-and-migraine"),
        ("work and school", "migraine-everyday-life"),
        ("emergency", "urgent-help"),
    ],
)
async def test_learn_with_words_answers_with_the_best_snippet(
    local_bot: LocalBot, ana, query: str, expected: str
) -> None:
    library = services_of(local_bot.application).library
    assert library.search(query)[0].article.id == expected
    reply = (await ana.says(f"/learn {query}"))[-1]
    assert library.articles[expected].title in reply.text


async def test_pages_turn_in_place_and_sources_and_more_follow(local_bot: LocalBot, ana) -> None:
    library = services_of(local_bot.application).library
    article = next(a for a in library.for_patients() if a.pages >= 2)
    await ana.says(f"/learn {article.title}")
    first = ana.latest_with_buttons()
    assert f"(1 of {article.pages})" in first.text
    labels = [b.text for b in first.flat_buttons]
    assert "◀ Previous" not in labels
    assert "Next ▶" in labels
    await ana.presses("Next ▶")
    turned = local_bot.emulator.message(ana.user_id, first.message_id)
    assert f"(2 of {article.pages})" in turned.text  # the same message, edited
    assert "◀ Previous" in [b.text for b in turned.flat_buttons]
    sources = texts(await ana.presses("Sources", turned))
    assert article.sources[0].title in sources
    assert str(article.sources[0].year) in sources
    more = texts(await ana.presses("More on this topic", turned))
    assert "(1 of " in more
    assert article.title not in more.split("\n")[0]


async def test_no_match_says_so_and_offers_the_menu(local_bot: LocalBot, ana) -> None:
    replies = await ana.says("/learn spaceship banana")
    assert "couldn't find anything about" in replies[-1].text
    assert len(replies[-1].flat_buttons) >= 14


async def test_an_article_removed_since_is_explained_on_its_old_buttons(
    local_bot: LocalBot, ana
) -> None:
    await ana.says("/learn aura")
    message = ana.latest_with_buttons()
    services_of(local_bot.application).library.articles.pop("migraine-stages")
    await ana.presses("Sources", message)
    answer = local_bot.emulator.calls_to("answerCallbackQuery")[-1]
    assert "no longer in the library" in str(answer.params)


async def test_inline_queries_return_shareable_snippets(local_bot: LocalBot, ana) -> None:
    answer = await local_bot.inline_query(ana.user_id, "aura")
    assert answer is not None
    first = answer["results"][0]
    assert first["id"].startswith("migraine-stages")
    assert "aura" in first["input_message_content"]["message_text"].lower()


async def test_a_hard_checkin_offers_one_article_without_pushing_it(
    local_bot: LocalBot, ana
) -> None:
    await join(ana)
    reply = await check_in(ana, mood=6, pain=8)
    assert "high-pain day" in reply
    assert "Read it" in [b.text for b in ana.latest_with_buttons().flat_buttons]
    page = texts(await ana.presses("Read it"))
    assert "(1 of " in page
    reply = await check_in(ana, mood=2, pain=2)
    assert "Thank you for telling me how you feel" in reply
    reply = await check_in(ana, mood=6, pain=3)
    assert "short read" not in reply


async def test_the_first_session_offers_what_to_expect(local_bot: LocalBot, ana) -> None:
    await join(ana)
    set_local_time(local_bot, date(2026, 6, 1), time(12, 0), "Europe/London")
    first = await finish_session_now(ana)
    library = services_of(local_bot.application).library
    assert library.articles["after-a-session"].title in first
    local_bot.clock.advance(__import__("datetime").timedelta(days=3))
    assert "short read" not in await finish_session_now(ana)
