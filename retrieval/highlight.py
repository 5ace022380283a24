"""The answer phrase inside the quoted sentence, which the bot bolds.

"How many troops are in Syria?" is answered by a whole sentence, but the
reader's eye wants "fewer than 1,000". The phrase is the reader model's
answer span in the best sentence (retrieval/reader.py), kept only for the
kinds of question whose span matched a gold answer at least 80 % of the time
on the SQuAD dev half (``python -m benchmarks.squad_quality``; the kinds are
in ``models/reader.json``): a wrong bold is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.answer_types import AnswerType

_QUALIFIER = (
    r"(?:(?:fewer|less|more)\s+than|about|around|approximately|nearly|almost|over|under|"
    r"up\s+to|at\s+least|at\s+most|some|roughly|just\s+over|just\s+under)\s+"
)


@dataclass(frozen=True)
class Highlight:
    """The phrase of one quoted sentence that answers the question."""

    sentence: int  #: the sentence's number in the article
    start: int  #: character offsets within the sentence's text
    end: int
    kind: AnswerType | None  #: what the question asks for; None: no recognised kind

    def text_in(self, sentence: str) -> str:
        return sentence[self.start : self.end]


_LEADING_QUALIFIER = re.compile(rf"(?:{_QUALIFIER})$", re.I)


def with_qualifier(sentence: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` widened over a qualifier just before it: the reader's span for "How
    many troops?" is often "1,000" where the sentence says "fewer than 1,000", and
    the qualifier is part of the answer."""
    found = _LEADING_QUALIFIER.search(sentence, 0, start)
    return (found.start(), end) if found else (start, end)
