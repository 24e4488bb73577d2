"""Reading every article in ``content/``, checked whole: the library loads, or nothing does.

``python -m bot content check`` and start-up run the same code, so an article that passes the
check is exactly what patients will read.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import frontmatter
from pydantic import Field, HttpUrl, ValidationError, field_validator

from bot.domain.content.markup import internal_links, to_html, to_plain
from bot.domain.content.model import Article, Audience, Occasion, Source
from bot.domain.content.snippets import SNIPPET_LIMIT, SentenceTooLongError, split_snippets
from bot.file_problems import FileProblem, FileProblems
from bot.yaml_files import StrictModel
from bot.yaml_lines import YamlLineError, describe_problem, line_of, load_with_lines

ARTICLE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOT_ARTICLES = {"README.md"}
UNSUPPORTED = re.compile(r"^(#{1,6} |<|\|)", re.MULTILINE)


class SourceSpec(StrictModel):
    title: str = Field(min_length=3)
    author: str = Field(min_length=2)
    year: int = Field(ge=1900, le=2100)
    url: HttpUrl


class ArticleSpec(StrictModel):
    title: str = Field(min_length=3, max_length=80)
    summary: str = Field(min_length=10, max_length=200)
    tags: list[str] = Field(min_length=1)
    audience: Audience
    sources: list[SourceSpec] = Field(min_length=1)
    reviewed: date
    offer: Occasion | None = None

    @field_validator("tags", mode="before")
    @classmethod
    def _numbers_are_words_too(cls, value: object) -> object:
        # A tag such as 911 reads as a number in YAML; it is still a word people search for.
        return [str(tag) for tag in value] if isinstance(value, list) else value


ContentProblem = FileProblem


class ContentError(FileProblems):
    """At least one article cannot be used."""


def load_library(content_dir: Path) -> dict[str, Article]:
    """Every ``content/*.md`` except the README, keyed by file name; ContentError on any
    problem in any file (missing front matter, no source, a sentence too long for a snippet,
    a link to an article that does not exist, two articles offered on one occasion)."""
    paths = sorted(p for p in content_dir.glob("*.md") if p.name not in NOT_ARTICLES)
    if not paths:
        raise ContentError([ContentProblem(content_dir, 0, "no articles (*.md) here")])
    articles: dict[str, Article] = {}
    problems: list[ContentProblem] = []
    links: dict[str, tuple[Path, int, list[str]]] = {}
    for path in paths:
        article, found, linked = _load_one(path)
        problems += found
        if article is not None:
            articles[article.id] = article
            links[article.id] = (path, linked[0], linked[1])
    for path, line, targets in links.values():
        for target in targets:
            if target not in articles and not (path.parent / f"{target}.md").exists():
                problems.append(
                    ContentProblem(path, line, f"links to {target}.md, which does not exist")
                )
    problems += _occasions_offered_twice(articles, content_dir)
    if problems:
        raise ContentError(sorted(problems))
    return articles


def _load_one(path: Path) -> tuple[Article | None, list[ContentProblem], tuple[int, list[str]]]:
    no_links: tuple[int, list[str]] = (0, [])
    if not ARTICLE_ID.match(path.stem):
        message = (
            "the file name must be lower case words joined by hyphens, like what-is-migraine.md"
        )
        return None, [ContentProblem(path, 1, message)], no_links
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [ContentProblem(path, 0, f"cannot be read ({type(error).__name__})")], no_links
    if not text.startswith("---"):
        return (
            None,
            [ContentProblem(path, 1, "must start with front matter between --- lines")],
            no_links,
        )
    header, body = frontmatter.YAMLHandler().split(text)
    # Lines are counted in the file: the header starts after the opening ---, the body is
    # what ends the file.
    header_line = text.count("\n", 0, text.index(header)) + 1
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    try:
        tree = load_with_lines(header)
    except YamlLineError as error:
        return None, [ContentProblem(path, header_line + error.line - 1, error.problem)], no_links
    try:
        spec = ArticleSpec.model_validate(tree if isinstance(tree, dict) else {})
    except ValidationError as error:
        found = [
            ContentProblem(
                path, header_line + line_of(tree, problem["loc"]) - 1, describe_problem(problem)
            )
            for problem in error.errors(include_url=False)
        ]
        return None, found, no_links
    problems = _body_problems(path, body, body_line)
    try:
        snippets = split_snippets(body)
    except SentenceTooLongError as too_long:
        problems.append(
            ContentProblem(
                path,
                body_line + body[: body.find(too_long.sentence)].count("\n"),
                f"a sentence of {len(too_long.sentence)} characters cannot fit one snippet "
                f"({SNIPPET_LIMIT} at most): split it",
            )
        )
        return None, problems, no_links
    if not snippets:
        problems.append(ContentProblem(path, body_line, "the article has no text"))
    article = Article(
        id=path.stem,
        title=spec.title,
        summary=spec.summary,
        tags=tuple(tag.strip().lower() for tag in spec.tags),
        audience=spec.audience,
        sources=tuple(Source(s.title, s.author, s.year, str(s.url)) for s in spec.sources),
        reviewed=spec.reviewed,
        offer=spec.offer,
        snippets=tuple(to_html(snippet) for snippet in snippets),
        text=to_plain(body),
    )
    return (article if not problems else None), problems, (body_line, internal_links(body))


def _body_problems(path: Path, body: str, first_line: int) -> list[ContentProblem]:
    return [
        ContentProblem(
            path,
            first_line + body[: match.start()].count("\n"),
            "headings, tables and HTML are not supported in articles: use plain paragraphs",
        )
        for match in UNSUPPORTED.finditer(body)
    ]


def _occasions_offered_twice(
    articles: dict[str, Article], content_dir: Path
) -> list[ContentProblem]:
    offered: dict[Occasion, str] = {}
    problems = []
    for article in articles.values():
        if article.offer is None:
            continue
        if article.offer in offered:
            problems.append(
                ContentProblem(
                    content_dir / f"{article.id}.md",
                    0,
                    f"offer: {article.offer} is already used by {offered[article.offer]}.md; "
                    "one article per occasion",
                )
            )
        offered[article.offer] = article.id
    return problems
