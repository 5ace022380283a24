"""Choosing candidate articles for a question across a library, in memory: the one
article-level BM25, for a chat's library in the database and for a folder of files.

SQLite's FTS5 ``bm25()`` took 20-30 ms a question at 10,000 articles (it
scores every article sharing any term, row by row, through an auxiliary
function); per-term postings in numpy arrays score the same BM25 in about a
millisecond. The index is loaded from the stored terms in one vectorised pass
(about a second for 10,000 articles) and kept current by the store's adds and
removes. Arrays are replaced, never changed in place, so a search that took a
reference while an add runs still sees a consistent snapshot.

Article-level BM25 (``bm25.ARTICLES`` unless told otherwise) with the
always-positive IDF the sentence ranker uses (``bm25.positive_idf``).

Postings are int32 article ids with uint16 term counts: 6 bytes a pair, so
100,000 news articles (about 21 million pairs) take some 130 MB. ``to_bytes``
and ``from_bytes`` give a stored form, so a process sharing a large library
with others (PostgreSQL) starts from a snapshot in a couple of seconds
instead of rebuilding for a minute or more.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from retrieval.bm25 import ARTICLES, BM25Tuning, positive_idf

_NONE = -1  #: chat id of an article slot that holds no (or a removed) article


class TermIndex:
    def __init__(self, tuning: BM25Tuning = ARTICLES) -> None:
        self.tuning = tuning
        self._lock = threading.Lock()
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # term -> (ids, counts)
        self._chat = np.full(0, _NONE, dtype=np.int64)  # article id -> chat id
        self._length = np.zeros(0, dtype=np.float32)  # article id -> number of terms

    @classmethod
    def build(
        cls, rows: Sequence[tuple[int, int, str]], tuning: BM25Tuning = ARTICLES
    ) -> TermIndex:
        """From ``(article id, chat id, space-separated terms)`` rows, all at once."""
        index = cls(tuning)
        if not rows:
            return index
        size = max(row[0] for row in rows) + 1
        vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        article_of: list[np.ndarray] = []
        index._chat = np.full(size, _NONE, dtype=np.int64)
        index._length = np.zeros(size, dtype=np.float32)
        for article_id, chat_id, text in rows:
            terms = text.split()
            term_ids.extend([vocabulary.setdefault(t, len(vocabulary)) for t in terms])
            article_of.append(np.full(len(terms), article_id, dtype=np.int64))
            index._chat[article_id] = chat_id
            index._length[article_id] = len(terms)
        # One sort groups every (term, article) pair; run lengths are the counts.
        keys = np.asarray(term_ids, dtype=np.int64) * size + np.concatenate(article_of)
        pairs, counts = np.unique(keys, return_counts=True)
        terms_of, ids = np.divmod(pairs, size)
        starts = np.flatnonzero(np.diff(terms_of, prepend=-1))
        ends = np.append(starts[1:], len(pairs))
        names = list(vocabulary)
        for start, end in zip(starts, ends, strict=True):
            index._postings[names[terms_of[start]]] = (
                ids[start:end].astype(np.int32),
                np.minimum(counts[start:end], _MAX_COUNT).astype(np.uint16),
            )
        return index

    @classmethod
    def from_postings(
        cls,
        articles: Sequence[tuple[int, int, int]],
        postings: Iterable[tuple[str, np.ndarray, np.ndarray]],
        tuning: BM25Tuning = ARTICLES,
    ) -> TermIndex:
        """From ``(article id, chat id, number of terms)`` and each term's postings
        ``(term, article ids, counts)``, as a database that keeps postings holds them."""
        index = cls(tuning)
        size = max((a[0] for a in articles), default=-1) + 1
        index._chat = np.full(size, _NONE, dtype=np.int64)
        index._length = np.zeros(size, dtype=np.float32)
        for article_id, chat_id, length in articles:
            index._chat[article_id] = chat_id
            index._length[article_id] = length
        for term, ids, counts in postings:
            index._postings[term] = (
                np.asarray(ids, dtype=np.int32),
                np.minimum(counts, _MAX_COUNT).astype(np.uint16),
            )
        return index

    def to_bytes(self) -> bytes:
        """The index as one buffer (see ``from_bytes``), a consistent snapshot."""
        with self._lock:
            postings = dict(self._postings)
            chat, length = self._chat, self._length
        terms = list(postings)
        sizes = np.array([len(postings[t][0]) for t in terms], dtype=np.int64)
        parts: list[np.ndarray] = [
            np.concatenate([postings[t][0] for t in terms] or [_EMPTY_IDS]).astype(np.int32),
            np.concatenate([postings[t][1] for t in terms] or [_EMPTY_TFS]).astype(np.uint16),
            sizes,
            chat.astype(np.int64),
            length.astype(np.float32),
        ]
        header = json.dumps(
            {"terms": terms, "arrays": [[str(a.dtype), len(a)] for a in parts]}
        ).encode()
        out = [_MAGIC, len(header).to_bytes(8, "little"), header]
        used = len(_MAGIC) + 8 + len(header)
        for array in parts:
            pad = -used % 8
            out.append(b"\0" * pad)
            out.append(array.tobytes())
            used += pad + array.nbytes
        return b"".join(out)

    @classmethod
    def from_bytes(cls, blob: bytes | bytearray, tuning: BM25Tuning = ARTICLES) -> TermIndex:
        """An index from ``to_bytes``. Each term's postings are copied out, so ``blob`` can
        be freed: views into it would keep all of it alive once a few terms' postings
        are replaced by adds (at 100,000 articles, 128 MB held twice)."""
        if not blob.startswith(_MAGIC):
            raise ValueError("not a stored term index")
        start = len(_MAGIC) + 8
        header_size = int.from_bytes(blob[len(_MAGIC) : start], "little")
        header = json.loads(blob[start : start + header_size])
        used = start + header_size
        arrays = []
        for dtype, count in header["arrays"]:
            used += -used % 8
            array = np.frombuffer(blob, dtype=np.dtype(dtype), count=count, offset=used)
            arrays.append(array)
            used += array.nbytes
        ids, counts, sizes, chat, length = arrays
        index = cls(tuning)
        index._chat, index._length = chat.copy(), length.copy()
        ends = np.cumsum(sizes)
        for term, end, size in zip(header["terms"], ends.tolist(), sizes.tolist(), strict=True):
            index._postings[term] = (ids[end - size : end].copy(), counts[end - size : end].copy())
        return index

    def add(self, article_id: int, chat_id: int, terms: Iterable[str]) -> None:
        self.add_counts(article_id, chat_id, Counter(terms))

    def add_many(self, articles: Sequence[tuple[int, int, Mapping[str, int]]]) -> None:
        """Index ``(article id, chat id, term counts)`` at once: each term's postings are
        copied once, not once per article (articles indexed already are left)."""
        with self._lock:
            top = max((a[0] for a in articles), default=-1)
            chat, length = self._chat.copy(), self._length.copy()
            if top >= len(chat):
                grow = max(top + 1, 2 * len(chat)) - len(chat)
                chat = np.append(chat, np.full(grow, _NONE, dtype=np.int64))
                length = np.append(length, np.zeros(grow, dtype=np.float32))
            new: dict[str, tuple[list[int], list[int]]] = {}
            for article_id, chat_id, counts in articles:
                if chat[article_id] != _NONE:
                    continue
                chat[article_id], length[article_id] = chat_id, sum(counts.values())
                for term, count in counts.items():
                    ids, tfs = new.setdefault(term, ([], []))
                    ids.append(article_id)
                    tfs.append(min(count, _MAX_COUNT))
            for term, (ids, tfs) in new.items():
                old_ids, old_tfs = self._postings.get(term, (_EMPTY_IDS, _EMPTY_TFS))
                self._postings[term] = (
                    np.concatenate([old_ids, np.asarray(ids, dtype=np.int32)]),
                    np.concatenate([old_tfs, np.asarray(tfs, dtype=np.uint16)]),
                )
            self._chat, self._length = chat, length

    def add_counts(self, article_id: int, chat_id: int, counts: Mapping[str, int]) -> None:
        """Index an article from its term counts; an article indexed already is left."""
        with self._lock:
            self._add_counts(article_id, chat_id, counts)

    def _add_counts(self, article_id: int, chat_id: int, counts: Mapping[str, int]) -> None:
        """Under the lock."""
        if article_id >= len(self._chat):
            grow = max(article_id + 1, 2 * len(self._chat)) - len(self._chat)
            self._chat = np.append(self._chat, np.full(grow, _NONE, dtype=np.int64))
            self._length = np.append(self._length, np.zeros(grow, dtype=np.float32))
        elif self._chat[article_id] != _NONE:
            return  # already indexed
        for term, count in counts.items():
            ids, tfs = self._postings.get(term, (_EMPTY_IDS, _EMPTY_TFS))
            self._postings[term] = (
                np.append(ids, np.int32(article_id)),
                np.append(tfs, np.uint16(min(count, _MAX_COUNT))),
            )
        chat, length = self._chat.copy(), self._length.copy()
        chat[article_id], length[article_id] = chat_id, sum(counts.values())
        self._chat, self._length = chat, length

    def replace(
        self,
        article_id: int,
        chat_id: int,
        old_terms: Iterable[str],
        counts: Mapping[str, int],
    ) -> None:
        """Index an article by new term counts (its text analysed again): its postings
        under ``old_terms`` and under the new terms are dropped, then the new ones added,
        so applying the same replacement twice leaves the index as once."""
        with self._lock:
            for term in set(old_terms) | set(counts):
                ids, tfs = self._postings.get(term, (_EMPTY_IDS, _EMPTY_TFS))
                keep = ids != article_id
                if not keep.all():
                    self._postings[term] = (ids[keep], tfs[keep])
            if article_id < len(self._chat):
                chat = self._chat.copy()
                chat[article_id] = _NONE
                self._chat = chat
            self._add_counts(article_id, chat_id, counts)

    def remove(self, article_id: int) -> None:
        """Forget an article; its postings stay until restart but never match again."""
        with self._lock:
            if article_id < len(self._chat):
                chat = self._chat.copy()
                chat[article_id] = _NONE
                self._chat = chat

    def search(self, chat_ids: tuple[int, ...], terms: Iterable[str], limit: int) -> list[int]:
        """Ids of the best-matching articles among those of ``chat_ids``, best first."""
        with self._lock:  # a consistent snapshot; the arrays themselves are never mutated
            chats, lengths = self._chat, self._length
            postings = [self._postings[t] for t in set(terms) if t in self._postings]
        live = chats != _NONE
        articles = int(live.sum())
        if not articles or not postings:
            return []
        average = max(float(lengths[live].mean()), 1.0)
        scores = np.zeros(len(chats), dtype=np.float32)
        k1, b = self.tuning.k1, self.tuning.b
        for ids, counts in postings:
            tfs = counts.astype(np.float32)
            idf = positive_idf(articles, len(ids))
            norm = k1 * (1 - b + b * lengths[ids] / average)
            scores[ids] += idf * tfs * (k1 + 1) / (tfs + norm)
        matched = np.flatnonzero(scores > 0)
        matched = matched[np.isin(chats[matched], chat_ids)]
        if len(matched) > limit:
            # A common term matches most of a large library: sorting every match cost
            # ~7 ms at 100,000 articles. Keep those scoring at least the limit-th best
            # (ties included, so the stable sort below orders them as a full sort would).
            best = scores[matched]
            cut = np.partition(best, len(best) - limit)[len(best) - limit]
            matched = matched[best >= cut]
        top = matched[np.argsort(-scores[matched], kind="stable")[:limit]]
        return [int(i) for i in top]

    def __len__(self) -> int:
        return int((self._chat != _NONE).sum())


_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_EMPTY_TFS = np.zeros(0, dtype=np.uint16)
_MAX_COUNT = np.iinfo(np.uint16).max
_MAGIC = b"newsbot-term-index-1\n"
