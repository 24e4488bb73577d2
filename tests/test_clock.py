from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.clock import ManualClock, SystemClock


def test_system_clock_tells_aware_utc_time():
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert abs(datetime.now(UTC) - now) < timedelta(seconds=5)


def test_manual_clock_moves_only_when_told():
    clock = ManualClock(datetime(2026, 1, 1, 12, tzinfo=UTC))
    assert clock.now() == datetime(2026, 1, 1, 12, tzinfo=UTC)
    clock.advance(timedelta(hours=2))
    assert clock.now() == datetime(2026, 1, 1, 14, tzinfo=UTC)
    clock.set(datetime(2026, 1, 2, 9, tzinfo=timezone(timedelta(hours=1))))
    assert clock.now() == datetime(2026, 1, 2, 8, tzinfo=UTC)


def test_manual_clock_refuses_to_go_back_or_take_naive_times():
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="forward"):
        clock.advance(timedelta(seconds=-1))
    with pytest.raises(ValueError, match="time zone"):
        ManualClock(datetime(2026, 1, 1))
