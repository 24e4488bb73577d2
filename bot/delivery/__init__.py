"""Delivery: the outbox dispatcher and the rate limiter that keeps replies first."""

from bot.delivery.dispatcher import Dispatcher, TickReport
from bot.delivery.limiter import ReplyFirstRateLimiter

__all__ = ["Dispatcher", "ReplyFirstRateLimiter", "TickReport"]
