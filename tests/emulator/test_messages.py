"""sendMessage / edit* / deleteMessage: formatting, limits, keyboards and Telegram's refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator, InlineButton

if TYPE_CHECKING:
    from conftest import RawApi


def keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


async def test_html_message_is_stored_as_plain_text_with_entities(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    sent = await bot.send_message(
        ana, '<b>Hi</b> <i>Ana</i>, see <a href="https://example.org/x">this</a>', "HTML"
    )
    assert sent.text == "Hi Ana, see this"
    assert sent.entities == (
        MessageEntity(MessageEntity.BOLD, 0, 2),
        MessageEntity(MessageEntity.ITALIC, 3, 3),
        MessageEntity(MessageEntity.TEXT_LINK, 12, 4, url="https://example.org/x"),
    )
    stored = emu.bot_messages(ana)[-1]
    assert stored.text == "Hi Ana, see this"
    assert stored.html == '<b>Hi</b> <i>Ana</i>, see <a href="https://example.org/x">this</a>'
    assert stored.from_bot
    assert stored.entities[0] == {"type": "bold", "offset": 0, "length": 2}


async def test_escaped_user_text_renders_literally(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    sent = await bot.send_message(ana, "Hello <b>&lt;b&gt;Al &amp; Co</b>", parse_mode="HTML")
    assert sent.text == "Hello <b>Al & Co"
    assert sent.entities == (MessageEntity(MessageEntity.BOLD, 6, 10),)
    assert emu.bot_messages(ana)[-1].text == "Hello <b>Al & Co"


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        ("Dear <b>Al & Co</b>", 'Character "&" must be escaped as "&amp;" at byte offset 11'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
    ],
)
async def test_bad_html_is_rejected_like_telegram(
    http: RawApi, bot: Bot, emu: BotApiEmulator, ana: int, markup: str, description: str
) -> None:
    response = await http.call("sendMessage", chat_id=ana, text=markup, parse_mode="HTML")
    assert response.status_code == 400
    assert response.json() == {
        "ok": False,
        "error_code": 400,
        "description": f"Bad Request: can't parse entities: {description}",
    }
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_message(ana, markup, parse_mode="HTML")
    assert emu.bot_messages(ana) == []


async def test_unknown_parse_mode_is_rejected(http: RawApi, ana: int) -> None:
    response = await http.call("sendMessage", chat_id=ana, text="x", parse_mode="BBCode")
    assert response.json()["description"] == "Bad Request: unsupported parse_mode"


async def test_markdown_is_stored_as_given(bot: Bot, ana: int) -> None:
    sent = await bot.send_message(ana, "*bold*", parse_mode="MarkdownV2")
    assert sent.text == "*bold*"


async def test_text_limit_counts_utf16_units_after_parsing(
    http: RawApi, bot: Bot, ana: int
) -> None:
    # 4096 characters of text fit, even with markup around them.
    assert (await bot.send_message(ana, f"<b>{'a' * 4096}</b>", "HTML")).text == "a" * 4096
    too_long = await http.call("sendMessage", chat_id=ana, text="a" * 4097)
    assert too_long.status_code == 400
    assert too_long.json()["description"] == "Bad Request: message is too long"
    # An emoji outside the BMP is two UTF-16 units: 2048 of them fill the limit exactly.
    assert len((await bot.send_message(ana, "😀" * 2048)).text) == 2048
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ana, "a" + "😀" * 2048)


async def test_empty_text_after_parsing_is_rejected(http: RawApi, ana: int) -> None:
    for text in ("", "   \n ", "<b></b>"):
        response = await http.call("sendMessage", chat_id=ana, text=text, parse_mode="HTML")
        assert response.json()["description"] == "Bad Request: message text is empty", text


async def test_surrounding_whitespace_is_trimmed(bot: Bot, ana: int) -> None:
    sent = await bot.send_message(ana, "\n  <b>hi</b> there  \n", parse_mode="HTML")
    assert sent.text == "hi there"
    assert sent.entities == (MessageEntity(MessageEntity.BOLD, 0, 2),)


async def test_missing_chat_id_and_text(http: RawApi, ana: int) -> None:
    no_chat = await http.call("sendMessage", text="hi")
    no_text = await http.call("sendMessage", chat_id=ana)
    assert (no_chat.status_code, no_chat.json()["description"]) == (
        400,
        "Bad Request: chat_id is empty",
    )
    assert no_text.json()["description"] == "Bad Request: message text is empty"


async def test_unknown_chat(http: RawApi, bot: Bot) -> None:
    response = await http.call("sendMessage", chat_id=424242, text="hi")
    assert response.json()["description"] == "Bad Request: chat not found"
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message("@somebody", "hi")


async def test_inline_keyboard_is_stored_and_returned(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="y"),
                InlineKeyboardButton("No", callback_data="n"),
            ],
            [InlineKeyboardButton("Docs", url="https://example.org")],
        ]
    )
    sent = await bot.send_message(ana, "Agree?", reply_markup=markup)
    assert sent.reply_markup == markup
    stored = emu.bot_messages(ana)[-1]
    assert stored.buttons == [
        [InlineButton("Yes", callback_data="y"), InlineButton("No", callback_data="n")],
        [InlineButton("Docs", url="https://example.org")],
    ]
    assert [b.text for b in stored.flat_buttons] == ["Yes", "No", "Docs"]


async def test_callback_data_limit_is_64_bytes(http: RawApi, bot: Bot, ana: int) -> None:
    fits = await bot.send_message(ana, "ok", reply_markup=keyboard([("a", "é" * 32)]))
    assert fits.reply_markup.inline_keyboard[0][0].callback_data == "é" * 32
    # 65 bytes: 31 two-byte characters + 3 ASCII.
    response = await http.call(
        "sendMessage",
        chat_id=ana,
        text="no",
        reply_markup={"inline_keyboard": [[{"text": "a", "callback_data": "é" * 31 + "abc"}]]},
    )
    assert response.status_code == 400
    assert response.json()["description"] == "Bad Request: BUTTON_DATA_INVALID"
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(ana, "no", reply_markup=keyboard([("a", "x" * 65)]))


async def test_inline_button_needs_exactly_one_action(http: RawApi, ana: int) -> None:
    bare = {"inline_keyboard": [[{"text": "just text"}]]}
    both = {"inline_keyboard": [[{"text": "t", "callback_data": "a", "url": "https://x.org"}]]}
    for markup in (bare, both):
        response = await http.call("sendMessage", chat_id=ana, text="x", reply_markup=markup)
        assert response.status_code == 400
        assert response.json()["description"].startswith(
            "Bad Request: can't parse inline keyboard button"
        )


async def test_reply_to_a_message(bot: Bot, emu: BotApiEmulator, ana: int) -> None:
    sent = await bot.send_message(ana, "answering", reply_to_message_id=1)
    assert sent.reply_to_message.text == "hello"
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(ana, "x", reply_to_message_id=99)


async def test_edit_text_and_keyboard(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    emu.now = lambda: 1_800_000_000.0
    sent = await bot.send_message(ana, "Pick", reply_markup=keyboard([("A", "a")]))
    edited = await bot.edit_message_text(
        "<i>Picked</i>",
        ana,
        sent.message_id,
        parse_mode="HTML",
        reply_markup=keyboard([("B", "b")]),
    )
    assert edited.text == "Picked"
    assert edited.edit_date.timestamp() == 1_800_000_000
    assert edited.reply_markup == keyboard([("B", "b")])
    stored = emu.bot_messages(ana)[-1]
    assert (stored.text, stored.edited, stored.edit_count) == ("Picked", True, 1)
    assert stored.entities == [{"type": "italic", "offset": 0, "length": 6}]


async def test_edit_without_reply_markup_removes_the_keyboard(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    sent = await bot.send_message(ana, "Pick", reply_markup=keyboard([("A", "a")]))
    edited = await bot.edit_message_text("Done", ana, sent.message_id)
    assert edited.reply_markup is None
    assert emu.bot_messages(ana)[-1].buttons == []


async def test_edit_to_identical_content_is_not_modified(http: RawApi, bot: Bot, ana: int) -> None:
    markup = keyboard([("A", "a")])
    sent = await bot.send_message(ana, "<b>Same</b>", "HTML", reply_markup=markup)
    response = await http.call(
        "editMessageText",
        chat_id=ana,
        message_id=sent.message_id,
        text="<b>Same</b>",
        parse_mode="HTML",
        reply_markup=markup.to_dict(),
    )
    assert response.status_code == 400
    assert response.json()["description"] == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(ana, sent.message_id, reply_markup=markup)
    # Same text but different formatting is a modification.
    assert (await bot.edit_message_text("Same", ana, sent.message_id, reply_markup=markup)).text


async def test_edit_refusals(http: RawApi, bot: Bot, ana: int) -> None:
    missing = await http.call("editMessageText", chat_id=ana, message_id=77, text="x")
    users = await http.call("editMessageText", chat_id=ana, message_id=1, text="x")
    assert missing.json()["description"] == "Bad Request: message to edit not found"
    assert users.json()["description"] == "Bad Request: message can't be edited"
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_reply_markup(ana, 77)


async def test_delete_message(emu: BotApiEmulator, bot: Bot, http: RawApi, ana: int) -> None:
    sent = await bot.send_message(ana, "oops")
    assert await bot.delete_message(ana, sent.message_id) is True
    assert emu.bot_messages(ana) == []
    (gone,) = emu.bot_messages(ana, include_deleted=True)
    assert (gone.text, gone.deleted) == ("oops", True)
    again = await http.call("deleteMessage", chat_id=ana, message_id=sent.message_id)
    assert again.status_code == 400
    assert again.json()["description"] == "Bad Request: message to delete not found"


async def test_chat_action(bot: Bot, http: RawApi, ana: int) -> None:
    assert await bot.send_chat_action(ana, "typing") is True
    response = await http.call("sendChatAction", chat_id=ana, action="juggling")
    assert response.status_code == 400


async def test_chat_lists_both_sides_in_order(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    await bot.send_message(ana, "Welcome")
    emu.send_text(ana, "thanks")
    assert [(m.from_bot, m.text) for m in emu.chat(ana)] == [
        (False, "hello"),
        (True, "Welcome"),
        (False, "thanks"),
    ]


async def test_explicit_entities_are_kept(bot: Bot, ana: int) -> None:
    entity = MessageEntity(MessageEntity.UNDERLINE, 0, 3)
    sent = await bot.send_message(ana, "Note this", entities=[entity])
    assert (sent.text, sent.entities) == ("Note this", (entity,))


async def test_edit_caption(emu: BotApiEmulator, bot: Bot, http: RawApi, ana: int) -> None:
    sent = await bot.send_document(ana, b"x", filename="x.txt", caption="old")
    edited = await bot.edit_message_caption(
        ana, sent.message_id, caption="<i>new</i>", parse_mode="HTML"
    )
    assert (edited.caption, edited.caption_entities[0].type) == ("new", "italic")
    assert emu.bot_messages(ana)[-1].caption == "new"
    text = await bot.send_message(ana, "plain")
    response = await http.call(
        "editMessageCaption", chat_id=ana, message_id=text.message_id, caption="c"
    )
    assert (
        response.json()["description"] == "Bad Request: there is no caption in the message to edit"
    )
