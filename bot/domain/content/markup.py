"""The little Markdown articles use, turned into Telegram HTML and into plain search text."""

from __future__ import annotations

import html
import re

BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
LIST_ITEM = re.compile(r"^\s*- ", re.MULTILINE)
ARTICLE_LINK = re.compile(r"^(?P<id>[a-z0-9-]+)\.md$")


def internal_links(markdown: str) -> list[str]:
    """The article ids a body links to (``[words](other-article.md)``)."""
    return [m["id"] for _, target in LINK.findall(markdown) if (m := ARTICLE_LINK.match(target))]


def to_html(markdown: str) -> str:
    """Escape everything, then allow bold, italic, web links and bullets."""
    text = html.escape(markdown, quote=False)
    text = LINK.sub(_link, text)
    text = BOLD.sub(r"<b>\1</b>", text)
    text = ITALIC.sub(r"<i>\1</i>", text)
    return LIST_ITEM.sub("• ", text)


def to_plain(markdown: str) -> str:
    text = LINK.sub(r"\1", markdown)
    text = text.replace("**", "").replace("*", "")
    return LIST_ITEM.sub("", text)


def _link(match: re.Match[str]) -> str:
    words, target = match[1], match[2]
    if ARTICLE_LINK.match(target):
        # Another article: named in italics; "More on this topic" and /learn reach it.
        return f"<i>{words}</i>"
    if target.startswith("https://"):
        href = target.replace('"', "%22")  # already HTML-escaped with the rest of the text
        return f'<a href="{href}">{words}</a>'
    return words
