"""The HTTP surface: binding, tokens, routing, request encodings, the call log."""

from __future__ import annotations

import json
import socket
from typing import TYPE_CHECKING

import pytest
from telegram import Bot
from telegram.error import InvalidToken, NetworkError

from bot.emulator import BotApiEmulator, methods

if TYPE_CHECKING:
    from conftest import BotFactory, RawApi


async def test_binds_only_to_loopback(emu: BotApiEmulator) -> None:
    host, port = emu.bound_address
    assert host == "127.0.0.1"
    assert port == emu.port > 0
    assert emu.base_url == f"http://127.0.0.1:{port}/bot"
    assert emu.base_file_url == f"http://127.0.0.1:{port}/file/bot"
    with socket.create_connection(("127.0.0.1", emu.port), timeout=1):
        pass


async def test_start_is_idempotent_and_stop_frees_the_port() -> None:
    emu = BotApiEmulator()
    await emu.start()
    port = emu.port
    await emu.start()
    assert emu.port == port
    await emu.stop()
    await emu.stop()
    assert not emu.running
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


async def test_get_me_over_raw_http(http: RawApi) -> None:
    response = await http.post("getMe")
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "result": {
            "id": 7000001,
            "is_bot": True,
            "first_name": "Care Bot",
            "username": "carebot_local_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        },
    }


async def test_get_me_through_ptb(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (
        7000001,
        "carebot_local_bot",
        "Care Bot",
        True,
    )


@pytest.mark.parametrize("bad_token", ["nonsense", "123:short", "abc:" + "x" * 35, ""])
async def test_malformed_token_is_unauthorized(http: RawApi, bad_token: str) -> None:
    response = await http.post("getMe", token=bad_token)
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_accepted_token_restricts_to_one(
    emu: BotApiEmulator, make_bot: BotFactory, token: str
) -> None:
    emu.accepted_token = token
    with pytest.raises(InvalidToken):
        async with make_bot("7000001:" + "Z" * 35):
            pass
    async with make_bot(token) as bot:
        assert (await bot.get_me()).id == 7000001
    # initialize() calls getMe, then the explicit call: one refusal, two successes.
    assert [call.error_code for call in emu.calls_to("getMe")] == [401, None, None]


async def test_unknown_method_is_404(http: RawApi) -> None:
    response = await http.post("sendTelepathy")
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }


async def test_real_but_unimplemented_method_says_so(bot: Bot, ana: int) -> None:
    with pytest.raises(NetworkError, match="does not implement sendPoll"):
        await bot.send_poll(ana, "Q?", ["a", "b"])


async def test_method_names_are_case_insensitive(http: RawApi, emu: BotApiEmulator) -> None:
    response = await http.get("GETME")
    assert response.json()["ok"] is True
    assert emu.calls[-1].method == "getMe"


async def test_accepts_json_form_and_query_parameters(
    http: RawApi, emu: BotApiEmulator, ana: int
) -> None:
    as_json = await http.call("sendMessage", chat_id=ana, text="json")
    as_form = await http.post("sendMessage", data={"chat_id": str(ana), "text": "42"})
    as_query = await http.get("sendMessage", params={"chat_id": ana, "text": "query"})
    assert [r.json()["result"]["text"] for r in (as_json, as_form, as_query)] == [
        "json",
        "42",
        "query",
    ]
    # "42" stays a string: decoding follows each parameter's declared type, not its look.
    assert emu.calls_to("sendMessage")[1].params == {"chat_id": ana, "text": "42"}


async def test_malformed_json_body_is_bad_request(http: RawApi) -> None:
    response = await http.post(
        "sendMessage", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["description"].startswith("Bad Request: can't parse JSON")


async def test_wrongly_typed_integer_is_bad_request(http: RawApi, ana: int) -> None:
    response = await http.call("deleteMessage", chat_id=ana, message_id="first")
    assert response.status_code == 400
    assert "message_id" in response.json()["description"]


async def test_every_call_is_recorded_with_its_outcome(
    http: RawApi, emu: BotApiEmulator, ana: int
) -> None:
    emu.now = lambda: 1_700_000_000.0
    await http.call("sendMessage", chat_id=ana, text="hi")
    await http.call("sendMessage", chat_id=999, text="hi")
    ok, failed = emu.calls_to("sendMessage")
    assert (ok.ok, ok.error_code, ok.description, ok.pending) == (True, None, None, False)
    assert ok.result["text"] == "hi"
    assert ok.at == 1_700_000_000.0
    assert (failed.ok, failed.error_code, failed.description) == (
        False,
        400,
        "Bad Request: chat not found",
    )


async def test_reply_markup_sent_as_form_json_is_decoded(
    http: RawApi, emu: BotApiEmulator, ana: int
) -> None:
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    response = await http.post(
        "sendMessage",
        data={"chat_id": str(ana), "text": "pick", "reply_markup": json.dumps(markup)},
    )
    assert response.json()["result"]["reply_markup"] == markup
    assert emu.calls_to("sendMessage")[-1].params["reply_markup"] == markup


async def test_unparsable_reply_markup_is_rejected(http: RawApi, ana: int) -> None:
    response = await http.post(
        "sendMessage", data={"chat_id": str(ana), "text": "x", "reply_markup": "{not json"}
    )
    assert response.status_code == 400
    assert response.json()["description"] == (
        "Bad Request: can't parse reply keyboard markup JSON object"
    )


async def test_profile_settings_are_stored(bot: Bot, emu: BotApiEmulator) -> None:
    assert await bot.set_my_description("Helps between sessions")
    assert await bot.set_my_short_description("Care companion", language_code="pt")
    assert emu.settings["setMyDescription"]["description"] == "Helps between sessions"
    assert emu.settings["setMyShortDescription:pt"]["short_description"] == "Care companion"


async def test_an_emulator_bug_is_a_json_500_naming_itself(
    http: RawApi, emu: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(state: object, params: object) -> object:
        raise ZeroDivisionError("oops")

    monkeypatch.setitem(methods.HANDLERS, "getMe", broken)
    response = await http.post("getMe")
    assert response.status_code == 500
    assert "emulator bug: ZeroDivisionError('oops')" in response.json()["description"]
    assert emu.calls[-1].error_code == 500


async def test_a_fixed_port_can_be_reused_after_a_restart() -> None:
    emu = BotApiEmulator()
    await emu.start()
    port = emu.port
    await emu.stop()
    await emu.start(port=port)
    try:
        assert emu.bound_address == ("127.0.0.1", port)
    finally:
        await emu.stop()
