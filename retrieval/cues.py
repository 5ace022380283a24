"""Question-type cues: does a sentence hold the kind of thing the question asks for?

Each cue pairs a question pattern with a sentence pattern: "how much" with an
amount of money, "why" with a causal clause, "what is X" with a sentence that
defines or expands X. A cue fires only for something the question does not
already hold ("How many troops are in Syria?" wants "fewer than 1,000", not
another sentence that repeats "troops"). They are cheap and never decide
alone: the learned ranker weighs each one against the other evidence
(retrieval/features.py).
"""

from __future__ import annotations

import re

from retrieval.analysis import analyze
from retrieval.answer_types import CAPITALISED, DATE, NUMBER, AnswerType, answer_type
from retrieval.languages import ascii_digits

_WHO = re.compile(
    r"\bwho(?:m|se)?\b|\b(?:what|which)\s+(?:person|team|company|organi[sz]ation|group|party"
    r"|agency|official|leader|player|club|firm|country)\b",
    re.I,
)
_WHERE = re.compile(
    r"\bwhere\b|\b(?:what|which)\s+(?:city|country|state|place|location|region|town|area)\b",
    re.I,
)
_WHY = re.compile(r"\bwhy\b|\bwhat\s+(?:was|is|were|are)\s+the\s+(?:reason|cause|purpose)\b", re.I)
_MONEY_QUESTION = re.compile(
    r"\bhow\s+much\b|\bcost|\bprice|\bspen[dt]|\bpaid\b|\bpay\b|\bworth\b|\bmoney\b|\bfund|\braise[ds]?\b|\bfine\b",
    re.I,
)
_PERCENT_QUESTION = re.compile(r"\bpercent|\bpercentage\b|\bproportion\b|\bshare\b|\brate\b", re.I)
_DEFINITION_QUESTION = re.compile(
    r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?P<subject>[^?]{1,60}?)\s*\??\s*$",
    re.I,
)

_PLACE = re.compile(r"\b(?:in|at|near|from|to|outside)\s+(?:the\s+)?[A-Z]")
_REASON = re.compile(
    r"\b(?:because|due\s+to|since|as\s+a\s+result|so\s+that|in\s+order\s+to|led\s+to|caused"
    r"|reason|thanks\s+to|owing\s+to|aim(?:ed|s)?\s+to|to\s+avoid|to\s+prevent|after)\b",
    re.I,
)
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s*(?:million|billion|trillion|thousand)?\s*"
    r"(?:dollars?|euros?|pounds?|yen|francs?|kronor|rupees?)\b",
    re.I,
)
_PERCENT = re.compile(r"\d\s*%|\bper\s?cent\b", re.I)
_DEFINES = re.compile(
    r"\(|\b(?:is|are|was|were)\s+(?:an?|the)\b|\brefers?\s+to\b|\bmeans\b|\bknown\s+as\b|,\s+(?:an?|the)\b"
)

#: Names of the cues, in the order ``cues`` returns them.
CUE_NAMES = (
    "offers_number",
    "offers_date",
    "offers_name",
    "offers_person",
    "offers_place",
    "offers_reason",
    "offers_money",
    "offers_percent",
    "defines_subject",
)


class QuestionCues:
    """What a question asks for, worked out once and checked against many sentences."""

    def __init__(self, question: str) -> None:
        self.asked = ascii_digits(question).casefold()
        self.kind = answer_type(question)
        self.who = bool(_WHO.search(question))
        self.where = bool(_WHERE.search(question))
        self.why = bool(_WHY.search(question))
        self.money = bool(_MONEY_QUESTION.search(question))
        self.percent = bool(_PERCENT_QUESTION.search(question))
        match = _DEFINITION_QUESTION.match(question)
        self.subject = frozenset(analyze(match.group("subject"))) if match else frozenset()

    def cues(self, sentence: str, terms: frozenset[str]) -> list[float]:
        """One 0/1 value per name in ``CUE_NAMES`` for ``sentence`` (``terms``: its analysed terms)."""
        sentence = ascii_digits(sentence)
        new_name = self._has_new_name(sentence)
        return [
            float(self.kind is AnswerType.NUMBER and self._has_new(NUMBER, sentence)),
            float(self.kind is AnswerType.DATE and self._has_new(DATE, sentence)),
            float(self.kind is AnswerType.NAME and new_name),
            float(self.who and new_name),
            float(self.where and new_name and bool(_PLACE.search(sentence))),
            float(self.why and bool(_REASON.search(sentence))),
            float(self.money and bool(_MONEY.search(sentence))),
            float(self.percent and bool(_PERCENT.search(sentence))),
            float(bool(self.subject) and self.subject <= terms and bool(_DEFINES.search(sentence))),
        ]

    def _has_new(self, pattern: re.Pattern[str], sentence: str) -> bool:
        return any(m.group().casefold() not in self.asked for m in pattern.finditer(sentence))

    def _has_new_name(self, sentence: str) -> bool:
        for match in CAPITALISED.finditer(sentence):
            if match.start() == 0:  # capitalised by grammar, not because it is a name
                continue
            word = match.group().casefold().removesuffix("'s").removesuffix("\u2019s")
            if word not in self.asked:
                return True
        return False
