"""Naming the answer inside the quoted sentence: the one amount, date or name it asks for.

"How many troops are in Syria?" is answered by a whole sentence, but the
reader's eye wants "fewer than 1,000". When the question asks for a number,
an amount, a date or a name, and the best sentence holds exactly one phrase
of that kind that the question does not already hold, that phrase is the
highlight (the bot bolds it). Two candidates means we cannot tell which, so
nothing is bolded; a wrong bold is worse than none.

Which kinds are bolded is decided by measurement, not hope:
``python -m benchmarks.highlight_quality`` measures, on the SQuAD half-dev
file, how often the bolded phrase matches a gold answer for each kind, and
only kinds at 80 % or better are in ``BOLDED`` (docs/retrieval.md has the figures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.answer_types import AnswerType, answer_type

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|dozen|half"
)
_QUALIFIER = (
    r"(?:(?:fewer|less|more)\s+than|about|around|approximately|nearly|almost|over|under|"
    r"up\s+to|at\s+least|at\s+most|some|roughly|just\s+over|just\s+under)\s+"
)
_UNIT = (
    r"percent|per\s?cent|%|dollars?|euros?|pounds?|yen|francs?|kronor|rupees?|"
    r"kilometres?|kilometers?|km|miles?|metres?|meters?|centimetres?|feet|foot|inches|"
    r"kilograms?|kg|tonnes?|tons?|hectares?|acres?|degrees?|"
    r"years?|months?|weeks?|days?|hours?|minutes?|seconds?|points?|votes?|people|jobs"
)
_AMOUNT = re.compile(
    rf"(?:{_QUALIFIER})?(?:[$€£¥]\s?)?"
    rf"(?:\d+(?:[,.]\d+)*(?:\s*[-–]\s*\d+(?:[,.]\d+)*)?"
    rf"|\b(?:{_NUMBER_WORDS})(?:[-\s](?:{_NUMBER_WORDS}))*\b)"
    rf"(?:\s*(?:thousand|million|billion|trillion)\b)?"
    rf"(?:\s*(?:{_UNIT})\b|(?<=\d)%)?",
    re.I,
)
_MONTH = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
_WEEKDAY = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_DATE = re.compile(
    rf"\b(?:(?:{_MONTH})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+(?:{_MONTH})(?:\s+\d{{4}})?"
    rf"|(?:{_MONTH})\s+\d{{4}}"
    rf"|(?:(?:early|late|mid)[-\s])?(?:the\s+)?\d{{4}}s?"
    rf"|(?:next|last|this)\s+(?:{_WEEKDAY}|week|month|year)"
    rf"|{_WEEKDAY}|(?:{_MONTH}))\b",
)
_NAME = re.compile(
    r"\b[A-Z][\w'\u2019.-]*(?:\s+(?:of|de|van|von|al|bin|the|and)?\s*[A-Z][\w'\u2019.-]*)*"
)

#: The kinds of answer that are bolded (see the module docstring for why these).
BOLDED = frozenset({AnswerType.NUMBER, AnswerType.DATE})


@dataclass(frozen=True)
class Highlight:
    """The phrase of one quoted sentence that answers the question."""

    sentence: int  #: the sentence's number in the article
    start: int  #: character offsets within the sentence's text
    end: int
    kind: AnswerType

    def text_in(self, sentence: str) -> str:
        return sentence[self.start : self.end]


def find_highlight(
    question: str, sentence: str, number: int, kinds: frozenset[AnswerType] = BOLDED
) -> Highlight | None:
    """The one phrase of the asked kind in ``sentence`` that ``question`` lacks, else ``None``."""
    kind = answer_type(question)
    if kind is None or kind not in kinds:
        return None
    spans = phrases(kind, sentence, question)
    if len(spans) != 1:
        return None
    start, end = spans[0]
    return Highlight(number, start, end, kind)


def phrases(kind: AnswerType, sentence: str, question: str) -> list[tuple[int, int]]:
    """Spans of ``kind`` phrases in ``sentence`` that the question does not already hold."""
    pattern = {AnswerType.NUMBER: _AMOUNT, AnswerType.DATE: _DATE, AnswerType.NAME: _NAME}[kind]
    asked = question.casefold()
    found = []
    for match in pattern.finditer(sentence):
        start, end = match.span()
        text = match.group().strip()
        if not text or not any(c.isalnum() for c in text):
            continue
        if kind is AnswerType.NAME and start == 0:
            continue  # capitalised by grammar, not because it is a name
        if text.casefold() in asked or (kind is AnswerType.NAME and _named_in(text, asked)):
            continue
        if kind is AnswerType.NUMBER and _part_of_date(sentence, start, end):
            continue
        lead = len(match.group()) - len(match.group().lstrip())
        found.append((start + lead, end))
    return found


def _named_in(name: str, asked: str) -> bool:
    return any(word.casefold().strip(".'\u2019") in asked for word in name.split())


def _part_of_date(sentence: str, start: int, end: int) -> bool:
    """A year or a day of the month is a date, not an amount."""
    return any(m.start() <= start and end <= m.end() for m in _DATE.finditer(sentence))
