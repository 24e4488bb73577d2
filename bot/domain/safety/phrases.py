"""Turning the phrases clinicians write into patterns that match normalised text.

A phrase is plain words, matched as whole words after normalising ("want to end it all").
Three small marks make one phrase cover many ways of saying a thing:

- ``...`` stands for up to four other words: "want ... die" matches "want to die" and "want to
  just curl up and die".
- ``*`` at the end of a word stands for any ending: "kill* myself" matches "kill myself",
  "killing myself" and "killed myself".
- ``{name}`` stands for any entry of the list ``name`` under ``lists:``: "can i take {medicine}".

Regular expressions (``patterns:``) may use ``{name}`` too; everything else in them is ordinary
Python regex, written against the normalised text (lower case, single spaces, no punctuation,
no doubled letters).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

GAP_WORDS = 4
GAP = rf"(?: \w+){{0,{GAP_WORDS}}} "
LIST_REFERENCE = re.compile(r"\{([a-z][a-z_]*)\}")
BAD_BRACES = re.compile(r"[{}]")
# Things a regex pattern may contain that are not literal letters: escapes, classes, counts.
REGEX_NON_LITERALS = re.compile(r"\\.|\[[^\]]*\]|\{[^}]*\}|\(\?(?:<?[:!=])")
DOUBLED_LETTER = re.compile(r"([a-z])\1")


class PhraseError(ValueError):
    """A phrase or pattern cannot be used; the message says why, in words a clinician can act on."""


class Normalise(Protocol):
    """What phrases need from the normaliser (see ``normalise.Normaliser``)."""

    def __call__(self, text: str) -> str: ...

    def without_typos(self, text: str) -> str: ...


def compile_phrase(phrase: str, normalise: Normalise, lists: Mapping[str, str]) -> str:
    """The regex source for one phrase, ``lists`` being each list name's compiled alternatives."""
    return rf"\b{_phrase_body(phrase, normalise, lists)}\b"


def compile_list_item(item: str, normalise: Normalise) -> str:
    """One entry of a list (it may use ``...`` and ``*``, but not another list)."""
    return _phrase_body(item, normalise, lists=None)


def alternation(bodies: list[str]) -> str:
    """Compiled list entries as one group, longest first so the fullest wording is taken."""
    return "(?:" + "|".join(sorted(bodies, key=len, reverse=True)) + ")"


def compile_pattern(pattern: str, lists: Mapping[str, str]) -> str:
    """The regex source for one pattern, with list references filled in and checked."""
    for name in LIST_REFERENCE.findall(pattern):
        if name not in lists:
            raise PhraseError(f"there is no list called {{{name}}} under lists:")
    literal = REGEX_NON_LITERALS.sub("", LIST_REFERENCE.sub("", pattern))
    if any(ch.isupper() for ch in literal):
        raise PhraseError(f"pattern {pattern!r} has capital letters: messages are in lower case")
    if "'" in literal:
        raise PhraseError(f"pattern {pattern!r} has an apostrophe: they are removed (dont, im)")
    doubled = DOUBLED_LETTER.search(literal)
    if doubled:
        raise PhraseError(
            f"pattern {pattern!r} has {doubled.group()!r}: repeated letters are shortened to one "
            f"in messages (kill -> kil), so write {doubled.group(1)!r}"
        )
    source = LIST_REFERENCE.sub(lambda found: lists[found.group(1)], pattern)
    try:
        re.compile(source)
    except re.error as error:
        raise PhraseError(
            f"pattern {pattern!r} is not a valid regular expression: {error}"
        ) from None
    return source


def _phrase_body(phrase: str, normalise: Normalise, lists: Mapping[str, str] | None) -> str:
    words = phrase.replace("…", " ... ").replace("...", " ... ").split()
    if not words:
        raise PhraseError("a phrase is empty")
    if words[0] == "..." or words[-1] == "...":
        raise PhraseError(f"phrase {phrase!r} starts or ends with ...: put words on both sides")
    pieces: list[str] = []  # regex pieces; GAP marks where words may be skipped
    segment: list[str] = []
    for word in [*words, "..."]:  # a final "..." flushes the last run of plain words
        reference = LIST_REFERENCE.fullmatch(word)
        if word != "..." and not reference:
            if BAD_BRACES.search(word):
                raise PhraseError(f"phrase {phrase!r}: write a list as {{name}}, on its own")
            segment.append(word)
            continue
        if segment:
            pieces.append(_plain_words(segment, phrase, normalise))
            segment = []
        if word == "...":
            if pieces and pieces[-1] == GAP:
                raise PhraseError(f"phrase {phrase!r} has ... twice in a row")
            pieces.append(GAP)
        else:
            pieces.append(_list_reference(reference.group(1), phrase, lists))
    pieces.pop()  # the flushing "..."
    body = ""
    for previous, piece in zip([None, *pieces], pieces, strict=False):
        if piece != GAP and previous not in (None, GAP):
            body += " "
        body += piece
    return body


def _plain_words(words: list[str], phrase: str, normalise: Normalise) -> str:
    """Normalise a run of words as messages are normalised, keeping any trailing ``*``."""
    wildcards = [word.endswith("*") and len(word) > 1 for word in words]
    plain = " ".join(
        word.rstrip("*") if wild else word for word, wild in zip(words, wildcards, strict=True)
    )
    # A stem is not a typo: "suicid*" must stay "suicid", not become "suicide".
    normalised = (normalise.without_typos(plain) if any(wildcards) else normalise(plain)).split()
    if not normalised:
        raise PhraseError(f"phrase {phrase!r} has no words left after normalising")
    if any(wildcards) and len(normalised) != len(words):
        raise PhraseError(
            f"phrase {phrase!r}: the spelling table rewrites a word here, so a * cannot be "
            "placed; write the words as the table spells them"
        )
    if not any(wildcards):
        return re.escape(" ".join(normalised))
    return " ".join(
        re.escape(word) + (r"\w*" if wild else "")
        for word, wild in zip(normalised, wildcards, strict=True)
    )


def _list_reference(name: str, phrase: str, lists: Mapping[str, str] | None) -> str:
    if lists is None:
        raise PhraseError(f"list entry {phrase!r} refers to another list: lists cannot nest")
    if name not in lists:
        raise PhraseError(f"phrase {phrase!r}: there is no list called {{{name}}} under lists:")
    return lists[name]
