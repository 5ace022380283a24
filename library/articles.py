"""The chats' articles: adding, removing, listing, indexing and embedding them.

Every article enters through ``add_article`` (parsed once, stored, its index
kept), and every ranking reads it through ``index``, from a bounded cache of
indexes rebuilt from stored text and stored vectors. Vectors are computed once
per article (``embed``: right after an add, for seeds at start-up, and for
older articles by ``backfill`` in the background) and kept in the store, so a
restart or a cache eviction never re-embeds.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from library.backend import Store
from library.cache import IndexCache
from library.errors import MissingArticle
from library.extract import Extracted, extract_file, extract_html
from library.fetch import fetch
from library.ingestion import IngestionQueue
from library.rows import SHARED, AddResult, ArticleRow
from retrieval import (
    MEANING_MODEL_ID,
    Article,
    ArticleError,
    ArticleIndex,
    ArticleVectors,
    EmbeddingStopped,
    MeaningVectors,
    analyze,
    detect_language,
    load_article,
    model_id,
    multilingual_available,
    parse_article,
    reads_with_meaning,
    shared_encoder,
    spans_intact,
    split_body,
)

log = logging.getLogger(__name__)

#: Articles the background backfill reads from the database at a time.
BACKFILL_BATCH = 16
#: Shipped articles the backfill reads for questions in other languages, newest first.
SHIPPED = 50
#: The one-off check of stored sentence spans (see ``repair_sentence_spans``).
SPAN_REPAIR = "sentence-spans-1"
#: The one-off reading again of stored articles in other languages than English (see
#: ``reread_other_languages``); a new name when their splitting or analysis changes again.
REREAD_OTHER_LANGUAGES = "other-languages-2026-12-07"


@dataclass(frozen=True)
class KnownUrl:
    """The link is already in the chat's library, as this article."""

    article_id: int


class Articles:
    """The articles every chat can see, and the work of keeping them ready to rank.

    ``replicated``: other processes may change the same store (PostgreSQL replicas), so
    an index cached on words alone is checked for vectors another replica stored since.
    ``stopping`` is set when the bot stops; embedding under way ends at its next batch.
    """

    def __init__(
        self,
        store: Store,
        *,
        cache_size: int = 256,
        allow_hosts: Collection[str] = (),
        replicated: bool = False,
        stopping: threading.Event | None = None,
    ) -> None:
        self.store = store
        self.allow_hosts = frozenset(allow_hosts)
        self.replicated = replicated
        self.stopping = stopping or threading.Event()
        self._indexes = IndexCache(self._build_index, cache_size)
        self._backfilling: threading.Thread | None = None
        #: English articles waiting to be read by the multilingual model (``read_across_soon``).
        self._reading_across: set[int] = set()
        self._pending_lock = threading.Lock()
        #: Reads them, one at a time (the model reads one text at a time anyway), on a
        #: thread of its own: a chat's 24 articles take a minute, and adds must not wait.
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="read-across")
        #: Where adding articles runs (see library/ingestion.py).
        self.ingestion = IngestionQueue()

    # -- listing ----------------------------------------------------------------------

    def visible(self, chat_id: int) -> list[ArticleRow]:
        """The chat's articles and the shipped ones, oldest first."""
        return self.store.visible(chat_id)

    def row(self, chat_id: int, article_id: int) -> ArticleRow | None:
        """The article if the chat may see it."""
        return self.store.row(chat_id, article_id)

    def newest(self, chat_id: int, limit: int) -> list[ArticleRow]:
        return self.store.newest(chat_id, limit)

    def active(self, chat_id: int) -> ArticleRow | None:
        """The article picked with /use, while the chat may still see it."""
        active = self.store.active_article(chat_id)
        return self.store.row(chat_id, active) if active is not None else None

    def active_id(self, chat_id: int) -> int | None:
        """The article picked with /use (``None``: questions go to the whole library)."""
        return self.store.active_article(chat_id)

    def current(self, chat_id: int) -> ArticleRow | None:
        """The article a chat's /brief and /source refer to: the active one, else the newest."""
        active = self.active(chat_id)
        if active is not None:
            return active
        newest = self.store.newest(chat_id, 1)
        return newest[0] if newest else None

    def use(self, chat_id: int, article_id: int | None) -> None:
        self.store.set_active(chat_id, article_id)

    def count(self) -> int:
        """Articles stored, for every chat."""
        return self.store.count()

    def article(self, article_id: int) -> Article:
        return self.index(article_id).article

    # -- indexes and vectors -------------------------------------------------------------

    def index(self, article_id: int) -> ArticleIndex:
        found = self._indexes.get(article_id)
        if not (found.has_vectors or found.has_meaning) and self.replicated:
            # Another replica may have embedded it since this one cached it on words.
            again = self._with_stored_vectors(found.article, article_id, None)
            if again.has_vectors or again.has_meaning:
                found = again
                self._indexes.put(article_id, found)
        return found

    def _build_index(self, article_id: int) -> ArticleIndex:
        article, blob = self.store.load_with_vectors(article_id, model_id())
        return self._with_stored_vectors(article, article_id, blob)

    def _with_stored_vectors(
        self, article: Article, article_id: int, blob: bytes | None
    ) -> ArticleIndex:
        """The article's index with the vectors stored for it: the English model's, or, for
        an article in another language, the multilingual model's."""
        if reads_with_meaning(article):
            stored = self.store.vectors(article_id, MEANING_MODEL_ID)
            meaning = (
                MeaningVectors.from_bytes(
                    stored, len(article.sentences), len(article.paragraph_spans)
                )
                if stored
                else None
            )
            return ArticleIndex(article, meaning=meaning)
        blob = blob if blob is not None else self.store.vectors(article_id, model_id())
        vectors = ArticleVectors.from_bytes(blob, len(article.sentences)) if blob else None
        return ArticleIndex(article, vectors=vectors)

    def warm_up(self, article_ids: Iterable[int]) -> None:
        """Index and embed these articles now (and so load the embedding model), not on
        some user's first question, which would otherwise wait a second for it."""
        shared_encoder()
        for article_id in article_ids:
            self.embed(article_id)

    def embed(self, article_id: int) -> bool:
        """Compute and store the article's vectors unless they are stored; True if computed."""
        return bool(self._embed_claimed(article_id))

    def _embed_claimed(self, article_id: int) -> bool | None:
        """``embed``, or None when another replica is embedding the article right now."""
        with self.store.embedding_claim(article_id) as mine:
            if not mine:
                return None
            index = self.index(article_id)  # re-reads vectors another replica just stored
            if reads_with_meaning(index.article):
                # Not English: the multilingual model reads it (retrieval/multilingual.py).
                if index.has_meaning:
                    return False
                meaning = index.meaning()
                assert meaning is not None
                self.store.save_vectors(article_id, MEANING_MODEL_ID, meaning.to_bytes())
                return True
            if index.has_vectors:
                return False
            try:
                vectors = index.embed_all(stop=self.stopping.is_set)
            except EmbeddingStopped:
                return False  # shutting down; the backfill embeds it at the next start
            assert vectors is not None
            self.store.save_vectors(article_id, model_id(), vectors.to_bytes(), vectors.context)
            across = self.store.reads_across(article_id, MEANING_MODEL_ID)
        if across:  # its chat asks in other languages; read once the claim is let go, since
            self.read_across_soon([article_id])  # the reading takes the claim for itself
        return True

    # -- English articles, for questions in other languages -------------------------------

    def read_across(self, article_id: int) -> bool:
        """Have the multilingual model read an English article, so that a library question
        in another language finds it, which its words cannot; True if read now.

        Not every English article is read so: the model costs about four times the English
        one (1.6 s for the shipped 15-sentence one). A chat's articles are read once it
        asks in another language (``Asking``) or a person reading another language adds
        one (the bot), and from then on as its chat adds them (``embed``)."""
        with self.store.embedding_claim(article_id) as mine:
            if not mine:
                return False  # another replica is reading it
            index = self.index(article_id)
            english = index.article.language == "en" and index.semantic
            if not english or not multilingual_available():
                return False
            if self.read_across_index(article_id) is not None:
                return False  # read already, by this process or another replica
            meaning = index.meaning()
            if meaning is None or self.stopping.is_set():  # closing: the store may be gone
                return False
            return self.store.save_meaning(article_id, MEANING_MODEL_ID, meaning.to_bytes())

    def read_across_index(self, article_id: int) -> ArticleIndex | None:
        """The English article's index with the multilingual model's reading, when stored."""
        index = self.index(article_id)
        if index.has_meaning:
            return index
        stored = self.store.meaning(article_id, MEANING_MODEL_ID)
        meaning = (
            MeaningVectors.from_bytes(
                stored, len(index.article.sentences), len(index.article.paragraph_spans)
            )
            if stored
            else None
        )
        if meaning is None:
            return None
        index.keep_meaning(meaning)
        return index

    def read_across_soon(self, article_ids: Iterable[int]) -> None:
        """``read_across`` these in the background, newest first as given; an article
        already waiting or being read is not queued again."""
        with self._pending_lock:
            wanted = [i for i in article_ids if i not in self._reading_across]
            self._reading_across.update(wanted)
        if wanted:
            self._reader.submit(self._read_across_each, wanted)

    def _read_across_each(self, article_ids: list[int]) -> None:
        try:
            for article_id in article_ids:
                if self.stopping.is_set():
                    return
                try:
                    self.read_across(article_id)
                except MissingArticle:
                    continue  # removed meanwhile
                except Exception:  # one bad article never stops the others
                    if self.stopping.is_set():
                        return  # the library closed under it
                    log.exception("article %d could not be read across languages", article_id)
        finally:
            with self._pending_lock:
                self._reading_across.difference_update(article_ids)

    def keep_vectors(self, article_id: int, vectors: ArticleVectors) -> None:
        """Store vectors computed elsewhere (benchmarks reuse one embedding of an article);
        the article's next question loads them instead of ranking it on words."""
        self.store.save_vectors(article_id, model_id(), vectors.to_bytes(), vectors.context)
        self._indexes.forget(article_id)

    def keep_meaning(self, article_id: int, meaning: MeaningVectors) -> None:
        """Store the multilingual model's reading computed elsewhere (benchmarks reuse one):
        an article not in English is ranked by it; an English one is read across with it."""
        if reads_with_meaning(self.index(article_id).article):
            self.store.save_vectors(article_id, MEANING_MODEL_ID, meaning.to_bytes())
        else:
            self.store.save_meaning(article_id, MEANING_MODEL_ID, meaning.to_bytes())
        self._indexes.forget(article_id)

    def embed_soon(self, article_id: int, *, across: bool = False) -> None:
        """Embed the article in the background, so its first question does not wait;
        ``across``: the person who added it reads another language, so an English article
        is also read for questions in other languages (``read_across``).

        Not awaited, and not a PTB task: stopping must not wait minutes for a long
        article (embedding stops itself at the next batch)."""
        self.ingestion.submit(self._embed_now, article_id, across)

    def _embed_now(self, article_id: int, across: bool) -> None:
        self.warm_up([article_id])
        if across:
            self.read_across_soon([article_id])

    # -- background upkeep --------------------------------------------------------------

    def start_backfill(self) -> None:
        """Run ``backfill`` in a background thread until it is done or ``stop_background``
        (not again while one runs)."""
        if self._backfilling is not None and self._backfilling.is_alive():
            return
        self._backfilling = threading.Thread(
            target=self.backfill, name="backfill-vectors", daemon=True
        )
        self._backfilling.start()

    def stop_background(self, timeout: float = 10.0) -> None:
        """Ask the backfill, and any embedding under way, to stop at its next batch of
        sentences; wait for the backfill. What was not embedded is embedded at the next start."""
        self.stopping.set()
        if self._backfilling is not None:
            self._backfilling.join(timeout)

    def backfill(self, stop: Callable[[], bool] | None = None) -> int:
        """Embed every stored article that has no vectors yet (older databases, a new model,
        articles ``repair_sentence_spans`` split again, which runs first); runs in the
        background after start-up. Returns how many it embedded."""
        stop = stop or self.stopping.is_set
        self.repair_sentence_spans(stop)  # its articles must be embedded afresh
        self.reread_other_languages(stop)  # and those it splits anew
        done = 0
        skipped: set[int] = set()
        while not stop():
            pending = [
                i
                for i in self.store.without_vectors(
                    (model_id(), MEANING_MODEL_ID), BACKFILL_BATCH + len(skipped)
                )
                if i not in skipped
            ]
            if not pending:
                self._read_shipped_across(stop)
                return done
            for article_id in pending:
                if stop():
                    break
                try:
                    embedded = self._embed_claimed(article_id)
                except Exception:  # one bad article never stops the others
                    log.exception("article %d could not be embedded; left on words", article_id)
                    embedded = None
                if embedded is None:  # or another replica has it: not again in this run
                    skipped.add(article_id)
                done += bool(embedded)
        return done

    def _read_shipped_across(self, stop: Callable[[], bool]) -> None:
        """The shipped English articles, which every chat sees, read for questions in other
        languages too (``read_across``), so that a chat's first question about them in
        Russian finds them at once; 1.6 s for the seed, once per library."""
        for article_id, read in self.store.english_newest(SHARED, MEANING_MODEL_ID, SHIPPED):
            if stop():
                return
            if not read:
                self.read_across(article_id)

    def repair_sentence_spans(self, stop: Callable[[], bool] | None = None) -> int:
        """Split again the articles whose stored sentences lost text; how many were.

        Until sentence splitting was made thread-safe, two articles parsed at once
        could each lose sentences, and the loss was stored. The bodies are intact,
        so each article whose spans leave words out (``spans_intact``, a linear
        check) is split again, and its vectors are dropped for the backfill to
        redo. It runs first in the background backfill, once per database: a
        large library is read whole once, and start-up does not wait for it.
        ``stop`` ends it early; it starts over at the next start then.
        """
        if self.store.upkeep_done(SPAN_REPAIR):
            return 0
        repaired, after = 0, 0
        while batch := self.store.stored_spans(after, 256):
            for article_id, body, stored in batch:
                after = article_id
                spans = [(int(a), int(b)) for a, b in json.loads(stored)]
                if not spans_intact(body, spans):
                    repaired += self._split_again(article_id, body, spans)
            if stop is not None and stop():
                return repaired
        if repaired:
            log.warning("split %d stored article(s) again: their sentences had lost text", repaired)
        self.store.mark_upkeep_done(SPAN_REPAIR)
        return repaired

    def reread_other_languages(self, stop: Callable[[], bool] | None = None) -> int:
        """Split and analyse again the stored articles not in English; how many changed.

        Their splitting and analysis improved after many were stored: Thai was one
        "sentence" a paragraph, and Hindi, Thai and Vietnamese words were cut at their
        vowel signs or lost their tones (retrieval/languages.py). Sentences are ranked
        from the stored split, and a library's articles are found by their stored terms,
        so without this an article added before answers as it did then. An article split
        anew drops its vectors for the backfill to redo, as ``repair_sentence_spans``
        does; new terms reach every replica's term index. Once per database, in the
        background; ``stop`` ends it early, and it starts over at the next start then.
        """
        if self.store.upkeep_done(REREAD_OTHER_LANGUAGES):
            return 0
        changed, after = 0, 0
        while batch := self.store.stored_in_other_languages(after, 64):
            for article_id, body, stored in batch:
                after = article_id
                try:  # an article removed meanwhile has no terms: left (stored_terms)
                    changed += self._reread(article_id, body, json.loads(stored))
                except Exception:  # one bad article never stops the others
                    log.exception("article %d could not be read again; left as it was", article_id)
            if stop is not None and stop():
                return changed
        if changed:
            log.info("read %d stored article(s) in other languages again", changed)
        self.store.mark_upkeep_done(REREAD_OTHER_LANGUAGES)
        return changed

    def _reread(self, article_id: int, body: str, stored: list[list[int]]) -> bool:
        language = detect_language(body)  # as the article's own: its body is its text
        if language == "en":  # stored before its language was, and English: as it was
            return False
        resplit = self._split_again(article_id, body, [(int(a), int(b)) for a, b in stored])
        terms = analyze(body, language)
        old = self.store.stored_terms(article_id)
        if not terms or old is None or Counter(terms) == Counter(old):
            return resplit
        return self.store.replace_terms(article_id, terms) or resplit

    def _split_again(self, article_id: int, body: str, spans: list[tuple[int, int]]) -> bool:
        """Store the body's split by today's splitter where it differs from ``spans``
        (its vectors go with the old one, for the backfill to redo); whether it did."""
        fresh = split_body(body)
        if not fresh or fresh == spans:
            return False
        self.store.replace_spans(article_id, fresh)
        self._indexes.forget(article_id)
        return True

    # -- changing ---------------------------------------------------------------------

    def add_seeds(self, paths: Iterable[Path]) -> list[int]:
        """Store shipped articles for every chat; already stored ones are left as they are."""
        return [self.add_article(SHARED, load_article(path)).article_id for path in paths]

    def add(
        self,
        chat_id: int,
        text: str,
        *,
        added_by: int | None = None,
        name: str = "the new article",
        **metadata: str | None,
    ) -> AddResult:
        """Parse once, store, keep the index: the one way an article enters the library.

        Raises ``ArticleError`` for text that is not an article (empty, binary, no
        words a question could match)."""
        return self.add_article(chat_id, parse_article(text, name=name, **metadata), added_by)

    def add_article(
        self,
        chat_id: int,
        article: Article,
        added_by: int | None = None,
        *,
        feed_id: int | None = None,
    ) -> AddResult:
        terms = analyze(article.text, article.language)
        if not terms:
            raise ArticleError(f"{article.name} has no words that questions could match")
        result = self.store.add(chat_id, article, terms, added_by=added_by, feed_id=feed_id)
        if not result.duplicate:  # indexed now, never re-read and re-parsed for its briefing
            stored = replace(article, name=f"article {result.article_id}")
            self._indexes.put(result.article_id, ArticleIndex(stored))
        return result

    def add_extracted(
        self,
        chat_id: int,
        extracted: Extracted,
        added_by: int | None,
        *,
        feed_id: int | None = None,
    ) -> AddResult:
        """A fetched page, an upload or a feed's entry (``feed_id``: its feed, which the
        chat's retention then prunes it with)."""
        article = parse_article(extracted.text, name="the new article", **extracted.metadata())
        return self.add_article(chat_id, article, added_by, feed_id=feed_id)

    def admit(self, chat_id: int) -> ExitStack:
        """A place in the ingestion queue for one add by this chat, held until the
        ``with`` block ends; raises ``Busy`` at once when there is none."""
        self.ingestion.reserve(chat_id)
        place = ExitStack()
        place.callback(self.ingestion.release, chat_id)
        return place

    async def add_queued(
        self, chat_id: int, extracted: Extracted, added_by: int | None
    ) -> AddResult:
        """``add_extracted`` on the ingestion queue: off the event loop, within its caps."""
        return await self.ingestion.run(self.add_extracted, chat_id, extracted, added_by)

    async def fetch_url(self, chat_id: int, url: str) -> Extracted | KnownUrl:
        """The page's article, or the chat's copy when the URL is already stored."""
        existing = self.store.find_url(chat_id, url)
        if existing is not None:
            return KnownUrl(existing)
        return await self.fetch(url)

    async def fetch(self, url: str, *, queue: IngestionQueue | None = None) -> Extracted:
        """The page's article, fetched through the address guard within /add's limits and
        extracted on ``queue``'s threads (the ingestion queue's by default)."""
        queue = queue or self.ingestion
        fetched = await fetch(url, allow_hosts=self.allow_hosts)
        # Extraction of a 2 MB page takes seconds: never on the event loop, where
        # it would freeze every chat.
        if fetched.content_type.startswith("text/html") or fetched.content_type.endswith("xml"):
            html = fetched.body.decode("utf-8", errors="replace")
            extracted = await queue.run(extract_html, html, url=fetched.url)
            # Keep the URL the user gave (what duplicate checks compare), not the redirect's.
            return replace(extracted, url=url)
        found = await queue.run(extract_file, fetched.body, url)
        return Extracted(found.text, url=url)

    async def extract_upload(self, raw: bytes, file_name: str) -> Extracted:
        """An uploaded file's article, extracted on an ingestion thread (see ``fetch_url``)."""
        return await self.ingestion.run(extract_file, raw, file_name)

    def remove(self, chat_id: int, article_id: int) -> bool:
        removed = self.store.remove(chat_id, article_id)
        if removed:
            self._indexes.forget(article_id)
        return removed
