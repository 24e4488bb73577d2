"""Telegram's ``parse_mode="HTML"``: markup in, plain text plus MessageEntity dicts out.

The grammar and error wording follow the Bot API server (tdlib's ``parse_html``): only the
documented tags are accepted, attributes are parsed the same way, an unsupported or unbalanced
tag is rejected with ``<reason> at byte offset N`` (UTF-8 bytes into the source), and entity
offsets/lengths are counted in UTF-16 code units.

``strict=True`` (the emulator default) is deliberately *stricter* than Telegram in one respect:
Telegram silently keeps a bare ``&`` or ``>`` (and ``&amp`` without ``;``), but its docs say they
must be escaped, and a bot that forgets to escape user-supplied text usually does so for ``<`` as
well. Rejecting them in tests catches that bug before a user with ``<`` in their name does.
``strict=False`` mirrors the server's leniency.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from typing import Any, Final

from bot.emulator.text import char_utf16_len

SIMPLE_TAGS: Final[dict[str, str]] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
SUPPORTED_TAGS: Final[frozenset[str]] = frozenset(
    {*SIMPLE_TAGS, "a", "code", "pre", "blockquote", "tg-emoji"}
)
NAMED_ENTITIES: Final[dict[str, str]] = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
LINK_SCHEMES: Final[frozenset[str]] = frozenset({"http", "https", "tg", "ton", "ftp"})

_SPACES = " \t\r\n\v\f"
_TYPE_ORDER = (
    "blockquote",
    "expandable_blockquote",
    "pre",
    "code",
    "text_link",
    "text_mention",
    "bold",
    "italic",
    "underline",
    "strikethrough",
    "spoiler",
    "custom_emoji",
)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HOST_LIKE = re.compile(r"^[^\s/:]+\.[^\s/:]+")


class HtmlParseError(Exception):
    """The markup is not valid Telegram HTML; ``reason`` is Telegram's wording."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParsedHtml:
    """Result of parsing: the text a user sees and its entities (UTF-16 offsets)."""

    text: str
    entities: list[dict[str, Any]]


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_start: int
    out_start: int


@dataclass
class _Parser:
    source: str
    strict: bool
    pos: int = 0
    out: list[str] = field(default_factory=list)
    utf16: int = 0
    stack: list[_OpenTag] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    code_languages: dict[int, str] = field(default_factory=dict)

    def fail(self, reason: str, at: int) -> HtmlParseError:
        byte_offset = len(self.source[:at].encode("utf-8", "surrogatepass"))
        return HtmlParseError(f"{reason} at byte offset {byte_offset}")

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.utf16 += sum(char_utf16_len(ch) for ch in text)

    def at_end(self, index: int) -> bool:
        return index >= len(self.source)

    def is_space(self, index: int) -> bool:
        return not self.at_end(index) and self.source[index] in _SPACES

    def run(self) -> ParsedHtml:
        src = self.source
        while not self.at_end(self.pos):
            char = src[self.pos]
            if char == "&":
                decoded, end = self.decode_entity(self.pos, require_semicolon=self.strict)
                if decoded is None:
                    if self.strict:
                        raise self.fail('Character "&" must be escaped as "&amp;"', self.pos)
                    decoded, end = "&", self.pos + 1
                self.emit(decoded)
                self.pos = end
            elif char == ">" and self.strict:
                raise self.fail('Character ">" must be escaped as "&gt;"', self.pos)
            elif char != "<":
                self.emit(char)
                self.pos += 1
            elif src[self.pos + 1 : self.pos + 2] == "/":
                self.pos = self.end_tag(self.pos)
            else:
                self.pos = self.start_tag(self.pos)
        if self.stack:
            name = self.stack[-1].name
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{name}"')
        return ParsedHtml("".join(self.out), self.sorted_entities())

    def decode_entity(self, start: int, *, require_semicolon: bool) -> tuple[str | None, int]:
        """Decode ``&lt;``/``&#65;``/``&#x41;`` at ``start``; ``(None, start)`` if it is none."""
        src = self.source
        index = start + 1
        if src[index : index + 1] == "#":
            index += 1
            is_hex = src[index : index + 1] in ("x", "X")
            index += is_hex
            alphabet = string.hexdigits if is_hex else string.digits
            digits_start = index
            while not self.at_end(index) and src[index] in alphabet and index - digits_start < 8:
                index += 1
            if index == digits_start:
                return None, start
            code = int(src[digits_start:index], 16 if is_hex else 10)
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return None, start
            decoded = chr(code)
        else:
            while not self.at_end(index) and src[index] in string.ascii_letters:
                index += 1
            named = NAMED_ENTITIES.get(src[start + 1 : index])
            if named is None:
                return None, start
            decoded = named
        if src[index : index + 1] == ";":
            return decoded, index + 1
        if require_semicolon:
            return None, start
        return decoded, index

    def start_tag(self, begin: int) -> int:
        src = self.source
        index = begin + 1
        while not self.at_end(index) and not self.is_space(index) and src[index] != ">":
            index += 1
        if self.at_end(index):
            raise self.fail("Unclosed start tag", begin)
        tag = src[begin + 1 : index].lower()
        if tag not in SUPPORTED_TAGS:
            raise self.fail(f'Unsupported start tag "{tag}"', begin)

        argument = ""
        while True:
            while self.is_space(index):
                index += 1
            if self.at_end(index):
                raise self.fail("Unclosed start tag", begin)
            if src[index] == ">":
                break
            name_start = index
            while not self.at_end(index) and not self.is_space(index) and src[index] not in "=>":
                index += 1
            attribute = src[name_start:index].lower()
            if not attribute:
                raise self.fail(f'Empty attribute name in the tag "{tag}"', begin)
            while self.is_space(index):
                index += 1
            if self.at_end(index):
                raise self.fail("Unclosed start tag", begin)
            if src[index] != "=":
                if tag == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                elif self.strict:
                    raise self.fail(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}"',
                        begin,
                    )
                continue
            value, index = self.attribute_value(index + 1, begin)
            argument = _tag_argument(tag, attribute, value, argument)

        if tag == "span" and argument != "spoiler":
            raise self.fail('Tag "span" must have class "tg-spoiler"', begin)
        if tag == "tg-emoji" and not (argument.isdigit() and int(argument) > 0):
            raise HtmlParseError("Invalid custom emoji identifier specified")
        self.stack.append(_OpenTag(tag, argument, self.utf16, len(self.out)))
        return index + 1

    def attribute_value(self, index: int, tag_begin: int) -> tuple[str, int]:
        """Parse a quoted string or bare name token; returns the value and the next index."""
        src = self.source
        while self.is_space(index):
            index += 1
        if self.at_end(index):
            raise self.fail("Unclosed start tag", tag_begin)
        if src[index] not in "'\"":
            token_start = index
            while not self.at_end(index) and (
                (src[index].isascii() and src[index].isalnum()) or src[index] in ".-"
            ):
                index += 1
            if self.at_end(index) or (not self.is_space(index) and src[index] != ">"):
                raise self.fail("Unexpected end of name token", token_start)
            return src[token_start:index].lower(), index
        quote = src[index]
        index += 1
        parts: list[str] = []
        while not self.at_end(index) and src[index] != quote:
            if src[index] == "&":
                decoded, end = self.decode_entity(index, require_semicolon=False)
                if decoded is not None:
                    parts.append(decoded)
                    index = end
                    continue
            parts.append(src[index])
            index += 1
        if self.at_end(index):
            raise self.fail("Unclosed start tag", tag_begin)
        return "".join(parts), index + 1

    def end_tag(self, begin: int) -> int:
        src = self.source
        if not self.stack:
            raise self.fail("Unexpected end tag", begin)
        index = begin + 2
        while not self.at_end(index) and not self.is_space(index) and src[index] != ">":
            index += 1
        name = src[begin + 2 : index].lower()
        while self.is_space(index):
            index += 1
        if self.at_end(index) or src[index] != ">":
            raise self.fail("Unclosed end tag", begin)
        expected = self.stack[-1].name
        if name and name != expected:
            byte_offset = len(src[:begin].encode("utf-8", "surrogatepass"))
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {byte_offset}, "
                f'expected "</{expected}>", found "</{name}>"'
            )
        self.close(self.stack.pop())
        return index + 1

    def close(self, tag: _OpenTag) -> None:
        """Turn a closed tag into its entity (empty spans produce none, like Telegram)."""
        length = self.utf16 - tag.utf16_start
        if length <= 0:
            return
        span = {"offset": tag.utf16_start, "length": length}
        if tag.name in SIMPLE_TAGS:
            self.entities.append({"type": SIMPLE_TAGS[tag.name], **span})
        elif tag.name == "a":
            url = _check_link(tag.argument or "".join(self.out[tag.out_start :]))
            if url is not None:
                self.entities.append({"type": "text_link", **span, "url": url})
        elif tag.name == "code":
            self.entities.append({"type": "code", **span})
            if tag.argument:
                self.code_languages[len(self.entities) - 1] = tag.argument
        elif tag.name == "pre":
            self.close_pre(span)
        elif tag.name == "blockquote":
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self.entities.append({"type": kind, **span})
        else:  # tg-emoji
            self.entities.append({"type": "custom_emoji", **span, "custom_emoji_id": tag.argument})

    def close_pre(self, span: dict[str, int]) -> None:
        """``<pre><code class="language-x">`` collapses into one ``pre`` entity with a language."""
        pre: dict[str, Any] = {"type": "pre", **span}
        last = len(self.entities) - 1
        if last >= 0 and self.entities[last] == {"type": "code", **span}:
            language = self.code_languages.pop(last, "")
            if language:
                pre["language"] = language
            self.entities[last] = pre
        else:
            self.entities.append(pre)

    def sorted_entities(self) -> list[dict[str, Any]]:
        return sorted(
            self.entities,
            key=lambda e: (e["offset"], -e["length"], _TYPE_ORDER.index(e["type"])),
        )


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    """The one attribute each tag cares about; other attributes are ignored like Telegram."""
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "expandable"
    return current


def _check_link(url: str) -> str | None:
    """Telegram keeps links with a known scheme, adds ``http://`` to bare hosts, drops the rest."""
    url = url.strip()
    scheme = _SCHEME.match(url)
    if scheme:
        return url if scheme.group(1).lower() in LINK_SCHEMES else None
    return f"http://{url}" if _HOST_LIKE.match(url) else None


def parse_html(source: str, *, strict: bool = True) -> ParsedHtml:
    """Parse Telegram HTML; raises ``HtmlParseError`` with Telegram's reason on bad markup."""
    return _Parser(source, strict).run()
