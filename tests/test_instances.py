"""Several copies of the bot on one database: each message once, one planner, one budget.

The copies here share one event loop and one emulator, so their ticks interleave at every
request to Telegram, as separate processes would (tests/test_killed_instance.py uses real
processes and SIGKILL).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import time, timedelta

from bot.delivery.dispatcher import CLINICIANS, FLOOD_WAIT, PLANNER
from bot.delivery.limiter import ReplyFirstRateLimiter
from bot.domain.planning import Kind, Status
from bot.emulator import FaultKind
from bot.localbot import LocalBot
from tests.instances import another_instance, seed_patients
from tests.journeys import join, texts

CHECKIN_AT = time(9, 30)  # the suite's clock starts at 09:00 UTC


def bot_messages_per_chat(bot: LocalBot, user_ids: list[int]) -> Counter[int]:
    return Counter({user_id: len(bot.emulator.bot_messages(user_id)) for user_id in user_ids})


async def plan_then_reach_checkin_time(bot: LocalBot, *dispatchers) -> None:
    """Every copy ticks at 09:00 (one of them plans) and a second before 09:30, as copies
    that tick every second would, so each knows how many share the work."""
    for moment in (bot.clock.now(), bot.clock.now().replace(minute=29, second=59)):
        bot.clock.set(moment)
        for dispatcher in (bot.dispatcher, *dispatchers):
            await dispatcher.tick(moment)
    bot.clock.set(bot.clock.now().replace(hour=9, minute=30, second=0))


async def test_two_instances_send_every_due_message_once_between_them(local_bot: LocalBot):
    patients = seed_patients(local_bot, 60, checkin_at=CHECKIN_AT)
    async with another_instance(local_bot, "second") as second:
        await plan_then_reach_checkin_time(local_bot, second)
        sent_by = Counter[str]()
        for _second in range(10):
            first_report, second_report = await asyncio.gather(
                local_bot.dispatcher.tick(local_bot.clock.now()),
                second.tick(local_bot.clock.now()),
            )
            # Two instances alive: each sends at most half of the 20 a second.
            assert first_report.sent <= 10
            assert second_report.sent <= 10
            sent_by["first"] += first_report.sent
            sent_by["second"] += second_report.sent
            local_bot.clock.advance(timedelta(seconds=1))
    counts = bot_messages_per_chat(local_bot, list(patients.values()))
    assert set(counts.values()) == {1}, counts.most_common(3)
    assert sent_by["first"] > 0
    assert sent_by["second"] > 0
    assert sent_by.total() == 60


async def test_only_one_instance_plans_and_tells_clinicians(local_bot: LocalBot):
    coordination = local_bot.store().coordination
    now = local_bot.clock.now()
    async with another_instance(local_bot, "second") as second:
        await local_bot.dispatcher.tick(now)
        await second.tick(now)
        for lease in (PLANNER, CLINICIANS):
            assert coordination.holder(lease, now) == local_bot.dispatcher.instance
        # The first copy stops ticking (it hangs, or its machine died): once its leases have
        # run out, the second takes the work over.
        local_bot.clock.advance(timedelta(seconds=30))
        await second.tick(local_bot.clock.now())
        assert coordination.holder(PLANNER, local_bot.clock.now()) == local_bot.dispatcher.instance
        local_bot.clock.advance(timedelta(seconds=31))
        await second.tick(local_bot.clock.now())
        assert coordination.holder(PLANNER, local_bot.clock.now()) == "second"
        assert coordination.holder(CLINICIANS, local_bot.clock.now()) == "second"


async def test_a_clean_stop_hands_the_work_over_at_once(local_bot: LocalBot):
    coordination = local_bot.store().coordination
    now = local_bot.clock.now()
    async with another_instance(local_bot, "second") as second:
        await second.tick(now)
    assert coordination.holder(PLANNER, now) is None
    await local_bot.tick()
    assert coordination.holder(PLANNER, now) == local_bot.dispatcher.instance


async def test_claims_of_an_instance_that_died_are_taken_over_when_the_lease_runs_out(
    local_bot: LocalBot,
):
    patients = seed_patients(local_bot, 1, checkin_at=CHECKIN_AT)
    ((patient_id, user_id),) = patients.items()
    await plan_then_reach_checkin_time(local_bot)
    outbox = local_bot.store().outbox
    row = next(r for r in outbox.for_patient(patient_id) if r.kind == Kind.CHECKIN)
    now = local_bot.clock.now()
    # Another instance claimed the check-in and died before recording what happened.
    claimed = outbox.claim_due(now, 10, "died", timedelta(seconds=60))
    assert [(r.id, r.status, r.claimed_by) for r in claimed] == [(row.id, Status.SENDING, "died")]
    local_bot.clock.advance(timedelta(seconds=59))
    report = await local_bot.tick()
    assert (report.taken_over, report.sent) == (0, 0)
    local_bot.clock.advance(timedelta(seconds=1))
    report = await local_bot.tick()
    assert (report.taken_over, report.sent) == (1, 1)
    assert len(local_bot.emulator.bot_messages(user_id)) == 1
    assert outbox.get(row.id or 0).status == Status.SENT  # type: ignore[union-attr]


async def test_a_restarted_instance_releases_its_own_claims_at_once(local_bot: LocalBot):
    patients = seed_patients(local_bot, 1, checkin_at=CHECKIN_AT)
    ((patient_id, _user_id),) = patients.items()
    await plan_then_reach_checkin_time(local_bot)
    outbox = local_bot.store().outbox
    row = next(r for r in outbox.for_patient(patient_id) if r.kind == Kind.CHECKIN)
    lease, now = timedelta(seconds=60), local_bot.clock.now()
    assert [claimed.id for claimed in outbox.claim_due(now, 10, "someone-else", lease)] == [row.id]
    await local_bot.restart()
    assert local_bot.dispatcher.released_after_restart == 0  # not its claim: it waits
    outbox.unclaim(row.id or 0)
    assert len(outbox.claim_due(now, 10, local_bot.dispatcher.instance, lease)) == 1
    await local_bot.restart()
    assert local_bot.dispatcher.released_after_restart == 1


async def test_a_429_pauses_scheduled_sending_everywhere_but_never_replies(local_bot: LocalBot):
    patients = seed_patients(local_bot, 10, checkin_at=CHECKIN_AT)
    ana = local_bot.person(111, "Ana")
    await join(ana)
    async with another_instance(local_bot, "second") as second:
        await plan_then_reach_checkin_time(local_bot, second)
        local_bot.emulator.inject_fault("sendMessage", FaultKind.RATE_LIMIT, retry_after=30)
        report = await local_bot.tick()
        assert (report.retried, report.sent) == (1, 0)
        local_bot.clock.advance(timedelta(seconds=1))
        report = await second.tick(local_bot.clock.now())
        assert report.sent == 0
        assert report.held_until == local_bot.store().coordination.held_until(
            FLOOD_WAIT, local_bot.clock.now()
        )
        # A patient in crisis meanwhile is answered at once, by whichever copy has the update.
        assert "988" in texts(await ana.says("i want to end it all"))
        local_bot.clock.advance(timedelta(seconds=29))
        report = await second.tick(local_bot.clock.now())
        assert report.held_until is None
        assert report.sent == 10
    counts = bot_messages_per_chat(local_bot, list(patients.values()))
    assert set(counts.values()) == {1}


async def test_each_instance_takes_an_equal_share_of_telegrams_limit(local_bot: LocalBot):
    limiter = local_bot.application.bot.rate_limiter  # type: ignore[union-attr]
    assert isinstance(limiter, ReplyFirstRateLimiter)
    await local_bot.tick()
    assert limiter.per_second == 30
    async with (
        another_instance(local_bot, "second") as second,
        another_instance(local_bot, "third") as third,
    ):
        for dispatcher in (second, third):
            await dispatcher.tick(local_bot.clock.now())
        await local_bot.tick()
        assert limiter.per_second == 10
    # Once the others have stopped ticking for a while, the whole limit is this copy's again.
    local_bot.clock.advance(timedelta(minutes=1))
    await local_bot.tick()
    assert limiter.per_second == 30


async def test_a_claim_never_takes_more_rows_than_asked_for(local_bot: LocalBot):
    # PostgreSQL may run an ``IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)`` subquery twice
    # in one UPDATE; the second run skips the rows the first locked and claims n more.
    patients = seed_patients(local_bot, 120, checkin_at=CHECKIN_AT)
    await plan_then_reach_checkin_time(local_bot)
    outbox = local_bot.store().outbox
    claimed: list[int] = []
    for limit in (1, 7, 20, 50, 50):
        batch = outbox.claim_due(local_bot.clock.now(), limit, "vm", timedelta(minutes=1))
        assert len(batch) == min(limit, len(patients) - len(claimed))
        claimed.extend(row.id for row in batch if row.id is not None)
    assert len(claimed) == len(set(claimed)) == len(patients)
