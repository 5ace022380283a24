"""Telegram HTML for answers, briefings and sources; the only place the bot formats.

Every article and user string goes through ``html.escape``. Messages longer
than Telegram's 4,096-character limit are split between sentences, never
inside one, so each part stays valid HTML.
"""

from __future__ import annotations

import re
from html import escape

from bot import texts
from bot.i18n import _
from library import ArticleRow, Briefed, Reply, SingleReply
from retrieval import (
    ATTRIBUTION,
    Answer,
    Article,
    Citation,
    CollectionAnswer,
    Highlight,
    article_marker,
    article_name,
    marker,
    source_fields,
)

MAX_MESSAGE = 4096
BULLET_LIMIT = 320  #: characters a briefing bullet may keep before clause trimming
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|\s+(?=\u2014)")


def about(article: Article) -> str:
    """The article's name, as /articles lists it: its title, else its lead's first words."""
    return article_name(article.title, article.text)


def source_line(article: Article) -> str:
    source = escape(" ".join(source_fields(article)))
    line = "<i>" + _(texts.SOURCE).format(source=source) + "</i>"
    if article.url:
        line += f' <a href="{escape(article.url, quote=True)}">{_(texts.LINK)}</a>'
    return line


def cited(
    citation: Citation, highlight: Highlight | None = None, article: int | None = None
) -> str:
    """A quoted sentence and its ``[n]`` (or ``[a:n]``) marker, the answering phrase in bold
    when known."""
    text = citation.text
    if highlight is not None and highlight.sentence == citation.sentence:
        body = (
            escape(text[: highlight.start])
            + f"<b>{escape(text[highlight.start : highlight.end])}</b>"
            + escape(text[highlight.end :])
        )
    else:
        body = escape(text)
    return f"{body} {marker(citation.sentence, article)}"


def answer_parts(answer: Answer, article: Article) -> list[str]:
    """HTML pieces of an answer (quoted sentences, then the source line), in order."""
    if answer.abstained:
        parts = [_(texts.DOESNT_SAY)]
        closest = answer.closest
        if closest is not None:
            parts.append(f"{_(texts.CLOSEST)} <i>{cited(closest)}</i>")
    else:
        parts = [cited(c, answer.highlight) for c in answer.quoted]
        if answer.near_miss:
            parts = [f"<i>{_(texts.NEAR_MISS)}</i>", *parts]
    return [*parts, source_line(article)]


def across_parts(result: CollectionAnswer) -> list[str]:
    """An answer drawn from several articles: ``[article:sentence]`` markers, one source each."""
    if result.abstained or result.best is None or result.answer is None:
        parts = [_(texts.DOESNT_SAY)]
        if result.answer is not None and result.best is not None:
            closest = result.answer.closest
            if closest is not None:
                near = cited(closest, article=result.best.key)
                parts.append(f"{_(texts.CLOSEST)} <i>{near}</i>")
        return parts
    key = result.best.key
    article = result.best.index.article
    quoted = [cited(c, result.answer.highlight, key) for c in result.answer.quoted]
    if result.answer.near_miss:
        quoted = [f"<i>{_(texts.NEAR_MISS)}</i>", *quoted]
    named = f"{article_marker(key)} \u2014 {escape(about(article))}"
    return [*quoted, named, source_line(article)]


def library_line(row: ArticleRow) -> str:
    """``1. Name — Source (published)``: one line of /articles."""
    parts = [f"<b>{row.id}</b>.", escape(row.name)]
    if row.source:
        parts.append(f"\u2014 {escape(row.source)}")
    if row.published:
        parts.append(f"({escape(row.published)})")
    parts.append(f"\u00b7 {escape(row.language)}")
    return " ".join(parts)


def briefing_parts(
    citations: tuple[Citation, ...], article: Article, *, heading: str | None = None
) -> list[str]:
    """A heading (``/brief``'s by default; ``/add`` has its own), bullets, the source."""
    if heading is None:
        heading = _(texts.BRIEF_HEADING).format(about=escape(about(article)))
    return [heading, *(_bullet(c) for c in citations), source_line(article)]


def _bullet(citation: Citation, article: int | None = None) -> str:
    return f"\u2022 {escape(trim_at_clause(citation.text))} {marker(citation.sentence, article)}"


def daily_parts(briefs: list[Briefed], count: int) -> list[str]:
    """A heading, then per article its title line and cited bullets ``[A:N]``; ``count``
    articles are new, of which ``briefs`` are shown."""
    parts = [_(texts.DAILY_HEADING).format(count=count)]
    for briefed in briefs:
        lines = [f"<b>{briefed.article_id}.</b> {escape(about(briefed.article))}"]
        lines += [_bullet(c, briefed.article_id) for c in briefed.citations]
        parts.append("\n".join(lines))
    if count > len(briefs):
        parts.append(_(texts.DAILY_MORE).format(count=count - len(briefs)))
    return parts


def digest_parts(briefs: list[Briefed], feeds: dict[int, str], count: int) -> list[str]:
    """The briefing of a chat that follows feeds: what arrived, grouped by feed (articles
    added by hand last), each article named and linked, with its cited bullets. Each part
    is whole, so ``pack`` never splits a sentence across messages."""
    groups: dict[str, list[Briefed]] = {}
    for briefed in briefs:
        groups.setdefault(feeds.get(briefed.article_id, ""), []).append(briefed)
    parts = [_(texts.DIGEST_HEADING).format(count=count, feeds=len([g for g in groups if g]))]
    for name in sorted(groups, key=lambda g: (g == "", list(groups).index(g))):
        parts.append(f"<b>{escape(name or _(texts.DIGEST_ADDED_HERE))}</b>")
        for briefed in groups[name]:
            parts.append(_digest_item(briefed))
    if count > len(briefs):
        parts.append(_(texts.DAILY_MORE).format(count=count - len(briefs)))
    return parts


def _digest_item(briefed: Briefed) -> str:
    article = briefed.article
    title = escape(about(article))
    if article.url:
        title = f'<a href="{escape(article.url, quote=True)}">{title}</a>'
    when = f" ({escape(article.published[:10])})" if article.published else ""
    lines = [f"<b>{briefed.article_id}.</b> {title}{when}"]
    lines += [_bullet(c, briefed.article_id) for c in briefed.citations]
    return "\n".join(lines)


def source_parts(article: Article, number: int) -> list[str]:
    sentence = article.sentence(number)
    start, _end = article.paragraph_spans[sentence.paragraph - 1]
    paragraph = article.paragraph_text(sentence.paragraph)
    local = sentence.start - start, sentence.end - start
    marked = (
        escape(paragraph[: local[0]])
        + f"<b>{escape(sentence.text)}</b> {marker(number)}"
        + escape(paragraph[local[1] :])
    )
    heading = _(texts.SOURCE_HEADING).format(
        number=number, count=len(article.sentences), paragraph=sentence.paragraph
    )
    return [heading, marked, source_line(article)]


def trim_at_clause(text: str, limit: int = BULLET_LIMIT) -> str:
    """Shorten a long sentence at clause boundaries, keeping a closing attribution."""
    if len(text) <= limit:
        return text
    clauses = _CLAUSE_BREAK.split(text)
    tail = clauses[-1] if len(clauses) > 1 and ATTRIBUTION.search(clauses[-1]) else ""
    kept: list[str] = []
    for clause in clauses[:-1] if tail else clauses:
        if kept and len(" ".join([*kept, clause, tail])) > limit:
            break
        kept.append(clause)
    if len(kept) == len(clauses) - (1 if tail else 0):
        return text  # no boundary helps; never cut inside a clause
    shortened = " ".join(kept).rstrip(",;:") + " \u2026"
    return f"{shortened} {tail}" if tail else shortened


def pack(parts: list[str], separator: str = "\n\n") -> list[str]:
    """Join parts into messages of at most 4,096 characters, breaking between parts."""
    messages: list[str] = []
    current = ""
    for part in parts:
        for piece in _fit(part):
            candidate = f"{current}{separator}{piece}" if current else piece
            if len(candidate) <= MAX_MESSAGE:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _fit(part: str) -> list[str]:
    """A part longer than a message (a giant sentence) is cut at spaces as a last resort."""
    if len(part) <= MAX_MESSAGE:
        return [part]
    pieces, rest = [], part
    while len(rest) > MAX_MESSAGE:
        cut = rest.rfind(" ", 0, MAX_MESSAGE)
        cut = cut if cut > 0 else MAX_MESSAGE
        pieces.append(rest[:cut])
        rest = rest[cut:].lstrip()
    return [*pieces, rest]


def reply_parts(reply: Reply) -> list[str]:
    """A library reply: from one article (``[n]``) or across the library (``[A:N]``)."""
    if isinstance(reply, SingleReply):
        return answer_parts(reply.answer, reply.article)
    parts = across_parts(reply.answer)
    if reply.reading:  # its answer may be in an article not read for it yet
        parts.append(f"<i>{_(texts.READING_ACROSS)}</i>")
    return parts
