"""One canonical form for what patients type and for the phrases clinicians write.

People write in a hurry, in pain, on a phone: "don't" (with a straight or a curly apostrophe)
and "dont"; "dieeee"; "k1ll"; "kms". The phrases in ``prompts/safety/rules.yaml`` are written
once, naturally. Both sides go through the same steps, so a phrase matches however the patient
spelt it:

1. Unicode NFKC, accents dropped, case folded, curly quotes made plain.
2. Stand-in characters inside words read as letters ("k1ll", "su!cide", "k*ll", "$uicide"),
   and a "2" between words read as "to" ("want2die"); numbers on their own stay numbers ("7",
   "9/10", "3am", "10mg").
3. "'ll", "'d", "'re", "'m" and "'ve" are written out ("i'll" -> "i will", never "ill"); other
   apostrophes inside words are dropped ("don't" -> "dont"); all other punctuation, emoji and
   symbols become spaces.
4. Runs of three or more of one letter are cut to one ("dieeee" -> "die", "kmsss" -> "kms"),
   and three or more single letters in a row are joined ("d i e" -> "die").
5. The spelling table from the rules file turns abbreviations and common misspellings into
   plain words ("kms" -> "kill myself", "dont" -> "do not"); see :class:`Normaliser`.
6. Words a letter or two away from a few key words ("sucidal") become those words; for
   four-letter key words only two swapped letters count ("wnat", "lfie").
7. Runs of one letter are cut to one ("kill" -> "kil", "better off" -> "beter of"), so "kil"
   typed in a hurry meets "kill". This comes last, after the table: "odd" must not become "od"
   (an overdose) before the table is read.

:func:`normalise` applies the fixed steps only (1-4 and 7); :class:`Normaliser` adds the table
and the typo tolerance that the rules file configures.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from rapidfuzz.distance import OSA

# Curly and look-alike apostrophes (right, left, reversed, modifier, prime, grave, acute) and
# curly double quotes.
QUOTES = str.maketrans(
    {
        **dict.fromkeys("\u2019\u2018\u201b\u02bc\u2032`\u00b4", "'"),
        **dict.fromkeys("\u201c\u201d", '"'),
    }
)
# Characters people use in place of letters, inside words only.
STAND_INS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s"}
# Used to censor or decorate a word ("k*ll", "su!cide"): read as "i" only between letters.
MASKS = {"*": "i", "!": "i"}
WORDISH = re.compile(r"[\w@$*!]+")
# "want2die", "need2end": a 2 with two or more letters on each side is the word "to".
TWO_AS_TO = re.compile(r"(?<=[^\W\d_]{2})2(?=[^\W\d_]{2})")
APOSTROPHE_IN_WORD = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
# Endings that are unambiguous only while the apostrophe is there: "i'll" is "i will", but "ill"
# is a word of its own; "i'd", "we're", "i'm", "i've" likewise. "n't" and "'s" are left joined
# ("dont", "shes") for the spelling table.
CONTRACTION = re.compile(r"(?<=[^\W\d_])'(ll|d|re|m|ve)\b")
CONTRACTIONS = {"ll": " will", "d": " would", "re": " are", "m": " am", "ve": " have"}
NOT_A_WORD_CHARACTER = re.compile(r"[\W_]+")
LONG_RUN = re.compile(r"([^\W\d_])\1{2,}")
ANY_RUN = re.compile(r"([^\W\d_])\1+")
TWO_DIGITS = re.compile(r"\d\d")
SPELT_OUT = 3  # single letters in a row that are read as one word

# Typo tolerance: words shorter than this are never "corrected" (too many real neighbours),
# and words shorter than ONLY_SWAPS_BELOW only when two neighbouring letters are swapped
# ("wnat" -> "want", but never "went" -> "want").
SHORTEST_TYPO = 4
ONLY_SWAPS_BELOW = 5
# A word this long or longer may be two edits away; shorter ones only one.
TWO_EDITS_FROM = 8
TYPO_CACHE_LIMIT = 20_000


def normalise(text: str) -> str:
    """The fixed steps (no spelling table): case, characters, punctuation, repeated letters."""
    return collapse_repeats(" ".join(squeezed_words(text)))


def squeezed_words(text: str) -> list[str]:
    """Steps 1-4: the words of ``text``, with runs of three or more letters cut to one."""
    text = unicodedata.normalize("NFKC", text).translate(QUOTES).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    text = TWO_AS_TO.sub(" to ", text)
    text = WORDISH.sub(_read_stand_ins, text)
    text = CONTRACTION.sub(lambda found: CONTRACTIONS[found.group(1)], text)
    text = APOSTROPHE_IN_WORD.sub("", text)
    text = text.replace("&", " and ")
    words = [LONG_RUN.sub(r"\1", word) for word in NOT_A_WORD_CHARACTER.sub(" ", text).split()]
    return _join_spelt_out(words)


def _join_spelt_out(words: list[str]) -> list[str]:
    """Three or more single letters in a row are one word spelt out: "d i e", "k m s"."""
    joined: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        joined += ["".join(run)] if len(run) >= SPELT_OUT else run
        run = []
        if word:
            joined.append(word)
    return joined


def collapse_repeats(text: str) -> str:
    """Step 7: every run of one letter becomes a single letter; digits are left alone."""
    return ANY_RUN.sub(r"\1", text)


def _read_stand_ins(match: re.Match[str]) -> str:
    """Read "k1ll", "h3ll0", "$uicide" and "k*ll" as words, but leave "3am", "10mg", "m4" alone.

    Only a run that starts with a letter (or "@", "$"), has at least two letters and no number
    of two digits or more is read this way; a digit becomes a letter only next to a letter.
    """
    run = match.group()
    if not (run[0].isalpha() or run[0] in "@$"):
        return run
    if sum(ch.isalpha() for ch in run) < 2 or TWO_DIGITS.search(run):
        return run
    chars = list(run)
    for i, ch in enumerate(chars):
        before = chars[i - 1] if i > 0 else ""
        after = chars[i + 1] if i + 1 < len(chars) else ""
        if ch in STAND_INS and (i == 0 or before.isalpha() or after.isalpha()):
            chars[i] = STAND_INS[ch]
        elif ch in MASKS and before.isalpha() and (after.isalpha() or after in STAND_INS):
            chars[i] = MASKS[ch]
    return "".join(chars)


class Normaliser:
    """The full canonical form: the fixed steps plus the rules file's spelling table and typos.

    ``words`` maps what people type ("kms", "dont", "my self") to plain words ("kill myself",
    "do not", "myself"); keys may be several words. ``typo_words`` are the few key words whose
    near misses count as the word ("sucidal" -> "suicidal"); ``real_words`` are never treated as
    typos of them.
    """

    def __init__(
        self,
        words: Mapping[str, str] | None = None,
        typo_words: Iterable[str] = (),
        real_words: Iterable[str] = (),
    ) -> None:
        self._words: dict[str, str] = {}
        for typed, plain in (words or {}).items():
            self._words[" ".join(squeezed_words(typed))] = " ".join(squeezed_words(plain))
        keys = sorted((key for key in self._words if key), key=len, reverse=True)
        alternatives = "|".join(re.escape(key) for key in keys)
        self._table = re.compile(rf"(?<!\S)(?:{alternatives})(?!\S)") if keys else None
        self._typo_targets = tuple(word for raw in typo_words for word in squeezed_words(raw))
        self._not_typos = frozenset(
            {word for raw in real_words for word in squeezed_words(raw)} | set(self._typo_targets)
        )
        self._typo_cache: dict[str, str] = {}

    def table_key(self, typed: str) -> str:
        """How a spelling-table key is stored (and looked up): used to spot duplicate keys."""
        return " ".join(squeezed_words(typed))

    def __call__(self, text: str) -> str:
        return self._normalise(text, typos=True)

    def without_typos(self, text: str) -> str:
        """As ``__call__`` but no typo correction: for word stems in phrases ("suicid*")."""
        return self._normalise(text, typos=False)

    def _normalise(self, text: str, *, typos: bool) -> str:
        joined = " ".join(squeezed_words(text))
        if self._table is not None:
            joined = self._table.sub(lambda found: self._words[found.group()], joined)
        if typos and self._typo_targets:
            joined = " ".join(self._correct(word) for word in joined.split())
        return collapse_repeats(joined)

    def _correct(self, word: str) -> str:
        """A near miss of a key word becomes that word; everything else is left as typed."""
        if len(word) < SHORTEST_TYPO or word in self._not_typos or not word.isalpha():
            return word
        cached = self._typo_cache.get(word)
        if cached is not None:
            return cached
        corrected = word
        for target in self._typo_targets:
            limit = 2 if len(target) >= TWO_EDITS_FROM else 1
            if target[0] != word[0] or abs(len(target) - len(word)) > limit:
                continue
            if len(target) < ONLY_SWAPS_BELOW and sorted(word) != sorted(target):
                continue
            if OSA.distance(word, target, score_cutoff=limit) <= limit:
                corrected = target
                break
        if len(self._typo_cache) < TYPO_CACHE_LIMIT:
            self._typo_cache[word] = corrected
        return corrected
