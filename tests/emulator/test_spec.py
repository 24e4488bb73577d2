"""The generated spec table matches the implemented methods (and api.json, where available)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.emulator.spec as spec_module
from bot.emulator import specgen
from bot.emulator.methods import HANDLERS, canonical_method
from bot.emulator.spec import ALL_METHODS, METHOD_PARAMS

API_JSON = Path("/work/shared/botapi-spec/api.json")


def test_every_implemented_method_has_spec_facts() -> None:
    assert set(HANDLERS) == set(METHOD_PARAMS)
    assert set(HANDLERS) <= ALL_METHODS
    assert METHOD_PARAMS["sendMessage"]["chat_id"].required
    assert METHOD_PARAMS["sendMessage"]["text"].types == ("String",)


def test_canonical_method_names() -> None:
    assert canonical_method("sendmessage") == "sendMessage"
    assert canonical_method("SENDPOLL") == "sendPoll"
    assert canonical_method("sendTelepathy") is None


@pytest.mark.skipif(not API_JSON.exists(), reason="the shared Bot API spec is not available")
def test_spec_module_is_up_to_date() -> None:
    import json

    rendered = specgen.render(json.loads(API_JSON.read_text(encoding="utf-8")))
    assert rendered == Path(spec_module.__file__).read_text(encoding="utf-8")
