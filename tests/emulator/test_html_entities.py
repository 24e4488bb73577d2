"""The strict Telegram-HTML parser on its own: text, entities, UTF-16 offsets, error wording."""

from __future__ import annotations

import pytest

from bot.emulator.html_entities import HtmlParseError, parse_html


def entities(source: str) -> list[dict[str, object]]:
    return parse_html(source).entities


def test_all_simple_tags_map_to_their_entity() -> None:
    source = (
        "<b>1</b><strong>2</strong><i>3</i><em>4</em><u>5</u><ins>6</ins><s>7</s>"
        '<strike>8</strike><del>9</del><tg-spoiler>a</tg-spoiler><span class="tg-spoiler">b</span>'
    )
    parsed = parse_html(source)
    assert parsed.text == "123456789ab"
    assert [e["type"] for e in parsed.entities] == [
        "bold",
        "bold",
        "italic",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
    ]
    assert [e["offset"] for e in parsed.entities] == list(range(11))


def test_offsets_are_utf16_units() -> None:
    parsed = parse_html("😀é <b>x</b>")
    assert parsed.text == "😀é x"
    assert parsed.entities == [{"type": "bold", "offset": 4, "length": 1}]


def test_nested_entities_outer_first() -> None:
    assert entities("<b>a<i>b</i></b>") == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "italic", "offset": 1, "length": 1},
    ]


def test_pre_with_language_collapses_into_one_entity() -> None:
    assert entities('<pre><code class="language-python">x = 1</code></pre>') == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"}
    ]
    assert entities("<pre>y</pre>") == [{"type": "pre", "offset": 0, "length": 1}]
    assert entities("<code>z</code>") == [{"type": "code", "offset": 0, "length": 1}]


def test_blockquotes_links_and_custom_emoji() -> None:
    assert entities("<blockquote>q</blockquote><blockquote expandable>e</blockquote>") == [
        {"type": "blockquote", "offset": 0, "length": 1},
        {"type": "expandable_blockquote", "offset": 1, "length": 1},
    ]
    assert entities("<a href='https://t.me/x?a=1&amp;b=2'>l</a>") == [
        {"type": "text_link", "offset": 0, "length": 1, "url": "https://t.me/x?a=1&b=2"}
    ]
    assert entities('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>') == [
        {"type": "custom_emoji", "offset": 0, "length": 2, "custom_emoji_id": "5368324170671202286"}
    ]


def test_entities_and_numeric_references_are_decoded() -> None:
    assert parse_html("&lt;&gt;&amp;&quot; &#65;&#x42;&#128512;").text == '<>&" AB😀'


def test_tags_are_case_insensitive_and_unknown_attributes_ignored() -> None:
    assert parse_html('<B title="x">y</B>').entities == [{"type": "bold", "offset": 0, "length": 1}]


def test_empty_entities_are_dropped() -> None:
    assert parse_html("<b></b>x").entities == []


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("a > b", 'Character ">" must be escaped as "&gt;" at byte offset 2'),
        ("é & ü", 'Character "&" must be escaped as "&amp;" at byte offset 3'),
        ("&amp without semicolon", 'Character "&" must be escaped as "&amp;" at byte offset 0'),
        ("&nbsp;", 'Character "&" must be escaped as "&amp;" at byte offset 0'),
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<i>x</b>", 'Unmatched end tag at byte offset 4, expected "</i>", found "</b>"'),
        ("<b><i>x</b>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=x:y>l</a>", "Unexpected end of name token at byte offset 8"),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_rejections(source: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as raised:
        parse_html(source)
    assert raised.value.reason == reason


def test_lenient_mode_keeps_bare_ampersand_and_greater_than_like_telegram() -> None:
    assert parse_html("AT&T > 3 &amp", strict=False).text == "AT&T > 3 &"
    with pytest.raises(HtmlParseError):
        parse_html("a < b", strict=False)
