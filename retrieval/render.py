"""Plain-text and JSON renderings for the command line (the bot has its own HTML ones)."""

from __future__ import annotations

from typing import Any

from retrieval.answers import Answer
from retrieval.article import Article
from retrieval.citations import (
    ARTICLES_DONT_SAY,
    DOESNT_SAY,
    NEAR_MISS,
    Citation,
    article_marker,
    marker,
    quoted,
    source_fields,
)
from retrieval.collection import CollectionAnswer
from retrieval.language import detect as detect_language


def source_line(article: Article) -> str:
    """``Source: The Hill — Title (2025-02-19) https://...``, with only what is known."""
    parts = source_fields(article)
    if article.url:
        parts.append(article.url)
    return "Source: " + " ".join(parts)


def answer_line(answer: Answer) -> str:
    """The quoted sentences with their markers, or that the article doesn't say."""
    return DOESNT_SAY if answer.abstained else answer.text


def answer_said(answer: Answer) -> str:
    """``answer_line`` for people: a near miss says it is the closest the article comes."""
    line = answer_line(answer)
    return f"{NEAR_MISS} {line}" if answer.near_miss else line


def source_json(article: Article) -> dict[str, Any]:
    return {
        "name": article.name,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "language": article.language,
    }


def citation_json(citation: Citation) -> dict[str, Any]:
    return {
        "sentence": citation.sentence,
        "paragraph": citation.paragraph,
        "text": citation.text,
        "score": round(citation.score, 6),
    }


def answer_text(answer: Answer, article: Article) -> str:
    lines = [answer_said(answer)]
    closest = answer.closest
    if closest is not None:
        lines.append(f"The closest it comes: {quoted([closest])}")
    lines += ["", source_line(article)]
    return "\n".join(lines)


def highlight_json(answer: Answer) -> dict[str, Any] | None:
    """The answering phrase: its sentence, character offsets within that sentence, its text."""
    found = answer.highlight
    if found is None:
        return None
    sentence = next(c.text for c in answer.quoted if c.sentence == found.sentence)
    return {
        "sentence": found.sentence,
        "start": found.start,
        "end": found.end,
        "text": found.text_in(sentence),
    }


def answer_json(answer: Answer, article: Article) -> dict[str, Any]:
    return {
        "question": answer.question,
        "question_language": detect_language(answer.question),
        "abstained": answer.abstained,
        "answer": answer_line(answer),
        "near_miss": answer.near_miss,
        "confidence": round(answer.confidence, 6),
        "highlight": highlight_json(answer),
        "quoted": [citation_json(c) for c in answer.quoted],
        "citations": [citation_json(c) for c in answer.ranked],
        "source": source_json(article),
    }


def batch_json(question_id: Any, answer: Answer) -> dict[str, Any]:
    """The stable ``batch`` contract: id, abstained, answer, citations in rank order."""
    return {
        "id": question_id,
        "abstained": answer.abstained,
        "answer": answer_line(answer),
        "citations": [citation_json(c) for c in answer.ranked],
    }


def ranked_text(citations: list[Citation]) -> str:
    return "\n".join(f"{c.score:8.3f}  {marker(c.sentence)} {c.text}" for c in citations)


def briefing_text(citations: tuple[Citation, ...], article: Article) -> str:
    bullets = [f"\u2022 {quoted([c])}" for c in citations]
    return "\n".join([*bullets, "", source_line(article)])


def briefing_json(citations: tuple[Citation, ...], article: Article) -> dict[str, Any]:
    return {
        "briefing": [citation_json(c) for c in citations],
        "source": source_json(article),
    }


def across_answer(result: CollectionAnswer) -> str:
    """The quoted sentences with ``[article:sentence]`` markers, or the abstention."""
    if result.best is None or result.answer is None or result.answer.abstained:
        return ARTICLES_DONT_SAY
    return quoted(result.answer.quoted, result.best.key)


def across_text(result: CollectionAnswer) -> str:
    """An answer from a library, then the source of the article it quotes."""
    if result.best is None or result.answer is None:
        return "The library holds no articles."
    said = across_answer(result)
    lines = [f"{NEAR_MISS} {said}" if result.answer.near_miss else said]
    closest = result.answer.closest
    if closest is not None:
        lines.append(f"The closest they come: {quoted([closest], result.best.key)}")
    lines += ["", f"{article_marker(result.best.key)} {source_line(result.best.index.article)}"]
    return "\n".join(lines)


def across_citations(result: CollectionAnswer) -> list[dict[str, Any]]:
    """Every candidate article's ranked sentences, best article first, each naming its article."""
    return [
        {"article": shelved.key, **citation_json(c)}
        for shelved, found in result.ranked
        for c in found.ranked
    ]


def across_json(result: CollectionAnswer) -> dict[str, Any]:
    best = result.best
    quoted = (
        [{"article": best.key, **citation_json(c)} for c in result.answer.quoted]
        if best is not None and result.answer is not None and not result.answer.abstained
        else []
    )
    return {
        "question": result.question,
        "question_language": detect_language(result.question),
        "abstained": result.abstained,
        "answer": across_answer(result),
        "near_miss": bool(result.answer and result.answer.near_miss),
        "confidence": round(result.answer.confidence, 6) if result.answer else 0.0,
        "highlight": highlight_json(result.answer) if result.answer else None,
        "article": best.key if best else None,
        "quoted": quoted,
        "citations": across_citations(result),
        "source": source_json(best.index.article) if best else None,
    }


def across_batch_json(question_id: Any, result: CollectionAnswer) -> dict[str, Any]:
    """The ``batch`` contract, with an ``article`` key added to each citation."""
    return {
        "id": question_id,
        "abstained": result.abstained,
        "answer": across_answer(result),
        "citations": across_citations(result),
    }


def ranked_across_text(result: CollectionAnswer, k: int) -> str:
    """The ``k`` best sentences over the candidate articles, by score."""
    rows = sorted(
        ((c.score, shelved.key, c) for shelved, found in result.ranked for c in found.ranked),
        key=lambda row: -row[0],
    )[:k]
    return "\n".join(f"{score:8.3f}  {marker(c.sentence, key)} {c.text}" for score, key, c in rows)
