"""Plain-text and JSON renderings for the command line (the bot has its own HTML ones)."""

from __future__ import annotations

from typing import Any

from retrieval.answers import Answer, Citation
from retrieval.article import Article


def source_line(article: Article) -> str:
    """``Source: The Hill — Title (2025-02-19) https://...``, with only what is known."""
    parts = [article.source or article.title or article.name]
    if article.source and article.title:
        parts.append(f"\u2014 {article.title}")
    if article.published:
        parts.append(f"({article.published})")
    if article.url:
        parts.append(article.url)
    return "Source: " + " ".join(parts)


def source_json(article: Article) -> dict[str, Any]:
    return {
        "name": article.name,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
    }


def citation_json(citation: Citation) -> dict[str, Any]:
    return {
        "sentence": citation.sentence,
        "paragraph": citation.paragraph,
        "text": citation.text,
        "score": round(citation.score, 6),
    }


def answer_text(answer: Answer, article: Article) -> str:
    lines = [answer.text]
    closest = answer.closest
    if closest is not None:
        lines.append(f"The closest it comes: {closest.text} [{closest.sentence}]")
    lines += ["", source_line(article)]
    return "\n".join(lines)


def answer_json(answer: Answer, article: Article) -> dict[str, Any]:
    return {
        "question": answer.question,
        "abstained": answer.abstained,
        "answer": answer.text,
        "quoted": [citation_json(c) for c in answer.quoted],
        "citations": [citation_json(c) for c in answer.ranked],
        "source": source_json(article),
    }


def batch_json(question_id: Any, answer: Answer) -> dict[str, Any]:
    """The stable ``batch`` contract: id, abstained, answer, citations in rank order."""
    return {
        "id": question_id,
        "abstained": answer.abstained,
        "answer": answer.text,
        "citations": [citation_json(c) for c in answer.ranked],
    }


def ranked_text(citations: list[Citation]) -> str:
    return "\n".join(f"{c.score:8.3f}  [{c.sentence}] {c.text}" for c in citations)


def briefing_text(citations: tuple[Citation, ...], article: Article) -> str:
    bullets = [f"\u2022 {c.text} [{c.sentence}]" for c in citations]
    return "\n".join([*bullets, "", source_line(article)])


def briefing_json(citations: tuple[Citation, ...], article: Article) -> dict[str, Any]:
    return {
        "briefing": [citation_json(c) for c in citations],
        "source": source_json(article),
    }
