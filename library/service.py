"""The library as the bot and the CLI use it: a chat's articles, questions, briefings, adds.

Shipped seed articles are stored once under the shared chat id, so every
chat sees them next to its own. Questions go to the chat's active article
when one is picked; otherwise to the whole visible library, where the term
index picks candidate articles and each is ranked exactly as a single
article is, with its stored vectors.

Vectors are computed once per article (``embed``: right after an add, for
seeds at start-up, and for older articles by ``backfill`` in the background)
and kept in the store, so a restart or a cache eviction never re-embeds. A
question across the library never embeds on its own path: an article whose
vectors are not stored yet is ranked on words until they are.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from library.backend import Store, open_store
from library.cache import IndexCache, TimedCache
from library.conversation import with_context
from library.coordination import Admission
from library.extract import Extracted, extract_file, extract_html
from library.fetch import fetch, is_web_link
from library.ingestion import IngestionQueue
from library.recency import recency, within
from library.rows import (
    SHARED,
    AddResult,
    ArticleRow,
    QuestionTally,
    Schedule,
    Thread,
    content_hash,
    hours_ago,
)
from retrieval import (
    CANDIDATES,
    MEANING_MODEL_ID,
    Answer,
    Article,
    ArticleError,
    ArticleIndex,
    ArticleVectors,
    Citation,
    CollectionAnswer,
    EmbeddingStopped,
    MeaningVectors,
    Models,
    RetrievalError,
    Shelved,
    analyze,
    answer,
    answer_across,
    brief,
    check_question,
    load_article,
    model_id,
    parse_article,
    question_terms,
    reads_with_meaning,
    shared_encoder,
    spans_intact,
    split_body,
)

log = logging.getLogger(__name__)

#: Shared links and texts asked about (not added) kept for the next question, and for how long.
LOOKED_UP_ARTICLES = 32
LOOKED_UP_SECONDS = 30 * 60
#: How long a reply to one of the bot's answers still continues that conversation.
THREAD_DAYS = 7
#: Days a silent bot process's question tally still counts in /stats.
TALLY_DAYS = 30
#: How far back the first daily briefing reaches: the day before /schedule.
FIRST_WINDOW_HOURS = 24
#: Articles a library question sharing no word with any article gets by meaning.
SEMANTIC_CANDIDATES = 3
#: Articles the background backfill reads from the database at a time.
BACKFILL_BATCH = 16
#: "Ask about it" prompts a chat keeps waiting for their question, and for how long.
PROMPTS_KEPT = 20
PROMPT_DAYS = 2
#: The one-off check of stored sentence spans (see ``repair_sentence_spans``).
SPAN_REPAIR = "sentence-spans-1"


@dataclass(frozen=True)
class SingleReply:
    """An answer from one article (citations are sentence numbers of that article)."""

    article_id: int | None  #: None: an article looked up for questions, not in the library
    article: Article
    answer: Answer

    @property
    def abstained(self) -> bool:
        return self.answer.abstained


@dataclass(frozen=True)
class AcrossReply:
    """An answer from the chat's library (citations name the article, ``[A:N]``)."""

    answer: CollectionAnswer

    @property
    def abstained(self) -> bool:
        return self.answer.abstained


Reply = SingleReply | AcrossReply


@dataclass(frozen=True)
class KnownUrl:
    """The link is already in the chat's library, as this article."""

    article_id: int


@dataclass(frozen=True)
class DueBriefing:
    """What a chat's daily briefing says now (the rule lives here; the bot only sends).

    ``article_ids`` are the chat's articles added since the last briefing, oldest
    first; none means "nothing new", which a chat hears once, then ``quiet``.
    """

    until: str  #: the cut-off: articles added later go into the next briefing
    article_ids: tuple[int, ...] = ()
    scheduled: bool = True  #: False: the chat unscheduled meanwhile
    quiet: bool = False  #: nothing to send at all
    #: The feed each article came from, for those a feed brought: with any, the briefing
    #: is a digest grouped by feed.
    feeds: dict[int, str] = field(default_factory=dict)


class Library:
    def __init__(
        self,
        store: Store,
        *,
        cache_size: int = 256,
        allow_hosts: Collection[str] = (),
    ) -> None:
        self.store = store
        #: What this process must agree on with any other serving the same library.
        self.coordination = store.coordination()
        self.allow_hosts = frozenset(allow_hosts)
        self._indexes = IndexCache(self._build_index, cache_size)
        self._stopping = threading.Event()
        self._backfilling: threading.Thread | None = None
        #: Where adding articles runs (see library/ingestion.py).
        self.ingestion = IngestionQueue()
        #: Loads a library question's candidate articles in parallel (``ask_across``).
        self._loader = ThreadPoolExecutor(CANDIDATES, thread_name_prefix="load-article")
        #: Articles of shared messages asked about, not added (``look_up``).
        self._looked_up = TimedCache(LOOKED_UP_ARTICLES, LOOKED_UP_SECONDS)
        #: Reading and embedding a shared link someone asks about: as heavy as an add, so
        #: bounded the same way, on a thread of its own so adds and look-ups never wait
        #: for each other.
        self.looking_up = IngestionQueue(
            workers=1, capacity=3, per_chat=1, doing="reading", done="read"
        )

    # -- set-up -----------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        seeds: Iterable[Path] = (),
        cache_size: int = 256,
        allow_hosts: Collection[str] = (),
    ) -> Library:
        """The database at ``path`` (a SQLite file, or a ``postgresql://`` URL), created or
        migrated, with ``seeds`` stored for every chat and embedded, and the candidate
        index loaded: ready for the first question.

        Raises ``StoreError`` (unusable database) or ``RetrievalError`` (a bad seed file).
        """
        store = open_store(path)
        try:
            library = cls(store, cache_size=cache_size, allow_hosts=allow_hosts)
            library.warm_up(library.add_seeds(seeds))
            store.term_index()  # loaded now, not on some user's first question
        except BaseException:
            store.close()
            raise
        return library

    def close(self) -> None:
        self._loader.shutdown()
        self.store.close()

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
                if spans_intact(body, spans):
                    continue
                fresh = split_body(body)
                if fresh and fresh != spans:
                    self.store.replace_spans(article_id, fresh)
                    self._indexes.forget(article_id)
                    repaired += 1
            if stop is not None and stop():
                return repaired
        if repaired:
            log.warning("split %d stored article(s) again: their sentences had lost text", repaired)
        self.store.mark_upkeep_done(SPAN_REPAIR)
        return repaired

    def add_seeds(self, paths: Iterable[Path]) -> list[int]:
        """Store shipped articles for every chat; already stored ones are left as they are."""
        return [self.add_article(SHARED, load_article(path)).article_id for path in paths]

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
                vectors = index.embed_all(stop=self._stopping.is_set)
            except EmbeddingStopped:
                return False  # shutting down; the backfill embeds it at the next start
            assert vectors is not None
            self.store.save_vectors(article_id, model_id(), vectors.to_bytes(), vectors.context)
            return True

    def keep_vectors(self, article_id: int, vectors: ArticleVectors) -> None:
        """Store vectors computed elsewhere (benchmarks reuse one embedding of an article);
        the article's next question loads them instead of ranking it on words."""
        self.store.save_vectors(article_id, model_id(), vectors.to_bytes(), vectors.context)
        self._indexes.forget(article_id)

    def start_backfill(self) -> None:
        """Run ``backfill`` in a background thread until it is done or ``stop_background``
        (not again while one runs)."""
        if self._backfilling is not None and self._backfilling.is_alive():
            return
        self._backfilling = threading.Thread(
            target=self.backfill, name="backfill-vectors", daemon=True
        )
        self._backfilling.start()

    def begin_stopping(self) -> None:
        """Ask embedding under way (an add's, the backfill's, a shared link's) to stop at its
        next batch; ``stop_background`` also waits for the backfill."""
        self._stopping.set()

    def stop_background(self, timeout: float = 10.0) -> None:
        """Ask the backfill, and any embedding under way, to stop at its next batch of
        sentences; wait for the backfill. What was not embedded is embedded at the next start."""
        self._stopping.set()
        if self._backfilling is not None:
            self._backfilling.join(timeout)

    def backfill(self, stop: Callable[[], bool] | None = None) -> int:
        """Embed every stored article that has no vectors yet (older databases, a new model,
        articles ``repair_sentence_spans`` split again, which runs first); runs in the
        background after start-up. Returns how many it embedded."""
        stop = stop or self._stopping.is_set
        self.repair_sentence_spans(stop)  # its articles must be embedded afresh
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

    # -- reading ----------------------------------------------------------------------

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

    def articles(self, chat_id: int) -> list[ArticleRow]:
        return self.store.visible(chat_id)

    def current(self, chat_id: int) -> ArticleRow | None:
        """The article a chat's /brief and /source refer to: the active one, else the newest."""
        active = self._active(chat_id)
        if active is not None:
            return active
        newest = self.store.newest(chat_id, 1)
        return newest[0] if newest else None

    def ask(self, chat_id: int, question: str) -> Reply:
        """To the active article; to the only article; else across the chat's library."""
        active = self._active(chat_id)
        newest = self.store.newest(chat_id, 2) if active is None else [active]
        if len(newest) == 1:  # the picked article, or the library's only one
            only = newest[0].id
            self.embed(only)  # a no-op once stored; one article, so at most a second once
            index = self.index(only)
            return SingleReply(only, index.article, answer(index, question))
        return AcrossReply(self.ask_across(chat_id, question))

    # -- conversations ------------------------------------------------------------------

    def remember(self, chat_id: int, message_ids: list[int], reply: Reply) -> None:
        """Keep which article the bot's answer (these messages) came from, for replies to it;
        answers older than ``THREAD_DAYS`` are forgotten."""
        if isinstance(reply, SingleReply):
            if reply.article_id is None:
                return  # looked up, not stored: a reply to it starts afresh
            article_id, question = reply.article_id, reply.answer.question
        elif reply.answer.best is not None and not reply.abstained:
            article_id, question = reply.answer.best.key, reply.answer.question
        else:
            return  # no article answered: a reply to it starts afresh
        self.store.remember_answer(
            chat_id, message_ids, article_id, question, forget_before=hours_ago(24 * THREAD_DAYS)
        )

    def remember_prompt(self, chat_id: int, message_id: int, payload: str) -> None:
        """The bot's message ``message_id`` asks for a question about ``payload``: kept in the
        store, so a reply reaches it after a restart or on another replica."""
        self.store.remember_prompt(
            chat_id,
            message_id,
            payload,
            keep=PROMPTS_KEPT,
            forget_before=hours_ago(24 * PROMPT_DAYS),
        )

    def prompt(self, chat_id: int, message_id: int) -> str | None:
        """What the bot's prompt ``message_id`` asked about, while it is pending."""
        return self.store.prompt(chat_id, message_id)

    def report_tally(self, tally: QuestionTally) -> None:
        """Keep a bot process's tally where /stats on any replica, or after a restart,
        finds it; processes silent for ``TALLY_DAYS`` are forgotten."""
        self.store.report_tally(tally, forget_before=hours_ago(24 * TALLY_DAYS))

    def tallies(self) -> list[QuestionTally]:
        """The tally of every bot process heard from in the last ``TALLY_DAYS``."""
        return self.store.tallies()

    def thread(self, chat_id: int, message_id: int) -> Thread | None:
        """What the bot's message answered, while the chat may still see that article."""
        found = self.store.thread(chat_id, message_id)
        if found is None or self.store.row(chat_id, found.article_id) is None:
            return None
        return found

    def ask_in_thread(self, chat_id: int, thread: Thread, question: str) -> SingleReply:
        """A reply to an answer: the same article, the question read with the previous one."""
        self.embed(thread.article_id)  # a no-op once stored
        index = self.index(thread.article_id)
        result = answer(index, with_context(question, thread.question))
        return SingleReply(thread.article_id, index.article, replace(result, question=question))

    # -- articles looked up, not added ----------------------------------------------------

    async def look_up(self, chat_id: int, payload: str) -> ArticleIndex:
        """The article a shared message holds (its link, fetched with /add's guard and
        limits, or its own text), read and embedded, kept a while for the next question;
        never stored. Raises ``Busy`` when too many are being read already (one per chat),
        and ``EmbeddingStopped`` when the bot stops meanwhile."""
        link = is_web_link(payload)
        key = payload if link else content_hash(payload)
        found = self._looked_up.get(key)
        if found is not None:
            return found
        with self.looking_up.admit(chat_id):
            if link:
                extracted = await self.fetch(payload, queue=self.looking_up)
                text, name, metadata = extracted.text, "the shared link", extracted.metadata()
            else:
                text, name, metadata = payload, "the shared message", {}
            index = await self.looking_up.run(self._read_shared, text, name, metadata)
        self._looked_up.put(key, index)
        return index

    def _read_shared(self, text: str, name: str, metadata: dict[str, str | None]) -> ArticleIndex:
        index = ArticleIndex(parse_article(text, name=name, **metadata))
        index.embed_all(stop=self._stopping.is_set)
        return index

    def ask_about(self, index: ArticleIndex, question: str) -> SingleReply:
        return SingleReply(None, index.article, answer(index, question))

    def article(self, article_id: int) -> Article:
        return self.index(article_id).article

    def row(self, chat_id: int, article_id: int) -> ArticleRow | None:
        """The article if the chat may see it."""
        return self.store.row(chat_id, article_id)

    def active_id(self, chat_id: int) -> int | None:
        """The article picked with /use (``None``: questions go to the whole library)."""
        return self.store.active_article(chat_id)

    def watching(self, chat_id: int) -> bool:
        """Whether links posted in the chat become its articles (/watch)."""
        return self.store.watching(chat_id)

    def set_watching(self, chat_id: int, on: bool) -> None:
        self.store.set_watching(chat_id, on)

    def library_of(self, chat_id: int) -> int:
        """The chat whose articles ``chat_id`` reads and adds to: a channel's discussion
        group shares the channel's library; every other chat has its own."""
        return self.store.library_of(chat_id)

    def chat_language(self, chat_id: int) -> str | None:
        """The language the bot speaks in the chat, if one was chosen (/language)."""
        return self.store.chat_language(chat_id)

    def set_chat_language(self, chat_id: int, language: str | None) -> None:
        self.store.set_chat_language(chat_id, language)

    def share_library(self, chat_id: int, library_chat: int) -> bool:
        """Let ``chat_id`` share ``library_chat``'s library; whether that changed anything
        (a discussion group hears of its channel on every post, and writes once)."""
        if self.store.library_of(chat_id) == library_chat:
            return False
        self.store.share_library(chat_id, library_chat)
        return True

    def use(self, chat_id: int, article_id: int | None) -> None:
        self.store.set_active(chat_id, article_id)

    def count(self) -> int:
        """Articles stored, for every chat."""
        return self.store.count()

    def _active(self, chat_id: int) -> ArticleRow | None:
        """The article picked with /use, while the chat may still see it."""
        active = self.store.active_article(chat_id)
        return self.store.row(chat_id, active) if active is not None else None

    def ask_across(
        self, chat_id: int, question: str, *, models: Models | None = None
    ) -> CollectionAnswer:
        """Answer from the chat's whole library, whatever article is active. A question that
        asks for what is new ("latest", "today") is answered from the newest articles that
        answer it (library/recency.py)."""
        wanted = recency(question)
        candidates = self.candidates(chat_id, question, CANDIDATES * (4 if wanted else 1))
        dates: dict[int, str] = {}
        if wanted is not None and candidates:
            dates = self.store.article_dates(candidates)
            if wanted.days is not None:
                candidates = within(dates, candidates, wanted.days) or candidates
            candidates = candidates[:CANDIDATES]
        if not candidates:  # nothing matches at all: rank the newest so tools still get citations
            candidates = [row.id for row in self.store.newest(chat_id, 1)]
        # Articles not cached are loaded side by side (with PostgreSQL most of a load is
        # waiting for the server), and meanwhile the model reads the question: it runs
        # outside the GIL, so its ~10 ms overlap the loads instead of following them.
        loads = [self._loader.submit(self.index, article_id) for article_id in candidates]
        _read_question(question)
        indexes = [load.result() for load in loads]
        shelved = [Shelved(i, index) for i, index in zip(candidates, indexes, strict=True)]
        found = answer_across(question, shelved, embed=False, models=models)
        return _newest_answering(found, dates) if wanted and wanted.newest_first else found

    def candidates(self, chat_id: int, question: str, limit: int) -> list[int]:
        """The chat's visible articles that best match the question's words (article BM25).
        When none shares a word with the question and the store keeps a nearest-sentence
        index (PostgreSQL), the articles of the sentences nearest its meaning instead.

        Only then: at 100,000 articles the index search took 27 ms a question and, added
        to the word candidates of every question, moved the answers by 0.3 points."""
        found = self.store.search(chat_id, question_terms(question), limit)
        if not found:
            found = self.coordination.nearest(
                chat_id,
                lambda: shared_encoder().encode_question(question).pooled(),
                min(limit, SEMANTIC_CANDIDATES),
            )
        return found

    def brief(self, article_id: int, n: int) -> tuple[Citation, ...]:
        return brief(self.index(article_id), n)

    # -- changing ---------------------------------------------------------------------

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

    # -- daily briefings ----------------------------------------------------------------

    def schedules(self) -> list[Schedule]:
        return self.store.schedules()

    def set_schedule(self, chat_id: int, time: str, tz: str) -> None:
        """The first briefing covers what the chat added in the day before it scheduled
        one (it would otherwise open with "nothing new" right after a day of adds)."""
        self.store.set_schedule(chat_id, time, tz, first_since=hours_ago(FIRST_WINDOW_HOURS))

    def clear_schedule(self, chat_id: int) -> bool:
        """True if the chat had a schedule."""
        return self.store.clear_schedule(chat_id)

    def claim_briefing(self, chat_id: int, at: datetime) -> bool:
        """Take today's daily briefing of the chat (the day as its time zone counts it);
        False when it was taken already: by another replica sharing the database, or by a
        second job. A replica killed after the claim and before sending loses that day's
        briefing rather than risk sending it twice."""
        schedule = self.store.schedule(chat_id)
        if schedule is None:
            return False
        try:
            local = at.astimezone(ZoneInfo(schedule.tz))
        except (ZoneInfoNotFoundError, ValueError):
            local = at.astimezone(UTC)
        return self.store.claim_briefing(chat_id, f"{local:%Y-%m-%d} {schedule.time}")

    # -- shared question limits -----------------------------------------------------------

    @property
    def replicated(self) -> bool:
        """Whether other processes may serve this library (PostgreSQL replicas)."""
        return self.coordination.shared

    def admit_question(self, user_id: int, per_window: int, window_seconds: float) -> Admission:
        """Count a question of ``user_id`` against the per-user limit, across every process
        that serves this library."""
        return self.coordination.admit_question(user_id, per_window, window_seconds)

    def due_briefing(self, chat_id: int, until: str) -> DueBriefing:
        """The articles added since the chat's last briefing, up to ``until``; "nothing new"
        is said once, then the briefing stays quiet until something is added."""
        schedule = self.store.schedule(chat_id)
        if schedule is None:
            return DueBriefing(until, scheduled=False, quiet=True)
        # A discussion group's briefing tells of its channel's articles.
        rows = self.store.added_between(
            self.store.library_of(chat_id), schedule.last_briefed_at, until
        )
        ids = tuple(row.id for row in rows)
        feeds = self.store.feed_names(ids) if ids else {}
        return DueBriefing(until, ids, quiet=not ids and schedule.told_nothing_new, feeds=feeds)

    def briefed(self, chat_id: int, due: DueBriefing) -> None:
        """Record that ``due`` was sent."""
        self.store.mark_briefed(chat_id, until=due.until, nothing_new=not due.article_ids)


def _newest_answering(found: CollectionAnswer, dates: dict[int, str]) -> CollectionAnswer:
    """``found`` with the newest of the articles that answer as its best."""
    answering = [(s, a) for s, a in found.ranked if not a.abstained and not a.near_miss]
    if not answering:
        return found
    best, _ = max(answering, key=lambda pair: dates.get(int(pair[0].key), ""))
    if best is found.best:
        return found
    # Only the winner was read in full (retrieval.collection): read the newest one so.
    full = answer(best.index, found.question, embed=False)
    if full.abstained:
        return found
    ranked = ((best, full), *(p for p in found.ranked if p[0] is not best))
    return replace(found, best=best, answer=full, ranked=ranked)


def _read_question(question: str) -> None:
    """Have the model read ``question`` now (its reading is cached for the ranking). Only a
    head start: a question the ranking will refuse, or a model that cannot be read, is
    left for the ranking to report, as it did before this existed."""
    with contextlib.suppress(RetrievalError):
        shared_encoder().encode_question(check_question(question))
