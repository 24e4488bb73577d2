"""Finding the article a patient means, in memory, forgiving small typos.

Each article's words are indexed once at start, weighted by where they appear (title and tags
count most, then the summary, then the text). A query word that is not in the index is matched
to the closest indexed words by edit distance (rapidfuzz), so ``migrane`` finds ``migraine``.
Scores add up per article, each word weighted by how rare it is across the library.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.domain.content.model import Article, Audience

WORD = re.compile(r"[a-z0-9]+")
TAG = re.compile(r"<[^>]+>")
FIELD_WEIGHTS = {"title": 4.0, "tags": 4.0, "summary": 2.0, "text": 1.0}
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "about", "can", "do", "does", "for", "from", "how", "i", "in",
    "is", "it", "me", "my", "of", "on", "or", "the", "to", "what", "when", "which", "who",
    "why", "with", "you", "your", "this", "that", "there", "be",
})  # fmt: skip
TYPO_SIMILARITY = 80  # rapidfuzz ratio, 0-100
SHORTEST_FUZZY_WORD = 4
NEAREST_WORDS = 3


def terms(text: str) -> list[str]:
    """Lower-case words without stop words, crudely stemmed so plurals and -ing forms meet."""
    return [_stem(word) for word in WORD.findall(text.lower()) if word not in STOP_WORDS]


def _stem(word: str) -> str:
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    page: int  # 1-based: the snippet that matches the query best


class ContentIndex:
    def __init__(self, articles: Iterable[Article], audience: Audience = Audience.PATIENT) -> None:
        self.articles = [a for a in articles if a.audience == audience]
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        for number, article in enumerate(self.articles):
            fields = {
                "title": article.title,
                "tags": " ".join(article.tags),
                "summary": article.summary,
                "text": article.text,
            }
            for field, text in fields.items():
                for term in terms(text):
                    postings = self._postings[term]
                    postings[number] = postings.get(number, 0.0) + FIELD_WEIGHTS[field]
        self._vocabulary = list(self._postings)
        self._snippet_terms = [
            [set(terms(TAG.sub(" ", snippet))) for snippet in article.snippets]
            for article in self.articles
        ]

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        wanted = terms(query)
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, set[str]] = defaultdict(set)
        for term in wanted:
            for indexed, similarity in self._nearest(term):
                postings = self._postings[indexed]
                rarity = math.log(1 + len(self.articles) / len(postings))
                for number, weight in postings.items():
                    # Diminishing returns for a word repeated in one article.
                    scores[number] += similarity * rarity * math.log(1 + weight)
                    matched[number].add(indexed)
        ranked = sorted(scores, key=lambda number: (-scores[number], self.articles[number].title))
        return [
            Hit(self.articles[n], round(scores[n], 3), self._best_page(n, matched[n]))
            for n in ranked[:limit]
        ]

    def related(self, article: Article, limit: int = 1) -> list[Article]:
        """Other articles closest to this one, by its title and tags."""
        hits = self.search(" ".join((article.title, *article.tags)), limit=limit + 1)
        return [hit.article for hit in hits if hit.article.id != article.id][:limit]

    def _nearest(self, term: str) -> list[tuple[str, float]]:
        if term in self._postings:
            return [(term, 1.0)]
        if len(term) < SHORTEST_FUZZY_WORD:
            return []
        found = process.extract(
            term,
            self._vocabulary,
            scorer=fuzz.ratio,
            score_cutoff=TYPO_SIMILARITY,
            limit=NEAREST_WORDS,
        )
        return [(word, score / 100 * 0.8) for word, score, _ in found]

    def _best_page(self, number: int, matched: set[str]) -> int:
        pages = self._snippet_terms[number]
        best = max(range(len(pages)), key=lambda page: (len(pages[page] & matched), -page))
        return best + 1
