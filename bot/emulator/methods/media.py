"""Files: sendPhoto, sendDocument (upload or earlier file_id) and getFile.

The emulator never fetches URLs (it makes no outbound connections), so a photo or document given
as an HTTP URL is refused with the error Telegram gives when it cannot fetch one.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from bot.emulator import limits
from bot.emulator.errors import bad_request
from bot.emulator.files import FileKind, StoredFile, image_size
from bot.emulator.formatting import CAPTION
from bot.emulator.markup import parse_reply_markup
from bot.emulator.methods.messages import deliver, formatted
from bot.emulator.models import UploadedFile
from bot.emulator.state import EmulatorState


def stored_file(state: EmulatorState, value: Any, kind: FileKind) -> StoredFile:
    """The file a ``photo``/``document`` parameter refers to, storing uploads on the way."""
    if isinstance(value, UploadedFile):
        return _store_upload(state, value, kind)
    if not isinstance(value, str):
        raise bad_request("wrong file identifier/HTTP URL specified")
    existing = state.files.by_id(value)
    if existing is None:
        if value.lower().startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        raise bad_request("wrong file identifier/HTTP URL specified")
    if existing.kind != kind:
        raise bad_request(f"can't use file of type {existing.kind.title()} as {kind.title()}")
    return existing


def _store_upload(state: EmulatorState, upload: UploadedFile, kind: FileKind) -> StoredFile:
    if not upload.data:
        raise bad_request("file must be non-empty")
    if kind == "photo":
        if upload.size > limits.MAX_PHOTO_BYTES:
            raise bad_request("file is too big")
        size = image_size(upload.data)
        if size is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        return state.files.add(upload.data, "photo", upload.filename, None, size)
    mime_type = None
    if upload.filename:
        mime_type = mimetypes.guess_type(upload.filename)[0]
    if mime_type is None and upload.content_type != "application/octet-stream":
        mime_type = upload.content_type
    return state.files.add(upload.data, "document", upload.filename, mime_type)


async def _send_media(state: EmulatorState, params: dict[str, Any], kind: FileKind) -> Any:
    chat = state.chats.writable(params["chat_id"])
    caption = formatted(state, params, "caption", CAPTION)
    markup = parse_reply_markup(params.get("reply_markup"))
    stored = stored_file(state, params[kind], kind)
    return deliver(
        state,
        chat,
        params,
        markup,
        kind=kind,
        caption=caption.text,
        caption_entities=caption.entities,
        html=caption.html,
        parse_mode=caption.parse_mode,
        file_id=stored.file_id,
        file_name=stored.file_name,
        file_bytes=stored.data,
        mime_type=stored.mime_type,
    )


async def send_photo(state: EmulatorState, params: dict[str, Any]) -> Any:
    """sendPhoto."""
    return await _send_media(state, params, "photo")


async def send_document(state: EmulatorState, params: dict[str, Any]) -> Any:
    """sendDocument."""
    return await _send_media(state, params, "document")


async def get_file(state: EmulatorState, params: dict[str, Any]) -> dict[str, Any]:
    """getFile: the ``file_path`` it returns is served under ``/file/bot<token>/``."""
    stored = state.files.by_id(params["file_id"])
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > limits.MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return stored.file_json()


HANDLERS = {
    "sendPhoto": send_photo,
    "sendDocument": send_document,
    "getFile": get_file,
}
