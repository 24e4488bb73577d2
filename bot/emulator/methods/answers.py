"""Answers to user queries: answerCallbackQuery and answerInlineQuery."""

from __future__ import annotations

from typing import Any

from bot.emulator import limits
from bot.emulator.errors import bad_request
from bot.emulator.state import EmulatorState
from bot.emulator.text import utf16_len

MAX_INLINE_RESULTS = 50


async def answer_callback_query(state: EmulatorState, params: dict[str, Any]) -> bool:
    """answerCallbackQuery: once per query, within 15 s; the answer is shown to the user."""
    text = params.get("text")
    if text is not None and utf16_len(text) > limits.MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")
    show_alert = bool(params.get("show_alert"))
    answer = {"text": text, "show_alert": show_alert, "url": params.get("url")}
    query = state.queries.answer(params["callback_query_id"], "callback_query", state.now(), answer)
    chat = state.chats.get(query.chat_id) if query.chat_id is not None else None
    message = chat.messages.get(query.message_id) if chat and query.message_id else None
    state.publish(
        "callback_answer", query.chat_id, message=message, text=text, show_alert=show_alert
    )
    return True


async def answer_inline_query(state: EmulatorState, params: dict[str, Any]) -> bool:
    """answerInlineQuery: the results are stored on the query for inspection."""
    results = params["results"]
    if not all(isinstance(r, dict) and "type" in r and "id" in r for r in results):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    answer = {key: value for key, value in params.items() if key != "inline_query_id"}
    state.queries.answer(params["inline_query_id"], "inline_query", state.now(), answer)
    return True


HANDLERS = {
    "answerCallbackQuery": answer_callback_query,
    "answerInlineQuery": answer_inline_query,
}
