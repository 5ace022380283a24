"""What kind of answer a question wants, and the patterns that find one in a sentence.

A question asking "how many" is answered by a sentence holding a number that
the question does not already hold ("How many troops are in Syria?" wants
"fewer than 1,000", not another sentence that merely repeats "troops").
Whether a sentence offers one is a cue of the first pass (retrieval/cues.py);
the kind also decides whether the reader's phrase is bolded
(retrieval/answers.py).
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

#: An amount in a sentence (digits or number words).
NUMBER = re.compile(
    r"\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|million|billion|trillion|dozen|half)\b",
    re.I,
)
#: A date, year or weekday in a sentence.
DATE = re.compile(
    r"\b(?:1\d{3}|20\d{2})s?\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow)\b"
    r"|\b(?:last|next|this)\s+(?:week|month|year)\b|\bcentur(?:y|ies)\b",
    re.I,
)
#: A capitalised word: a name, unless grammar capitalised it.
CAPITALISED = re.compile(r"\b[A-Z][\w'\u2019-]*")


def answer_type(question: str) -> AnswerType | None:
    """The answer type a question asks for, or ``None`` when it is open-ended."""
    if _DATE_QUESTION.search(question):
        return AnswerType.DATE
    if _NUMBER_QUESTION.search(question):
        return AnswerType.NUMBER
    if _NAME_QUESTION.search(question):
        return AnswerType.NAME
    return None
