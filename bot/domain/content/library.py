"""The loaded library as the rest of the bot uses it: look up, search, and offer by occasion."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.domain.content.loader import load_library
from bot.domain.content.model import Article, Audience, Occasion
from bot.domain.content.search import ContentIndex, Hit


@dataclass(frozen=True)
class Library:
    articles: dict[str, Article]
    index: ContentIndex = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", ContentIndex(self.articles.values()))

    @classmethod
    def load(cls, content_dir: Path) -> Library:
        return cls(load_library(content_dir))

    def for_patients(self) -> list[Article]:
        """The menu: patient articles by title."""
        return sorted(self.index.articles, key=lambda article: article.title)

    def patient_article(self, article_id: str) -> Article | None:
        article = self.articles.get(article_id)
        return article if article is not None and article.audience == Audience.PATIENT else None

    def search(self, query: str, limit: int = 5) -> list[Hit]:
        return self.index.search(query, limit)

    def offered_on(self, occasion: Occasion) -> Article | None:
        return next((a for a in self.index.articles if a.offer == occasion), None)
