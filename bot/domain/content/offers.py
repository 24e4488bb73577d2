"""When an article is offered: after a hard check-in, and after a patient's first session."""

from __future__ import annotations

from bot.domain.content.model import Occasion

HIGH_PAIN = 7  # a pain score of at least this
LOW_MOOD = 3  # a mood score of at most this


def occasion_after_checkin(mood: int, pain: int) -> Occasion | None:
    """Low mood comes first: it is the more important of the two to respond to."""
    if mood <= LOW_MOOD:
        return Occasion.LOW_MOOD
    if pain >= HIGH_PAIN:
        return Occasion.HIGH_PAIN
    return None


def occasion_after_session(session_number: int, just_ended: bool) -> Occasion | None:
    return Occasion.FIRST_SESSION if session_number == 1 and just_ended else None
