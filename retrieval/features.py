"""The evidence the learned ranker weighs: one row of numbers per candidate sentence.

Candidates are an article's best sentences by a cheap first pass over every
sentence (BM25 of the sentence and its paragraph, plus, with vectors, the
question's similarity to each sentence in context and to its passage). Only
they get the costlier evidence: late interaction over token vectors and the
question-type cues. The same code computes the rows for training
(training/ranker.py) and for every question at run time, so the weights
shipped in ``models/ranker.json`` always see the numbers they were fitted on.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np

from retrieval.analysis import analyze
from retrieval.context import stands_alone
from retrieval.cues import CUE_NAMES, QuestionCues
from retrieval.index import ArticleIndex
from retrieval.language import script
from retrieval.multilingual import MeaningVectors, question_vector
from retrieval.semantic import CLS, SEP, TokenStates, shared_encoder
from retrieval.stopwords import STOP_WORDS
from retrieval.vectors import ArticleVectors, project_tokens

#: Sentences that get the full evidence; the first pass finds the answer among
#: them for 99 % of SQuAD questions.
CANDIDATES = 30
#: Question words that only frame a question ("how *many*", "what is it *called*"):
#: ranked on, but not evidence that the article is about the question's subject.
QUESTION_FRAME_TERMS = frozenset(
    analyze(
        "many much long name named called call kind type sort happen happened "
        "reason mean means describe example exactly tell know"
    )
)
#: Token similarity at which a question token counts as present in a sentence.
PRESENT_AT = 0.7

LEXICAL_FEATURES = (
    "bm25",
    "bm25_paragraph",
    "bm25_share",
    "bm25_paragraph_share",
    "bm25_of_question",
    "coverage",
    "coverage_paragraph",
    "coverage_window",
    "bm25_previous_share",
    "bm25_next_share",
    "bigrams",
    "novelty",
    "length",
    "bm25_rank",
    "position",
    "lead",
    "opens_paragraph",
    "needs_context",
    *CUE_NAMES,
)
SEMANTIC_FEATURES = (
    "similarity",
    "similarity_passage",
    "similarity_gap",
    "similarity_passage_gap",
    "similarity_previous",
    "similarity_next",
    "similarity_rank",
    "interaction",
    "interaction_all",
    "interaction_window",
    "interaction_previous",
    "interaction_next",
    "interaction_gap",
    "interaction_z",
    "interaction_rank",
    "presence",
    "focus",
    "interaction_prior",
    "interaction_all_prior",
    "overlap_prior",
    "overlap_prior_window",
    "overlap_prior_paragraph",
    "coverage_rarity",
    "coverage_rarity_paragraph",
    "coverage_rarity_window",
)

#: The multilingual model's evidence (retrieval/multilingual.py), for the modes that
#: use it instead of the English model's.
MEANING_FEATURES = (
    "meaning",
    "meaning_paragraph",
    "meaning_gap",
    "meaning_z",
    "meaning_paragraph_gap",
    "meaning_previous",
    "meaning_next",
    "meaning_rank",
    "meaning_lift",
)


#: A candidate's terms: its sentence's, its paragraph's, and its window's (with neighbours).
TermSpans = tuple[frozenset[str], frozenset[str], frozenset[str]]


@dataclass(frozen=True, eq=False)
class Evidence:
    """Candidate sentences (0-based, first-pass order) and their feature rows."""

    candidates: np.ndarray  #: (k,) sentence positions
    first_pass: np.ndarray  #: (n,) first-pass score of every sentence
    rows: np.ndarray  #: (k, len(names)) float64
    names: tuple[str, ...]
    coverage: np.ndarray  #: (k,) IDF-weighted share of the question's subject in the paragraph
    article_coverage: float  #: the same share over the whole article
    subject_terms: int
    article_overlap: float = 0.0  #: rarity-weighted share of the question's tokens in the article
    #: Rarity of the rarest question token the article never uses ("earthquake" asked of a flood).
    missing_rarity: float = 0.0
    #: How alike the article's sentences read to each other, by the multilingual model.
    meaning_cohesion: float = 0.0
    #: Whether the question is written in another script than the article (Russian asked
    #: of English): the multilingual model reads such a pair less alike than one in a
    #: shared script, and the cross-language abstainer learned by how much.
    other_script: bool = False

    def column(self, name: str) -> np.ndarray:
        return self.rows[:, self.names.index(name)]


def gather(
    index: ArticleIndex,
    question: str,
    terms: list[str],
    *,
    semantic: bool,
    meaning: MeaningVectors | None = None,
    meaning_query: np.ndarray | None = None,
) -> Evidence:
    """The evidence for every candidate sentence; ``semantic`` needs ``index.vectors`` (the
    English model's), ``meaning`` is the multilingual model's reading, used instead (with
    ``meaning_query``, the question's vector, when the caller has it)."""
    article, n = index.article, len(index.article.sentences)
    terms = list(dict.fromkeys(terms))  # a word said twice is not asked twice
    sentence_bm25, paragraph_bm25 = index.bm25(terms)
    best, best_paragraph = float(sentence_bm25.max()), float(paragraph_bm25.max())
    lexical_pass = _shares(sentence_bm25, best) + 0.5 * _shares(paragraph_bm25, best_paragraph)
    vectors = index.vectors if semantic and meaning is None else None
    reading = shared_encoder().encode_question(question) if vectors is not None else None
    similarity = passage_similarity = np.zeros(n)
    first_pass = lexical_pass
    if vectors is not None and reading is not None:
        query = reading.pooled()
        similarity, passage_similarity = vectors.context @ query, vectors.passage @ query
        first_pass = lexical_pass + similarity + passage_similarity
    if meaning is not None:
        query = question_vector(question) if meaning_query is None else meaning_query
        similarity = meaning.sentences @ query
        passage_similarity = (meaning.paragraphs @ query)[index.paragraph_of]
        # E5's cosines crowd into 0.7-0.9: what counts is how far a sentence stands out.
        middle = float(np.median(similarity))
        first_pass = lexical_pass + 2 * _shares(similarity - middle, similarity.max() - middle)
    candidates = np.argsort(-first_pass, kind="stable")[:CANDIDATES]

    subject = set(terms) - QUESTION_FRAME_TERMS or set(terms)
    weights = {term: index.idf(term) for term in subject}
    total = sum(weights.values()) or 1.0

    def cover(held: frozenset[str] | set[str]) -> float:
        return sum(w for term, w in weights.items() if term in held) / total

    self_score = index.bm25_ceiling(terms) or 1.0
    bigrams = set(itertools.pairwise(terms))
    cues = QuestionCues(question)
    rank_by_bm25 = _reciprocal_ranks(sentence_bm25[candidates])
    lexical, coverage = [], []
    spans: list[TermSpans] = []
    for i, bm25_rank in zip(candidates, rank_by_bm25, strict=True):
        sentence = article.sentences[i]
        held = index.term_sets[i]
        window = index.term_sets[max(0, i - 1)] | held | index.term_sets[min(n - 1, i + 1)]
        paragraph = index.paragraph_terms[sentence.paragraph - 1]
        spans.append((held, paragraph, window))
        own = index.sentence_terms[i]
        paragraph_coverage = cover(paragraph)
        coverage.append(paragraph_coverage)
        lexical.append(
            [
                sentence_bm25[i],
                paragraph_bm25[i],
                _share(sentence_bm25[i], best),
                _share(paragraph_bm25[i], best_paragraph),
                sentence_bm25[i] / self_score,
                cover(held),
                paragraph_coverage,
                cover(window),
                _share(sentence_bm25[i - 1], best) if i > 0 else 0.0,
                _share(sentence_bm25[i + 1], best) if i < n - 1 else 0.0,
                len(bigrams & set(itertools.pairwise(own))) / max(1, len(bigrams)),
                len(held - set(terms)) / max(1, len(held)),
                math.log1p(len(own)),
                bm25_rank,
                i / n,
                float(i < 2),
                float(i == 0 or article.sentences[i - 1].paragraph != sentence.paragraph),
                float(not stands_alone(sentence)),
                *cues.cues(sentence.text, held),
            ]
        )
    rows = np.array(lexical, dtype=np.float64).reshape(len(candidates), len(LEXICAL_FEATURES))
    names: tuple[str, ...] = LEXICAL_FEATURES
    article_overlap = missing_rarity = 0.0
    if vectors is not None and reading is not None:
        interaction = _Interaction(index, vectors, reading, candidates)
        semantic_rows = _semantic_rows(interaction, candidates, similarity, passage_similarity)
        rare = _rarity_rows(subject, spans)
        rows = np.hstack([rows, semantic_rows, rare])
        names = LEXICAL_FEATURES + SEMANTIC_FEATURES
        article_overlap = interaction.article_overlap
        missing_rarity = interaction.missing_rarity
    if meaning is not None:
        rows = np.hstack([rows, _meaning_rows(candidates, similarity, passage_similarity)])
        names = LEXICAL_FEATURES + MEANING_FEATURES
    return Evidence(
        candidates=candidates,
        first_pass=first_pass,
        rows=rows,
        names=names,
        coverage=np.array(coverage),
        article_coverage=cover(index.article_terms),
        subject_terms=len(subject),
        article_overlap=article_overlap,
        missing_rarity=missing_rarity,
        meaning_cohesion=meaning.cohesion if meaning is not None else 0.0,
        other_script=meaning is not None and script(question) != script(article.text),
    )


def _meaning_rows(
    candidates: np.ndarray, similarity: np.ndarray, passage_similarity: np.ndarray
) -> np.ndarray:
    n = len(similarity)
    sim, passage = similarity[candidates], passage_similarity[candidates]
    middle = float(np.median(similarity))
    spread = float(similarity.std()) + 1e-6
    rows = np.column_stack(
        [
            sim,
            passage,
            sim - similarity.max(),
            (sim - middle) / spread,
            passage - passage_similarity.max(),
            [similarity[i - 1] if i > 0 else 0.0 for i in candidates],
            [similarity[i + 1] if i < n - 1 else 0.0 for i in candidates],
            _reciprocal_ranks(sim),
            np.full(len(candidates), float(similarity.max() - middle)),
        ]
    )
    return rows.astype(np.float64)


def _rarity_rows(subject: set[str], spans: list[TermSpans]) -> np.ndarray:
    """Coverage weighted by vocabulary rarity instead of article IDF, of each candidate's
    sentence, paragraph and window (``spans``, as the lexical rows saw them).

    In a five-sentence article every word is "rare" by IDF, so IDF coverage
    cannot tell the tram line from its cost; the model's vocabulary rank can
    ("tram" is rarer than "new" in any text).
    """
    rarity = {term: term_rarity(term) for term in subject}
    total = sum(rarity.values()) or 1.0

    def cover(held: frozenset[str]) -> float:
        return sum(w for term, w in rarity.items() if term in held) / total

    rows = [[cover(held) for held in span] for span in spans]
    return np.array(rows, dtype=np.float64).reshape(len(spans), 3)


def _semantic_rows(
    interaction: _Interaction,
    candidates: np.ndarray,
    similarity: np.ndarray,
    passage_similarity: np.ndarray,
) -> np.ndarray:
    n = len(similarity)
    sim, passage = similarity[candidates], passage_similarity[candidates]
    own = interaction.content[candidates]
    rows = np.column_stack(
        [
            sim,
            passage,
            sim - sim.max(),
            passage - passage.max(),
            [similarity[i - 1] if i > 0 else 0.0 for i in candidates],
            [similarity[i + 1] if i < n - 1 else 0.0 for i in candidates],
            _reciprocal_ranks(sim),
            own,
            interaction.every[candidates],
            interaction.window(candidates),
            [interaction.content[i - 1] if i > 0 else 0.0 for i in candidates],
            [interaction.content[i + 1] if i < n - 1 else 0.0 for i in candidates],
            own - own.max(),
            (own - own.mean()) / (own.std() + 1e-6),
            _reciprocal_ranks(own),
            interaction.presence[candidates],
            interaction.focus[candidates],
            interaction.content_prior[candidates],
            interaction.every_prior[candidates],
            interaction.overlap[candidates],
            interaction.window(candidates, overlap=True),
            interaction.paragraph_overlap(candidates),
        ]
    )
    return rows.astype(np.float64)


class _Interaction:
    """Late interaction: each question token's best match among a sentence's tokens.

    Question tokens are weighted by their IDF over the article's sentences, so a
    rare word's match counts more than a common one's; special tokens, stop
    words and punctuation of the question are left out. ``content`` matches
    against the sentence's content tokens, ``every`` against all of them
    ([CLS] and [SEP] hold the sentence's gist). Computed in one matrix product
    for the candidates and their neighbours only (NaN elsewhere).
    """

    def __init__(
        self,
        index: ArticleIndex,
        vectors: ArticleVectors,
        reading: TokenStates,
        candidates: np.ndarray,
    ) -> None:
        n = vectors.size
        table = content_tokens()
        question_ids, query = _question_tokens(reading)
        weights = index.token_idf(question_ids)
        self._weights = weights / weights.sum()
        rarity = vocabulary_rarity(question_ids)
        prior = rarity / rarity.sum()
        needed = np.unique(
            np.clip(np.concatenate([candidates - 1, candidates, candidates + 1]), 0, n - 1)
        )
        lo, hi = vectors.bounds[needed], vectors.bounds[needed + 1]
        rows = np.arange(int((hi - lo).sum())) - np.repeat(np.cumsum(hi - lo) - (hi - lo), hi - lo)
        rows += np.repeat(lo, hi - lo)
        starts = np.concatenate([[0], np.cumsum(hi - lo)[:-1]])
        content = table[vectors.token_ids[rows]]
        # (question tokens, sentence tokens); scaling the products, not the int8 vectors, is cheaper.
        scores = (query @ vectors.tokens[rows].astype(np.float32).T) * vectors.scales[rows]
        every = np.maximum.reduceat(scores, starts, axis=1)
        masked = np.where(content, scores, -np.inf)
        best = np.maximum.reduceat(masked, starts, axis=1)
        best = np.where(np.isfinite(best), best, every)  # a sentence without content tokens
        counts = np.add.reduceat(content.astype(float), starts)
        matched = np.add.reduceat(np.where(content, masked.max(axis=0), 0.0), starts)
        self.content = np.full(n, np.nan)
        self.every = np.full(n, np.nan)
        self.presence = np.full(n, np.nan)
        self.focus = np.full(n, np.nan)
        self.content[needed] = self._weights @ best
        self.every[needed] = self._weights @ every
        self.presence[needed] = self._weights @ (best >= PRESENT_AT)
        self.focus[needed] = np.where(counts > 0, matched / np.maximum(counts, 1), 0.0)
        self.content_prior = np.full(n, np.nan)
        self.every_prior = np.full(n, np.nan)
        self.content_prior[needed] = prior @ best
        self.every_prior[needed] = prior @ every
        same = np.maximum.reduceat(
            (question_ids[:, None] == vectors.token_ids[rows][None, :]).astype(float),
            starts,
            axis=1,
        )
        self.overlap = np.full(n, np.nan)
        self.overlap[needed] = prior @ same
        self._same = same
        self._prior = prior
        in_paragraph = index.token_paragraphs(question_ids)
        present = in_paragraph.any(axis=1)
        self.article_overlap = float(prior @ present)
        self.missing_rarity = float(rarity[~present].max()) if not present.all() else 0.0
        self._paragraph_overlap = prior @ in_paragraph
        self._paragraph_of = index.paragraph_of
        self._best = best
        self._column = {int(i): j for j, i in enumerate(needed)}

    def paragraph_overlap(self, candidates: np.ndarray) -> np.ndarray:
        """Rarity-weighted share of the question's tokens found in the candidate's paragraph."""
        return self._paragraph_overlap[self._paragraph_of[candidates]]

    def window(self, candidates: np.ndarray, *, overlap: bool = False) -> np.ndarray:
        """Interaction (or exact overlap) with the sentence and its neighbours' tokens together."""
        matrix, weights = (self._same, self._prior) if overlap else (self._best, self._weights)
        out = np.empty(len(candidates))
        for k, i in enumerate(candidates):
            columns = [self._column[j] for j in (i - 1, i, i + 1) if j in self._column]
            out[k] = weights @ matrix[:, columns].max(axis=1)
        return out


@lru_cache(maxsize=64)
def _question_tokens(reading: TokenStates) -> tuple[np.ndarray, np.ndarray]:
    """The question tokens that take part (content tokens, else all but the specials) and
    their projected vectors: the same for every article a library question ranks, so
    projected once (``TokenStates`` hashes by identity; questions are cached readings)."""
    keep = content_tokens()[reading.ids]
    if not keep.any():
        keep = (reading.ids != CLS) & (reading.ids != SEP)
    if not keep.any():
        keep = np.ones(len(reading.ids), bool)
    ids, query = reading.ids[keep], project_tokens(reading.states[keep])
    ids.setflags(write=False)
    query.setflags(write=False)
    return ids, query


def vocabulary_rarity(ids: np.ndarray) -> np.ndarray:
    """How rare a WordPiece token is in general English, from its id alone.

    The model's vocabulary lists whole words and pieces (from id 1996, "the",
    on) in the order of their frequency in the text it was built from, so
    ``log(rank)`` is a corpus-wide IDF that needs no corpus: it weighs question
    tokens sensibly even in a five-sentence story, where IDF over the story's
    own sentences says little.
    """
    return np.log(np.maximum(ids.astype(np.float64) - FIRST_WORD + 2.0, 2.0))


@lru_cache(maxsize=65536)
def term_rarity(term: str) -> float:
    """``vocabulary_rarity`` of an analysed term: its rarest WordPiece (a stem may split)."""
    ids = shared_encoder().token_ids(term)
    return float(vocabulary_rarity(np.array(ids)).max()) if ids else 1.0


#: Id of the first whole word in the vocabulary ("the"); ids below are specials and characters.
FIRST_WORD = 1996


@cache
def content_tokens() -> np.ndarray:
    """Per WordPiece id: True for tokens that carry content (not specials, stop words, marks)."""
    skip = STOP_WORDS | {"[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"}
    return np.array(
        [t not in skip and any(c.isalnum() for c in t) for t in shared_encoder().vocabulary()]
    )


def _share(value: float, best: float) -> float:
    return float(value / best) if best > 0 else 0.0


def _shares(values: np.ndarray, best: float) -> np.ndarray:
    return values / best if best > 0 else np.zeros_like(values)


def _reciprocal_ranks(values: np.ndarray) -> np.ndarray:
    ranks = np.empty(len(values))
    ranks[np.argsort(-np.asarray(values), kind="stable")] = np.arange(1, len(values) + 1)
    return 1.0 / ranks
