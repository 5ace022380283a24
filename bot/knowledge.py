"""The articles the bot answers from, indexed once at start-up and shared by all chats."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from retrieval import Answer, ArticleIndex, Citation, answer, brief, load_article
from retrieval.seeds import default_article_path

#: Above this many sentences, answering runs in a worker thread so that one
#: big article cannot stall every other chat on the event loop.
OFF_LOOP_SENTENCES = 400


@dataclass
class Knowledge:
    index: ArticleIndex

    @classmethod
    def from_path(cls, path: Path | None = None) -> Knowledge:
        return cls(ArticleIndex(load_article(path or default_article_path())))

    @property
    def is_large(self) -> bool:
        return len(self.index.article.sentences) > OFF_LOOP_SENTENCES

    async def answer(self, question: str) -> Answer:
        if self.is_large:
            return await asyncio.to_thread(answer, self.index, question)
        return answer(self.index, question)

    async def brief(self, n: int) -> tuple[Citation, ...]:
        if self.is_large:
            return await asyncio.to_thread(brief, self.index, n)
        return brief(self.index, n)
