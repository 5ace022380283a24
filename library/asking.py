"""Asking: a question to one article, to a chat's whole library, in a thread, or about a
shared message; and what questions leave behind (threads, pending prompts, tallies).

Questions go to the chat's active article when one is picked; otherwise to the
whole visible library, where the term index picks candidate articles and each
is ranked exactly as a single article is, with its stored vectors. A question
across the library never embeds on its own path: an article whose vectors are
not stored yet is ranked on words until they are.
"""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from library.articles import Articles
from library.backend import Store
from library.cache import TimedCache
from library.conversation import with_context
from library.coordination import Admission, Coordination
from library.fetch import is_web_link
from library.ingestion import IngestionQueue
from library.recency import recency, within
from library.rows import QuestionTally, Thread, content_hash, hours_ago
from retrieval import (
    CANDIDATES,
    MEANING_MODEL_ID,
    UNDETERMINED,
    Answer,
    Article,
    ArticleIndex,
    CollectionAnswer,
    Models,
    RetrievalError,
    Shelved,
    across_languages,
    answer,
    answer_across,
    check_question,
    detect_question,
    latin,
    multilingual_available,
    parse_article,
    question_terms,
    shared_encoder,
)

#: Shared links and texts asked about (not added) kept for the next question, and for how long.
LOOKED_UP_ARTICLES = 32
LOOKED_UP_SECONDS = 30 * 60
#: How long a reply to one of the bot's answers still continues that conversation.
THREAD_DAYS = 7
#: Days a silent bot process's question tally still counts in /stats.
TALLY_DAYS = 30
#: Articles a library question sharing no word with any article gets by meaning.
SEMANTIC_CANDIDATES = 3
#: Articles in another language than a library question, which its words cannot find,
#: are read for it by meaning: the nearest of the chat's newest ``ACROSS_SCAN`` of them.
ACROSS_SCAN = 24
#: "Ask about it" prompts a chat keeps waiting for their question, and for how long.
PROMPTS_KEPT = 20
PROMPT_DAYS = 2


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
    #: The chat's English articles not yet read for questions in other languages when
    #: this one's candidates were chosen (``Asking._english_read_across``; being read
    #: now): the answer may lie in one of them.
    reading: int = 0

    @property
    def abstained(self) -> bool:
        return self.answer.abstained


Reply = SingleReply | AcrossReply


class Asking:
    def __init__(self, store: Store, articles: Articles, coordination: Coordination) -> None:
        self.store = store
        self.articles = articles
        self.coordination = coordination
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

    def close(self) -> None:
        self._loader.shutdown()

    # -- questions ----------------------------------------------------------------------

    def ask(self, chat_id: int, question: str, *, reader: str | None = None) -> Reply:
        """To the active article; to the only article; else across the chat's library.
        ``reader``: the asker's own language (Telegram's ``language_code``), when known:
        see ``_asked_in_another_language``."""
        active = self.articles.active(chat_id)
        newest = self.articles.newest(chat_id, 2) if active is None else [active]
        if len(newest) == 1:  # the picked article, or the library's only one
            only = newest[0].id
            index = self._ready(only, question, reader)  # one article, so a second once
            return SingleReply(only, index.article, answer(index, question))
        found, unread = self._ask_across(chat_id, question, None, reader)
        return AcrossReply(found, reading=unread)

    def _ready(self, article_id: int, question: str, reader: str | None) -> ArticleIndex:
        """One article about to be asked: embedded, and for a question in another language
        than English, read by the multilingual model too (both no-ops once stored: kept,
        so neither a restart nor another replica reads it again)."""
        self.articles.embed(article_id)
        if _asked_in_another_language(question, reader):
            self.articles.read_across(article_id)  # an English article's, for this question
            return self.articles.read_across_index(article_id) or self.articles.index(article_id)
        return self.articles.index(article_id)

    def ask_across(
        self,
        chat_id: int,
        question: str,
        *,
        models: Models | None = None,
        reader: str | None = None,
    ) -> CollectionAnswer:
        """Answer from the chat's whole library, whatever article is active. A question that
        asks for what is new ("latest", "today") is answered from the newest articles that
        answer it (library/recency.py). ``reader``: as for ``ask``."""
        return self._ask_across(chat_id, question, models, reader)[0]

    def _ask_across(
        self, chat_id: int, question: str, models: Models | None, reader: str | None
    ) -> tuple[CollectionAnswer, int]:
        """``ask_across``'s answer, and how many of the chat's English articles it could
        not read across languages, not read yet (``_english_read_across``)."""
        wanted = recency(question)
        limit = CANDIDATES * (4 if wanted else 1)
        candidates, unread = self._candidates(chat_id, question, limit, reader)
        dates: dict[int, str] = {}
        if wanted is not None and candidates:
            dates = self.store.article_dates(candidates)
            if wanted.days is not None:
                candidates = within(dates, candidates, wanted.days) or candidates
            candidates = candidates[:CANDIDATES]
        if not candidates:  # nothing matches at all: rank the newest so tools still get citations
            candidates = [row.id for row in self.articles.newest(chat_id, 1)]
        # Articles not cached are loaded side by side (with PostgreSQL most of a load is
        # waiting for the server), and meanwhile the model reads the question: it runs
        # outside the GIL, so its ~10 ms overlap the loads instead of following them.
        loads = [self._loader.submit(self.articles.index, i) for i in candidates]
        _read_question(question)
        indexes = [load.result() for load in loads]
        shelved = [Shelved(i, index) for i, index in zip(candidates, indexes, strict=True)]
        found = answer_across(question, shelved, embed=False, models=models)
        if wanted and wanted.newest_first:
            found = _newest_answering(found, dates)
        return found, unread

    def candidates(
        self, chat_id: int, question: str, limit: int, *, reader: str | None = None
    ) -> list[int]:
        """The chat's visible articles that best match the question's words (article BM25).
        When none shares a word with the question and the store keeps a nearest-sentence
        index (PostgreSQL), the articles of the sentences nearest its meaning instead.
        Then the articles in another language that its meaning finds (``_across_languages``).

        Only then: at 100,000 articles the index search took 27 ms a question and, added
        to the word candidates of every question, moved the answers by 0.3 points."""
        return self._candidates(chat_id, question, limit, reader)[0]

    def _candidates(
        self, chat_id: int, question: str, limit: int, reader: str | None
    ) -> tuple[list[int], int]:
        """``candidates``, and how many English articles are not read across yet."""
        found = self.store.search(chat_id, question_terms(question), limit)
        if not found:
            found = self.coordination.nearest(
                chat_id,
                lambda: shared_encoder().encode_question(question).pooled(),
                min(limit, SEMANTIC_CANDIDATES),
            )
        across, unread = self._across_languages(chat_id, question, found, reader)
        return found + across, unread

    def _across_languages(
        self, chat_id: int, question: str, found: list[int], reader: str | None
    ) -> tuple[list[int], int]:
        """The articles in another language than the question that its words cannot find,
        nearest its meaning (``retrieval.across_languages``): an English question finds
        the Russian article that answers it, among the chat's newest ``ACROSS_SCAN``, and
        a Russian one the English article (``_english_read_across``, whose count of
        articles not read yet comes with them)."""
        if not multilingual_available():
            return [], 0
        language, _ = detect_question(question)
        others = [
            Shelved(i, self.articles.index(i))
            for i in self.store.in_other_languages(chat_id, language, ACROSS_SCAN)
            if i not in found
        ]
        unread = 0
        if _asked_in_another_language(question, reader):
            english, unread = self._english_read_across(chat_id, found)
            others += english
        return [s.key for s in across_languages(question, others, embed=False)], unread

    def _english_read_across(self, chat_id: int, found: list[int]) -> tuple[list[Shelved], int]:
        """Of the chat's newest ``ACROSS_SCAN`` English articles, those the multilingual
        model has read (``Articles.read_across``) and the words did not find. Those found
        get that reading too (else they are ranked on words); those not read yet are read
        in the background now, for the next question (this one never waits for a model),
        and counted."""
        newest = self.store.english_newest(chat_id, MEANING_MODEL_ID, ACROSS_SCAN)
        unread = [i for i, read in newest if not read]
        self.articles.read_across_soon(unread)
        read_across = ((i, self.articles.read_across_index(i)) for i, read in newest if read)
        shelved = [
            Shelved(i, index) for i, index in read_across if index is not None and i not in found
        ]
        return shelved, len(unread)

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

    def thread(self, chat_id: int, message_id: int) -> Thread | None:
        """What the bot's message answered, while the chat may still see that article."""
        found = self.store.thread(chat_id, message_id)
        if found is None or self.store.row(chat_id, found.article_id) is None:
            return None
        return found

    def ask_in_thread(
        self, chat_id: int, thread: Thread, question: str, *, reader: str | None = None
    ) -> SingleReply:
        """A reply to an answer: the same article, the question read with the previous one
        (``reader``: as for ``ask``)."""
        index = self._ready(thread.article_id, question, reader)
        result = answer(index, with_context(question, thread.question))
        return SingleReply(thread.article_id, index.article, replace(result, question=question))

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

    # -- shared messages, asked about and not added ---------------------------------------

    async def ask_about(self, chat_id: int, payload: str, question: str) -> SingleReply:
        """A question about a shared link or text, answered without adding it; ``Busy`` when
        too many shared links are being read (see ``look_up``)."""
        index = await self.look_up(chat_id, payload)
        return await asyncio.to_thread(self.answer_about, index, question)

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
                extracted = await self.articles.fetch(payload, queue=self.looking_up)
                text, name, metadata = extracted.text, "the shared link", extracted.metadata()
            else:
                text, name, metadata = payload, "the shared message", {}
            index = await self.looking_up.run(self._read_shared, text, name, metadata)
        self._looked_up.put(key, index)
        return index

    def _read_shared(self, text: str, name: str, metadata: dict[str, str | None]) -> ArticleIndex:
        index = ArticleIndex(parse_article(text, name=name, **metadata))
        index.embed_all(stop=self.articles.stopping.is_set)
        return index

    def answer_about(self, index: ArticleIndex, question: str) -> SingleReply:
        return SingleReply(None, index.article, answer(index, question))

    # -- limits and counts, across every process --------------------------------------------

    def admit_question(self, user_id: int, per_window: int, window_seconds: float) -> Admission:
        """Count a question of ``user_id`` against the per-user limit, across every process
        that serves this library."""
        return self.coordination.admit_question(user_id, per_window, window_seconds)

    def report_tally(self, tally: QuestionTally) -> None:
        """Keep a bot process's tally where /stats on any replica, or after a restart,
        finds it; processes silent for ``TALLY_DAYS`` are forgotten."""
        self.store.report_tally(tally, forget_before=hours_ago(24 * TALLY_DAYS))

    def tallies(self) -> list[QuestionTally]:
        """The tally of every bot process heard from in the last ``TALLY_DAYS``."""
        return self.store.tallies()


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


def _asked_in_another_language(question: str, reader: str | None = None) -> bool:
    """Whether the question is surely not English, so English articles are read for it by
    the multilingual model, which costs seconds an article. Sure: in another script, or
    the detector at least 50 % sure. Of SQuAD's English training questions 0.2 % are so
    misread ("When did Beyoncé get married?"), so where the asker's Telegram app is in
    English (``reader``), only a question in another script counts."""
    language, sure = detect_question(question)
    if not sure or language in ("en", UNDETERMINED):
        return False
    english_reader = reader is not None and reader.lower().split("-")[0] == "en"
    return not english_reader or not latin(question)
