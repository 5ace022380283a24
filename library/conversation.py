"""Follow-ups in a reply thread: a sentence asked for by number, and short questions that
lean on the one before ("and when?", "how many of them?", "who said that?").

A reply to one of the bot's answers goes to the article that answer came from
(``Library.ask_in_thread``). A follow-up of at most ``FOLLOW_UP_TERMS`` content
words borrows the previous question's content words, so "and when?" after
"How many US troops are in Syria?" is asked as "and when? US troops Syria":
the new question decides what kind of answer is wanted, the old one what it
is about. ``python -m benchmarks.follow_ups`` measures it on two-turn dialogues.
"""

from __future__ import annotations

import re

from retrieval import analyze

#: A follow-up with at most this many content words leans on the previous question.
FOLLOW_UP_TERMS = 2

_SENTENCE_REFERENCE = re.compile(
    r"^\s*(?:(?:and|so|but|ok|okay)[,\s]+)?"
    r"(?:what about|how about|tell me more about|more about|more on|show me|show|quote)?\s*"
    r"(?:sentence\s*|number\s*)?\[?(\d{1,4})\]?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w][\w.'\u2019-]*")


def sentence_reference(text: str) -> int | None:
    """The sentence number a follow-up asks to see ("what about [2]?", "tell me more about
    13"), or ``None`` when it is a question."""
    found = _SENTENCE_REFERENCE.match(text)
    return int(found.group(1)) if found else None


def with_context(question: str, previous: str) -> str:
    """The question to rank: a short follow-up gets the previous question's content words."""
    held = set(analyze(question))
    if len(held) > FOLLOW_UP_TERMS:
        return question
    borrowed: dict[str, None] = {}
    for word in _WORD.findall(previous):
        terms = analyze(word)
        if terms and not held.intersection(terms):
            borrowed[word] = None
    return f"{question} {' '.join(borrowed)}" if borrowed else question
