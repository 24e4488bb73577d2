"""Callback and inline queries awaiting the bot's answer.

Telegram accepts exactly one answer per query and only for a short while (the client stops
waiting after about 15 seconds); both rules are enforced because bots that answer late or twice
get real 400s in production.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Literal

from bot.emulator import limits
from bot.emulator.errors import ApiError, bad_request

QueryKind = Literal["callback_query", "inline_query"]


@dataclass
class PendingQuery:
    """A query a user created, with the answer once the bot gives it."""

    query_id: str
    kind: QueryKind
    user_id: int
    created_at: float
    chat_id: int | None = None
    message_id: int | None = None
    answer: dict[str, Any] | None = None


def query_expired() -> ApiError:
    """Telegram's answer for an unknown, expired or already answered query."""
    return bad_request("query is too old and response timeout expired or query ID is invalid")


class QueryRegistry:
    """All queries by id."""

    def __init__(self) -> None:
        self._queries: dict[str, PendingQuery] = {}

    def new(
        self,
        kind: QueryKind,
        user_id: int,
        created_at: float,
        chat_id: int | None = None,
        message_id: int | None = None,
    ) -> PendingQuery:
        """Register a query with a fresh id that looks like Telegram's (a long number)."""
        query_id = str(secrets.randbits(62))
        query = PendingQuery(query_id, kind, user_id, created_at, chat_id, message_id)
        self._queries[query_id] = query
        return query

    def get(self, query_id: str) -> PendingQuery | None:
        """The query with this id, answered or not."""
        return self._queries.get(query_id)

    def answer(
        self, query_id: str, kind: QueryKind, now: float, answer: dict[str, Any]
    ) -> PendingQuery:
        """Record the single allowed answer, or raise Telegram's "query is too old" 400."""
        query = self._queries.get(query_id)
        if (
            query is None
            or query.kind != kind
            or query.answer is not None
            or now - query.created_at > limits.CALLBACK_QUERY_LIFETIME
        ):
            raise query_expired()
        query.answer = answer
        return query
