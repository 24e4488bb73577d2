"""Cutting an article into snippets that each fit one Telegram message comfortably.

Snippets break between paragraphs; a paragraph too long for one snippet breaks between
sentences; nothing is ever cut mid-sentence. A single sentence longer than the limit cannot be
placed and is reported by the content check instead.
"""

from __future__ import annotations

import re

SNIPPET_LIMIT = 700
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-Z0-9\"“(*•-])")


class SentenceTooLongError(ValueError):
    """A sentence longer than a snippet: the article must be rewritten there."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence[:60])
        self.sentence = sentence


def paragraphs(body: str) -> list[str]:
    return [
        " ".join(block.split("\n")) if not _is_list(block) else block.strip()
        for block in re.split(r"\n\s*\n", body.strip())
        if block.strip()
    ]


def split_snippets(body: str, limit: int = SNIPPET_LIMIT) -> list[str]:
    """Consecutive paragraphs packed greedily into snippets of at most ``limit`` characters."""
    pieces: list[str] = []
    for paragraph in paragraphs(body):
        if len(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        pieces += _sentence_groups(paragraph, limit)
    snippets: list[str] = []
    for piece in pieces:
        if snippets and len(snippets[-1]) + 2 + len(piece) <= limit:
            snippets[-1] += "\n\n" + piece
        else:
            snippets.append(piece)
    return snippets


def _sentence_groups(paragraph: str, limit: int) -> list[str]:
    groups: list[str] = []
    for sentence in SENTENCE_END.split(paragraph):
        if len(sentence) > limit:
            raise SentenceTooLongError(sentence)
        if groups and len(groups[-1]) + 1 + len(sentence) <= limit:
            groups[-1] += " " + sentence
        else:
            groups.append(sentence)
    return groups


def _is_list(block: str) -> bool:
    return all(line.lstrip().startswith("- ") for line in block.strip().splitlines())
