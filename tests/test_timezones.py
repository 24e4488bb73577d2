from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.timezones import ZoneChoice, local_date, local_now, resolve_zone, zone_info


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  America/New_York ", "America/New_York"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("Los Angeles", "America/Los_Angeles"),
        ("Chicago, USA", "America/Chicago"),
        ("Boston", "America/New_York"),
        ("Munich", "Europe/Berlin"),
        ("EST", "America/New_York"),
        ("pst", "America/Los_Angeles"),
        ("UTC", "UTC"),
        ("Tokyo", "Asia/Tokyo"),
    ],
)
def test_names_and_cities_resolve_to_zones_that_follow_daylight_saving(typed: str, zone: str):
    assert resolve_zone(typed) == ZoneChoice(zone, fixed_offset=False)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("UTC+2", "UTC+02:00"),
        ("+02:00", "UTC+02:00"),
        ("GMT-5", "UTC-05:00"),
        ("utc+5:30", "UTC+05:30"),
        ("-12", "UTC-12:00"),
        ("+14", "UTC+14:00"),
    ],
)
def test_offsets_are_accepted_but_marked_as_fixed(typed: str, name: str):
    assert resolve_zone(typed) == ZoneChoice(name, fixed_offset=True)


@pytest.mark.parametrize("typed", ["", "Berln", "Atlantis", "+15", "UTC-13", "+5:75", "12345"])
def test_unknown_zones_are_not_guessed(typed: str):
    assert resolve_zone(typed) is None


def test_fixed_offsets_have_the_right_sign():
    assert zone_info("UTC-03:00").utcoffset(None) == timedelta(hours=-3)
    assert zone_info("UTC+05:30").utcoffset(None) == timedelta(hours=5, minutes=30)


def test_local_time_follows_daylight_saving_changes():
    before = datetime(2026, 3, 28, 12, tzinfo=UTC)  # Berlin still on CET (UTC+1)
    after = datetime(2026, 3, 30, 12, tzinfo=UTC)  # Berlin on CEST (UTC+2)
    assert local_now(before, "Europe/Berlin").hour == 13
    assert local_now(after, "Europe/Berlin").hour == 14
    assert local_now(after, "UTC+01:00").hour == 13


def test_local_date_differs_from_the_utc_date_near_midnight():
    late_evening_in_los_angeles = datetime(2026, 6, 2, 5, 30, tzinfo=UTC)
    assert local_date(late_evening_in_los_angeles, "America/Los_Angeles") == date(2026, 6, 1)
    assert local_date(late_evening_in_los_angeles, "Asia/Tokyo") == date(2026, 6, 2)
