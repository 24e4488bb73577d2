"""Getting updates: getUpdates (long polling) and the webhook methods.

getUpdates answers 409 while any webhook is set. A webhook on this machine (127.0.0.1, ::1,
localhost; plain http allowed there) is pushed every update (see ``webhook.py``); any other URL is
only *recorded*, and its updates keep queueing (visible as ``pending_update_count``).
"""

from __future__ import annotations

from typing import Any

from bot.emulator import limits
from bot.emulator.errors import bad_request, conflict
from bot.emulator.state import EmulatorState
from bot.emulator.webhook import is_loopback_url


async def get_updates(state: EmulatorState, params: dict[str, Any]) -> list[dict[str, Any]]:
    """getUpdates with offset/limit/timeout/allowed_updates."""
    if state.webhook.url:
        raise conflict(
            "can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first"
        )
    limit = params.get("limit") or limits.MAX_UPDATES_LIMIT
    limit = min(max(limit, 1), limits.MAX_UPDATES_LIMIT)
    allowed = params.get("allowed_updates")
    if allowed is not None:
        if not all(isinstance(kind, str) for kind in allowed):
            raise bad_request("can't parse allowed_updates JSON object")
        state.updates.set_allowed(allowed)
    timeout = max(params.get("timeout") or 0, 0)
    return await state.updates.poll(params.get("offset") or 0, limit, timeout)


async def set_webhook(state: EmulatorState, params: dict[str, Any]) -> bool:
    """setWebhook: an empty url removes the webhook, like Telegram."""
    url = params.get("url") or ""
    plain_http_here = url.lower().startswith("http://") and is_loopback_url(url)
    if url and not (url.lower().startswith("https://") or plain_http_here):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if params.get("drop_pending_updates"):
        state.updates.drop_pending()
    if url != state.webhook.url:
        state.webhook.last_error_date = state.webhook.last_error_message = None
    state.webhook.url = url
    state.webhook.secret_token = params.get("secret_token")
    state.webhook.max_connections = params.get("max_connections") or 40
    allowed = params.get("allowed_updates")
    if allowed is not None:
        state.webhook.allowed_updates = list(allowed)
        state.updates.set_allowed(allowed)
    state.pusher.follow()
    return True


async def delete_webhook(state: EmulatorState, params: dict[str, Any]) -> bool:
    """deleteWebhook, optionally dropping pending updates."""
    if params.get("drop_pending_updates"):
        state.updates.drop_pending()
    state.webhook.url = ""
    state.webhook.secret_token = None
    state.pusher.follow()
    return True


async def get_webhook_info(state: EmulatorState, params: dict[str, Any]) -> dict[str, Any]:
    """getWebhookInfo."""
    info: dict[str, Any] = {
        "url": state.webhook.url,
        "has_custom_certificate": False,
        "pending_update_count": state.updates.pending_count,
    }
    if state.webhook.url:
        info["max_connections"] = state.webhook.max_connections
        if state.webhook.allowed_updates:
            info["allowed_updates"] = state.webhook.allowed_updates
        if state.webhook.last_error_date is not None:
            info["last_error_date"] = state.webhook.last_error_date
            info["last_error_message"] = state.webhook.last_error_message
    return info


HANDLERS = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
