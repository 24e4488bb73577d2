"""Photos and documents in both directions, getFile and downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator

if TYPE_CHECKING:
    from conftest import RawApi


async def test_send_document_then_get_file_and_download(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    sent = await bot.send_document(
        ana,
        b"%PDF-1.4 report",
        filename="report.pdf",
        caption="<b>Your</b> report",
        parse_mode="HTML",
    )
    document = sent.document
    assert (document.file_name, document.mime_type, document.file_size) == (
        "report.pdf",
        "application/pdf",
        15,
    )
    assert sent.caption == "Your report"
    assert sent.caption_entities[0].type == "bold"
    stored = emu.bot_messages(ana)[-1]
    assert (stored.kind, stored.file_name, stored.file_bytes) == (
        "document",
        "report.pdf",
        b"%PDF-1.4 report",
    )
    assert stored.html == "<b>Your</b> report"
    file = await bot.get_file(document.file_id)
    assert file.file_path.startswith(emu.base_file_url)
    assert await file.download_as_bytearray() == bytearray(b"%PDF-1.4 report")
    assert emu.calls[-1].method == "downloadFile"


async def test_file_id_can_be_sent_again(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    first = await bot.send_document(ana, b"abc", filename="a.txt")
    again = await bot.send_document(ana, first.document.file_id)
    assert again.document.file_unique_id == first.document.file_unique_id
    assert emu.bot_messages(ana)[-1].file_bytes == b"abc"
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_document(ana, "no-such-file-id")
    with pytest.raises(BadRequest, match=r"(?i)can't use file of type document as photo"):
        await bot.send_photo(ana, first.document.file_id)


async def test_send_photo_needs_a_real_image(
    emu: BotApiEmulator, bot: Bot, ana: int, png: Callable[..., bytes]
) -> None:
    sent = await bot.send_photo(ana, png(4, 5), caption="chart")
    (size,) = sent.photo
    assert (size.width, size.height) == (4, 5)
    assert emu.bot_messages(ana)[-1].kind == "photo"
    assert emu.bot_messages(ana)[-1].caption == "chart"
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(ana, b"not an image")


async def test_caption_limit(http: RawApi, bot: Bot, ana: int) -> None:
    ok = await bot.send_document(ana, b"x", filename="x.txt", caption="c" * 1024)
    assert len(ok.caption) == 1024
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_document(ana, b"x", filename="x.txt", caption="c" * 1025)


async def test_missing_file_parameter(http: RawApi, ana: int) -> None:
    response = await http.call("sendDocument", chat_id=ana)
    assert response.json()["description"] == "Bad Request: there is no document in the request"


async def test_user_document_can_be_downloaded_by_the_bot(emu: BotApiEmulator, bot: Bot) -> None:
    update_id = emu.send_document(111, "scan.pdf", b"%PDF scan", caption="my scan")
    (update,) = await bot.get_updates()
    assert update.update_id == update_id
    document = update.message.document
    assert (document.file_name, document.mime_type, update.message.caption) == (
        "scan.pdf",
        "application/pdf",
        "my scan",
    )
    file = await bot.get_file(document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF scan"


async def test_user_photo(emu: BotApiEmulator, bot: Bot, png: Callable[..., bytes]) -> None:
    emu.send_photo(111, png(8, 6))
    (update,) = await bot.get_updates()
    (size,) = update.message.photo
    assert (size.width, size.height) == (8, 6)
    assert bytes(await (await size.get_file()).download_as_bytearray()) == png(8, 6)


async def test_unknown_download_and_file_id(http: RawApi, bot: Bot) -> None:
    response = await http.client.get(f"/file/bot{http.token}/documents/nothing.pdf")
    assert response.status_code == 404
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await bot.get_file("nope")


async def test_raw_multipart_with_attach_reference(
    http: RawApi, emu: BotApiEmulator, ana: int
) -> None:
    response = await http.post(
        "sendDocument",
        data={"chat_id": str(ana), "document": "attach://part1", "caption": "attached"},
        files={"part1": ("notes.txt", b"some notes", "text/plain")},
    )
    result = response.json()["result"]
    assert result["document"]["file_name"] == "notes.txt"
    assert result["document"]["mime_type"] == "text/plain"
    upload = emu.calls_to("sendDocument")[-1].params["document"]
    assert (upload.filename, upload.data) == ("notes.txt", b"some notes")
