"""Turning raw request values into typed method parameters, the way the Bot API does.

Over form encoding every value arrives as a string; python-telegram-bot JSON-encodes non-string
values (``chat_id=123``, ``reply_markup={...}``) but sends strings raw, so the text ``"123"`` and
the integer ``123`` look identical on the wire. Only the parameter's declared type (from
``spec.py``) says how to read it, so decoding is driven by the spec rather than by guessing.
"""

from __future__ import annotations

import json
from typing import Any

from bot.emulator.errors import ApiError, bad_request
from bot.emulator.models import UploadedFile
from bot.emulator.spec import METHOD_PARAMS, Param

_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})
_SCALARS = frozenset({"Integer", "Float", "Boolean", "String", "InputFile"})

# Telegram's wording for the two absent-value cases most bots hit.
_MISSING_WORDING = {"text": "message text is empty"}
_MISSING_FILE_WORDING = "there is no {name} in the request"


def decode_params(
    method: str, raw: dict[str, Any], files: dict[str, UploadedFile]
) -> dict[str, Any]:
    """Typed parameters for ``method``; unknown parameters are kept as received.

    ``files`` are multipart file parts by part name; a parameter may use one either directly
    (part named like the parameter) or via ``attach://<part name>``.
    """
    spec = METHOD_PARAMS.get(method, {})
    decoded: dict[str, Any] = {}
    for name, value in raw.items():
        param = spec.get(name)
        decoded[name] = value if param is None else _coerce(name, value, param, files)
    for name, param in spec.items():
        if name not in decoded and name in files and "InputFile" in param.types:
            decoded[name] = files[name]
    return decoded


def check_required(method: str, params: dict[str, Any]) -> None:
    """400 naming the first required parameter that is missing, in spec order."""
    for name, param in METHOD_PARAMS.get(method, {}).items():
        if param.required and params.get(name) in (None, ""):
            raise missing(name, param)


def missing(name: str, param: Param | None = None) -> ApiError:
    """Telegram's "... is empty" style error for an absent parameter."""
    if param is not None and "InputFile" in param.types:
        return bad_request(_MISSING_FILE_WORDING.format(name=name))
    return bad_request(_MISSING_WORDING.get(name, f"{name} is empty"))


def _coerce(name: str, value: Any, param: Param, files: dict[str, UploadedFile]) -> Any:
    if value is None or isinstance(value, UploadedFile):
        return value
    if "InputFile" in param.types and isinstance(value, str) and value.startswith("attach://"):
        part = files.get(value.removeprefix("attach://"))
        if part is None:
            raise bad_request(f"file {value} not found in the request")
        return part
    for type_name in param.types:
        converted = _convert(value, type_name)
        if converted is not _FAILED:
            return converted
    if not set(param.types) & _SCALARS:
        if name == "reply_markup":
            raise bad_request("can't parse reply keyboard markup JSON object")
        raise bad_request(f"can't parse {name} JSON object")
    expected = " or ".join(param.types)
    raise bad_request(f'parameter "{name}" must be of type {expected}')


_FAILED = object()


def _convert(value: Any, type_name: str) -> Any:
    """Convert to one Bot API type, or return ``_FAILED``."""
    if type_name == "Integer":
        return _to_int(value)
    if type_name == "Float":
        try:
            return float(value) if not isinstance(value, bool) else _FAILED
        except (TypeError, ValueError):
            return _FAILED
    if type_name == "Boolean":
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else _FAILED
    if type_name in ("String", "InputFile"):
        if isinstance(value, str):
            return value
        return str(value) if isinstance(value, int | float) and type_name == "String" else _FAILED
    # Objects and arrays: already decoded in a JSON body, JSON-encoded text in a form.
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return _FAILED
    wants_array = type_name.startswith("Array of")
    return value if isinstance(value, list if wants_array else dict) else _FAILED


def _to_int(value: Any) -> Any:
    if isinstance(value, bool):
        return _FAILED
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return _FAILED
