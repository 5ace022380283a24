"""SQuAD v1.1 train as reading groups: a question and a few sentences of its article.

Each group holds the sentence that contains the answer and three others from
the same article (two of them among the sentences BM25 ranks highest for the
question: the hard negatives the reader must learn to tell apart), or, for an
unanswerable group, four sentences none of which can answer: the question's
own article with the answering paragraph taken out (hard), or another
article (easy). SQuAD v1.1 has no unanswerable questions; these stand in.

Articles are split exactly as the product splits them (``parse_article`` on
paragraphs joined by a blank line), so the reader learns on the sentences it
will be asked to read.
"""

from __future__ import annotations

import functools
import json
import pickle
import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

from retrieval import ArticleIndex, analyze, parse_article
from training.bases import MINILM, Base

REPO = Path(__file__).resolve().parents[1]
TOKENIZER = REPO / "retrieval" / "models" / "all-MiniLM-L6-v2.tokenizer.json"
#: Hard negatives are drawn from this many of BM25's best non-answers.
HARD_POOL = 6
#: Share of questions that also get an unanswerable group: paragraph removed, other article.
HARD_NULL, EASY_NULL = 0.20, 0.05
GROUP = 4


@dataclass
class Article:
    sentences: list[np.ndarray]  #: WordPiece ids of each sentence, no specials
    offsets: list[np.ndarray]  #: (n, 2) character span of each token in its sentence
    paragraph_of: np.ndarray  #: each sentence's paragraph, 0-based


@dataclass
class Group:
    article: int
    question: np.ndarray  #: WordPiece ids, no specials
    candidates: list[int]  #: sentence numbers (0-based) in the article
    answer: int  #: index into ``candidates`` of the answering sentence, -1 for none
    span: tuple[int, int] = (-1, -1)  #: answer's character span within that sentence


@dataclass
class Prepared:
    articles: list[Article] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    base: str = "minilm"  #: whose tokeniser wrote the ids (training/bases.py)


@functools.cache
def tokenizer() -> Tokenizer:
    found = Tokenizer.from_file(str(TOKENIZER))
    found.no_padding()
    found.no_truncation()
    return found


def squad_articles(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["data"]


def prepare(squad: Path, out: Path, seed: int = 13, base: Base = MINILM) -> Prepared:
    """Read SQuAD train, build every group, and pickle them to ``out``."""
    rng = random.Random(seed)
    prepared = Prepared(base=base.name)
    raw = squad_articles(squad)
    bodies: list[tuple[ArticleIndex, list[int]]] = []
    for number, item in enumerate(raw):
        texts = [p["context"].strip() for p in item["paragraphs"]]
        starts, cursor = [], 0
        for text in texts:
            starts.append(cursor)
            cursor += len(text) + 2
        article = parse_article("\n\n".join(texts), name=item.get("title", str(number)))
        index = ArticleIndex(article, semantic=False)
        encodings = base.encode([s.text for s in article.sentences])
        prepared.articles.append(
            Article(
                sentences=[np.array(e.ids, np.int32) for e in encodings],
                offsets=[np.array(e.offsets, np.int32).reshape(-1, 2) for e in encodings],
                paragraph_of=np.array(
                    [_paragraph(starts, s.start) for s in article.sentences], np.int32
                ),
            )
        )
        bodies.append((index, starts))
    for number, item in enumerate(raw):
        index, starts = bodies[number]
        article = index.article
        for p, paragraph in enumerate(item["paragraphs"]):
            lead = len(paragraph["context"]) - len(paragraph["context"].lstrip())
            for qa in paragraph["qas"]:
                answer = qa["answers"][0]
                start = starts[p] + answer["answer_start"] - lead
                end = start + len(answer["text"])
                holder = next(
                    (s for s in article.sentences if s.start <= start and end <= s.end), None
                )
                if holder is None:
                    continue  # an answer across two sentences: no one sentence holds it
                question = np.array(base.encode([qa["question"]])[0].ids, np.int32)
                scores = index.bm25(analyze(qa["question"]))[0]
                ranked = [int(i) for i in np.argsort(-scores, kind="stable")]
                positive = holder.number - 1
                others = [i for i in ranked if i != positive]
                hard = rng.sample(others[:HARD_POOL], min(2, len(others[:HARD_POOL])))
                rest = [i for i in others if i not in hard]
                picked = hard + rng.sample(rest, min(GROUP - 1 - len(hard), len(rest)))
                candidates = [positive, *picked]
                rng.shuffle(candidates)
                prepared.groups.append(
                    Group(
                        article=number,
                        question=question,
                        candidates=candidates,
                        answer=candidates.index(positive),
                        span=(start - holder.start, end - holder.start),
                    )
                )
                chance = rng.random()
                if chance < HARD_NULL:
                    elsewhere = [
                        i for i in ranked if prepared.articles[number].paragraph_of[i] != p
                    ][:GROUP]
                    if len(elsewhere) == GROUP:
                        prepared.groups.append(Group(number, question, elsewhere, -1))
                elif chance < HARD_NULL + EASY_NULL:
                    other = rng.choice([i for i in range(len(raw)) if i != number])
                    their = bodies[other][0].bm25(analyze(qa["question"]))[0]
                    top = [int(i) for i in np.argsort(-their, kind="stable")[:GROUP]]
                    if len(top) == GROUP:
                        prepared.groups.append(Group(other, question, top, -1))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as file:
        pickle.dump(prepared, file, protocol=pickle.HIGHEST_PROTOCOL)
    return prepared


def _paragraph(starts: list[int], offset: int) -> int:
    return max(i for i, start in enumerate(starts) if start <= offset)


def load(path: Path) -> Prepared:
    with path.open("rb") as file:
        found: Prepared = pickle.load(file)  # our own file, written by ``prepare``
    return found
