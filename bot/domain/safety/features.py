"""The features the second screen reads: words, word pairs, letter runs and the rules' concepts.

The classifier (:mod:`.model`) is a weighted sum over the features a message has, so each must
be something a person can read back when asking "why was this flagged?". All are taken from the
*prepared* text the rules see (normalised with the rules file's spelling table, everyday sayings
such as "killing me" cut out), so training and screening read exactly the same thing:

- ``w:word`` every word, ``b:word word`` every pair of neighbouring words;
- ``c:xyz`` runs of 3 to 5 letters inside a word, padded with spaces (``c: kil``), so a word
  never seen in training ("unaliving", "sewerslid") still shares most of its pieces with one
  that was;
- ``L:name`` when any entry of the rules file's list ``name`` appears (``L:death``,
  ``L:high_place``): the concepts clinicians already wrote down, so "the bridge" and "the
  multi storey" count alike; and ``P:a&b`` when two lists appear together (``P:desire&death``),
  the combinations the rules' patterns are built from.

Nothing reaches across a cut-out saying: the text is read in the pieces either side of it.
Changing what this module produces changes every feature: bump :data:`FEATURES_VERSION` and
retrain (``python -m bot safety train``); a model file of another version will not load.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FEATURES_VERSION = "words-pairs-letters3to5-concepts-v1"
SHORTEST_LETTER_RUN = 3
LONGEST_LETTER_RUN = 5
# The rules put this where an everyday saying was cut out (see ``rules.BARRIER``).
PIECE_SEPARATOR = "|"

Concepts = Sequence[tuple[str, re.Pattern[str]]]


def message_features(prepared: str, concepts: Concepts) -> set[str]:
    """Every feature of one prepared message (see the module docstring for what each means)."""
    found: set[str] = set()
    pieces = [" ".join(piece.split()) for piece in prepared.split(PIECE_SEPARATOR)]
    for piece in pieces:
        _add_words(found, piece.split())
    present = [name for name, pattern in concepts if any(pattern.search(piece) for piece in pieces)]
    found.update(f"L:{name}" for name in present)
    found.update(
        f"P:{first}&{second}" for i, first in enumerate(present) for second in present[i + 1 :]
    )
    return found


def _add_words(found: set[str], words: list[str]) -> None:
    for index, word in enumerate(words):
        found.add(f"w:{word}")
        if index + 1 < len(words):
            found.add(f"b:{word} {words[index + 1]}")
        padded = f" {word} "
        for size in range(SHORTEST_LETTER_RUN, LONGEST_LETTER_RUN + 1):
            for start in range(len(padded) - size + 1):
                found.add(f"c:{padded[start : start + size]}")
