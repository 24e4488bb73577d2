"""/learn: the article library as a topic menu, a forgiving search, pages and sources.

The library holds general, sourced information, no personal data, so anyone may read it,
before consent too, and inline queries (``@bot aura``) let a patient share a snippet.
"""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode

from bot.domain.content import Article, Occasion
from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.incoming import pressed
from bot.handlers.replies import acknowledge_press, send
from bot.render import Message

INLINE_RESULTS = 5
INLINE_CACHE_SECONDS = 300


async def learn(update: Update, context: BotContext) -> None:
    query = " ".join(context.args or [])
    if not query.strip():
        await send_topics(update, context, Message.LEARN_MENU)
        return
    hits = context.services.library.search(query, limit=1)
    if not hits:
        await send_topics(update, context, Message.LEARN_NO_MATCH, query=query)
        return
    await send_page(update, context, hits[0].article, hits[0].page)


async def learn_pressed(update: Update, context: BotContext) -> None:
    callback = pressed(update)
    library = context.services.library
    notices = context.services.prompts.ui.notices
    if callback is None:
        await acknowledge_press(update, context, notices.stale_button)
        return
    if callback.value == keyboards.TOPICS:
        await _answer(update)
        await send_topics(update, context, Message.LEARN_MENU)
        return
    article = library.patient_article(callback.token)
    if article is None:
        await _answer(update, notices.article_gone)
        return
    await _answer(update)
    value = callback.value
    if value == keyboards.SOURCES:
        await send(
            update, context, Message.LEARN_SOURCES, title=article.title, sources=article.sources
        )
    elif value == keyboards.MORE:
        related = library.index.related(article)
        if related:
            await send_page(update, context, related[0], 1)
        else:
            await send_topics(update, context, Message.LEARN_MENU)
    elif value.removeprefix(keyboards.TURN).isdigit():
        page = min(max(int(value.removeprefix(keyboards.TURN)), 1), article.pages)
        if value.startswith(keyboards.TURN):
            await _turn_page(update, context, article, page)
        else:
            await send_page(update, context, article, page)


async def inline_learn(update: Update, context: BotContext) -> None:
    """``@bot aura`` in any chat: the best snippets, ready to share."""
    inline = update.inline_query
    if inline is None:
        return
    library = context.services.library
    if inline.query.strip():
        found = [(hit.article, hit.page) for hit in library.search(inline.query, INLINE_RESULTS)]
    else:
        found = [(article, 1) for article in library.for_patients()[:INLINE_RESULTS]]
    results = [
        InlineQueryResultArticle(
            id=f"{article.id}:{page}"[:64],
            title=article.title,
            description=article.summary,
            input_message_content=InputTextMessageContent(
                page_text(context, article, page), parse_mode=ParseMode.HTML
            ),
        )
        for article, page in found
    ]
    await inline.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=False)


async def offer(update: Update, context: BotContext, occasion: Occasion) -> None:
    """Offer, never push: one line and a button, only if the library has an article for it."""
    article = context.services.library.offered_on(occasion)
    if article is None:
        return
    ui = context.services.prompts.ui
    await send(
        update,
        context,
        Message.LEARN_OFFER,
        keyboards.learn_offer(ui, article.id),
        occasion=occasion.value,
        title=article.title,
    )


async def send_topics(
    update: Update, context: BotContext, template: Message, **variables: str
) -> None:
    articles = [(a.id, a.title) for a in context.services.library.for_patients()]
    keyboard = keyboards.learn_topics(context.services.prompts.ui, articles)
    await send(update, context, template, keyboard, **variables)


async def send_page(update: Update, context: BotContext, article: Article, page: int) -> None:
    ui = context.services.prompts.ui
    keyboard = keyboards.learn_page(ui, article.id, page, article.pages)
    await send(update, context, Message.LEARN_PAGE, keyboard, **_page_variables(article, page))


def page_text(context: BotContext, article: Article, page: int) -> str:
    return context.services.prompts.renderer.message(
        Message.LEARN_PAGE, **_page_variables(article, page)
    )


async def _turn_page(update: Update, context: BotContext, article: Article, page: int) -> None:
    query = update.callback_query
    if query is None:
        return
    ui = context.services.prompts.ui
    await query.edit_message_text(
        page_text(context, article, page),
        reply_markup=keyboards.learn_page(ui, article.id, page, article.pages),
    )


def _page_variables(article: Article, page: int) -> dict[str, object]:
    return {
        "title": article.title,
        "page": page,
        "pages": article.pages,
        "snippet": article.snippets[page - 1],
    }


async def _answer(update: Update, notice: str | None = None) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(notice)
