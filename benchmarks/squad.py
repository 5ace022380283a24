"""Loading the shared SQuAD file the way ../shared/README.md prescribes."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from retrieval import Article, ArticleIndex, parse_article
from retrieval.multilingual import MODEL_SHA256, MeaningVectors, embed_meaning
from retrieval.vectors import ArticleVectors, model_id

DEFAULT_PATH = Path(__file__).resolve().parents[1].parent / "shared/bench/squad-v1.1-dev-half.json"


@dataclass(frozen=True)
class Question:
    text: str
    answers: tuple[str, ...]  #: gold answer texts, whitespace-normalised


@dataclass(frozen=True)
class SquadArticle:
    article: Article
    questions: tuple[Question, ...]
    #: Each paragraph's text with the questions written for it.
    paragraphs: tuple[tuple[str, tuple[Question, ...]], ...] = ()


def normalise(text: str) -> str:
    return " ".join(text.split())


def load_squad(path: Path) -> list[SquadArticle] | None:
    """The articles, or ``None`` (after saying why) when the file is not there."""
    if not path.is_file():
        print(f"skipped: {path} not found (it lives in ../shared/bench/)", file=sys.stderr)
        return None
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    articles = []
    for entry in data:
        text = "\n\n".join(p["context"] for p in entry["paragraphs"])
        paragraphs = tuple(
            (
                p["context"],
                tuple(
                    Question(qa["question"], tuple(normalise(a["text"]) for a in qa["answers"]))
                    for qa in p["qas"]
                ),
            )
            for p in entry["paragraphs"]
        )
        questions = tuple(q for _, asked in paragraphs for q in asked)
        article = parse_article(text, name=entry["title"])
        articles.append(SquadArticle(article, questions, paragraphs))
    return articles


def hits(question: Question, sentences: list[str]) -> list[bool]:
    """For each cited sentence (normalised), whether it holds a gold answer."""
    return [any(gold in sentence for gold in question.answers) for sentence in sentences]


CACHE = Path(__file__).resolve().parent / ".cache"


def indexed(article: Article) -> ArticleIndex:
    """The article's index with its vectors, kept on disk between benchmark runs.

    Embedding the twelve SQuAD articles takes about a minute; the cache is keyed
    by the vectors' model id and the article text, so a new model or projection
    never reuses old vectors.
    """
    key = hashlib.sha256(f"{model_id()}\n{article.text}".encode()).hexdigest()[:24]
    path = CACHE / f"{key}.npz"
    if path.is_file():
        stored = ArticleVectors.from_bytes(path.read_bytes(), len(article.sentences))
        if stored is not None:
            return ArticleIndex(article, vectors=stored)
    index = ArticleIndex(article)
    vectors = index.embed_all()
    assert vectors is not None
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(vectors.to_bytes())
    return index


def meaning_indexed(article: Article) -> ArticleIndex:
    """The article's index with the multilingual model's vectors (and no English ones),
    kept on disk between runs like ``indexed``'s."""
    key = hashlib.sha256(f"{MODEL_SHA256}\n{article.text}".encode()).hexdigest()[:24]
    path = CACHE / f"meaning-{key}.bin"
    sentences, paragraphs = len(article.sentences), len(article.paragraph_spans)
    if path.is_file():
        stored = MeaningVectors.from_bytes(path.read_bytes(), sentences, paragraphs)
        if stored is not None:
            return ArticleIndex(article, meaning=stored)
    meaning = embed_meaning(article)
    CACHE.mkdir(exist_ok=True)
    path.write_bytes(meaning.to_bytes())
    return ArticleIndex(article, meaning=meaning)
