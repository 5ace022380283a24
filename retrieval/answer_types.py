"""What kind of answer a question wants, and whether a sentence offers one.

A question asking "how many" is answered by a sentence holding a number that
the question does not already hold ("How many troops are in Syria?" wants
"fewer than 1,000", not another sentence that merely repeats "troops").
This lexical check is cheap and general; on SQuAD it lifts top-1 by about
one point (benchmarks/squad_quality.py --ablation).
"""

from __future__ import annotations

import re
from enum import Enum


class AnswerType(Enum):
    NUMBER = "number"
    DATE = "date"
    NAME = "name"


_DATE_QUESTION = re.compile(
    r"\bwhen\b|\b(?:what|which)\s+(?:year|decade|century|date|day|month|time)\b", re.I
)
_NUMBER_QUESTION = re.compile(
    r"\bhow\s+(?:many|much|long|old|far|large|big|tall|high|often|fast)\b"
    r"|\bwhat\s+(?:percentage|percent|number|amount|proportion|share)\b",
    re.I,
)
_NAME_QUESTION = re.compile(
    r"\bwho(?:m|se)?\b|\bwhere\b"
    r"|\b(?:what|which)\s+(?:team|city|country|company|state|nation|person|organi[sz]ation"
    r"|group|university|school|river|place|agency|party|official|leader|base)\b",
    re.I,
)

_NUMBER = re.compile(
    r"\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|million|billion|trillion|dozen|half)\b",
    re.I,
)
_DATE = re.compile(
    r"\b(?:1\d{3}|20\d{2})s?\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow)\b"
    r"|\b(?:last|next|this)\s+(?:week|month|year)\b|\bcentur(?:y|ies)\b",
    re.I,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019-]*")


def answer_type(question: str) -> AnswerType | None:
    """The answer type a question asks for, or ``None`` when it is open-ended."""
    if _DATE_QUESTION.search(question):
        return AnswerType.DATE
    if _NUMBER_QUESTION.search(question):
        return AnswerType.NUMBER
    if _NAME_QUESTION.search(question):
        return AnswerType.NAME
    return None


def offers_answer(kind: AnswerType, sentence: str, question: str) -> bool:
    """Whether ``sentence`` holds something of ``kind`` that ``question`` does not."""
    asked = question.casefold()
    if kind is AnswerType.NUMBER:
        return _has_new(_NUMBER, sentence, asked)
    if kind is AnswerType.DATE:
        return _has_new(_DATE, sentence, asked)
    for match in _CAPITALISED.finditer(sentence):
        # The first word is capitalised by grammar, not because it is a name.
        if match.start() == 0:
            continue
        if match.group().casefold().removesuffix("'s").removesuffix("\u2019s") not in asked:
            return True
    return False


def _has_new(pattern: re.Pattern[str], sentence: str, asked: str) -> bool:
    return any(match.group().casefold() not in asked for match in pattern.finditer(sentence))
