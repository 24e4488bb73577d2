"""The educational library: articles from ``content/``, cut into snippets, searchable."""

from bot.domain.content.library import Library
from bot.domain.content.loader import ContentError, ContentProblem, load_library
from bot.domain.content.model import Article, Audience, Occasion, Source
from bot.domain.content.search import ContentIndex, Hit

__all__ = [
    "Article",
    "Audience",
    "ContentError",
    "ContentIndex",
    "ContentProblem",
    "Hit",
    "Library",
    "Occasion",
    "Source",
    "load_library",
]
