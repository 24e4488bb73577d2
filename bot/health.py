"""Is this instance able to do its job? The database answers, and the dispatcher is ticking.

Plain functions with no HTTP in them, so the webhook's ``/healthz`` and anything else (a command,
a test) judge health the same way. The report names no patient and holds no data about anyone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from bot.delivery import Dispatcher
from bot.services import Services

log = logging.getLogger(__name__)

# A dispatcher that ticks every second is stalled after 30 s without a tick; a slower one is
# given five of its own intervals, so one slow tick (a burst of sends) is not an alarm.
MIN_TICK_GRACE = timedelta(seconds=30)
TICKS_OF_GRACE = 5


@dataclass(frozen=True)
class HealthReport:
    database_ok: bool
    dispatcher_ok: bool
    seconds_since_last_tick: float | None  # None: the dispatcher has not finished a tick yet
    tick_grace_seconds: float

    @property
    def healthy(self) -> bool:
        return self.database_ok and self.dispatcher_ok

    def as_json(self) -> dict[str, Any]:
        """What ``/healthz`` answers: states and durations, nothing about anyone."""
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "database": {"ok": self.database_ok},
            "dispatcher": {
                "ok": self.dispatcher_ok,
                "seconds_since_last_tick": self.seconds_since_last_tick,
                "allowed_seconds": self.tick_grace_seconds,
            },
        }


def check_health(services: Services, dispatcher: Dispatcher) -> HealthReport:
    """Probe the database and judge the dispatcher by the services' own clock."""
    return assess(
        database_is_reachable(services.store.engine),
        dispatcher.last_tick_at,
        services.clock.now(),
        services.settings.dispatch_interval_seconds,
    )


def assess(
    database_ok: bool,
    last_tick_at: datetime | None,
    now: datetime,
    dispatch_interval_seconds: float,
) -> HealthReport:
    """The dispatcher is alive if a tick finished within the grace period before ``now``."""
    grace = tick_grace(dispatch_interval_seconds)
    since = None if last_tick_at is None else max(now - last_tick_at, timedelta(0))
    return HealthReport(
        database_ok=database_ok,
        dispatcher_ok=since is not None and since <= grace,
        seconds_since_last_tick=None if since is None else since.total_seconds(),
        tick_grace_seconds=grace.total_seconds(),
    )


def tick_grace(dispatch_interval_seconds: float) -> timedelta:
    return max(MIN_TICK_GRACE, TICKS_OF_GRACE * timedelta(seconds=dispatch_interval_seconds))


def database_is_reachable(engine: Engine) -> bool:
    """A trivial query through the bot's own engine (and so its pool and settings)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        # The error text can hold the connection URL (with a password): log only its kind.
        log.warning("health check: the database did not answer (%s)", type(error).__name__)
        return False
    return True
