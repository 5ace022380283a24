"""Sentence boundaries for news text, in the article's language.

Splitting is delegated to maintained segmenters, one per kind of language:

* pysbd, rule-based, for 20 of the 22 languages it has rules for: it knows
  the hard cases of news prose ("U.S.", "Oct. 7", initials, "$1.5 billion",
  quotations holding two sentences under one attribution; German "z. B.",
  Russian "г.");
* Wikimedia's sentencex for every other language (about 300): Ukrainian
  "проф." and "м.", Bengali's "।", Portuguese "Sr.", which English rules
  split at or never see; and for Arabic and Persian, where pysbd's rules end
  a sentence at every colon (and Arabic's at every comma);
* PyThaiNLP's CRFCut for Thai, which ends a sentence with a space and puts one
  between a first name and a surname, too: a model trained on Thai text tells
  them apart, where a rule cannot (a space rule cuts "นายเศรษฐา ทวีสิน" in two).

What we add is exact character spans: pysbd's own spans drift when a sentence
repeats, so we locate each sentence in the paragraph ourselves, moving forward
only.

pysbd's time grows much faster than the paragraph's length on dense text
(40 KB of "U.S. " took 12 s, 90 KB of "a. " minutes), and CRFCut's grows
past linear on long text (360 KB: 18 s), so a paragraph longer than
``WINDOW`` characters is segmented in windows cut after a sentence-ending
mark (or, where there is none near, at a space in a quarter of the window):
real paragraphs are far shorter, and a hostile one costs linear time.
sentencex is linear (90 KB of "a. " in 6 ms) and reads a paragraph whole.

A pysbd ``Segmenter`` keeps the text it is working on in its own attributes,
so one shared by two threads mixes their texts and silently loses sentences;
each thread gets its own. CRFCut's tagger is one per process, so Thai is split
under a lock. And whatever a segmenter returns, every character that is not
whitespace ends up in some sentence (``covers``): text the splitter could not
place becomes a sentence of its own rather than vanishing, which is also how
``library`` recognises spans stored by a broken split.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

import pysbd
import sentencex

from retrieval.language import UNDETERMINED

_local = threading.local()
_thai_lock = threading.Lock()


#: The languages pysbd has rules for (abbreviations such as German "z. B." and "ca.",
#: Russian "г." and "ул.", full stops such as Chinese "。"); English among them, and
#: what a text with no language (``und``) is split as.
PYSBD_LANGUAGES = frozenset(pysbd.languages.LANGUAGE_CODES)
#: Of those, the languages sentencex splits instead: pysbd's Arabic and Persian rules end
#: a sentence at every colon, and Arabic's at every comma ("،"), so "قال الرئيس:" and
#: "وأضاف أن الحكومة،" were sentences of their own.
SENTENCEX_OVER_PYSBD = frozenset({"ar", "fa"})
#: Split by a model trained on the language's text (PyThaiNLP's CRFCut).
THAI = "th"
#: Characters (spaces aside) below which a Thai piece is no sentence of its own: a name
#: ("มาเรีย โอคาฟอร์", 14), where "ชาวประมงในท้องถิ่นคัดค้านแผนนี้" ("local fishermen
#: opposed the plan") has 31.
THAI_SHORTEST = 16


def _segmenter(language: str) -> pysbd.Segmenter:
    """This thread's segmenter for ``language``: built once per thread (construction
    compiles many regular expressions), never shared (``segment`` keeps its text on the
    instance)."""
    segmenters: dict[str, pysbd.Segmenter] | None = getattr(_local, "segmenters", None)
    if segmenters is None:
        segmenters = _local.segmenters = {}
    segmenter = segmenters.get(language)
    if segmenter is None:
        segmenter = segmenters[language] = pysbd.Segmenter(language=language, clean=False)
    return segmenter


#: Longest text handed to pysbd at once, in characters.
WINDOW = 2_000
#: Where a window may end: after a word's last letters (not "U.S." or "Dr.") and ".", "!" or "?",
#: optional closing quotes or brackets, and space before a capital or an opening quote.
_CUT = re.compile(r"(?<=[a-z0-9%]{2}[.!?])[\"')\]\u201d\u2019]*\s+(?=[A-Z\"\u201c\u2018(])")


@lru_cache(maxsize=4096)
def split_sentences(paragraph: str, language: str = "en") -> tuple[tuple[int, int], ...]:
    """Return ``(start, end)`` spans of the sentences in ``paragraph``, in order, by the
    rules of ``language`` (an ISO 639-1 code, as ``retrieval.language.detect`` names it;
    ``und``, a text without letters, is split as English).

    Spans are trimmed of surrounding whitespace, never overlap, and
    ``paragraph[start:end]`` is the sentence exactly as written. Results are
    cached: pysbd is the slowest step of indexing, and wire stories repeat
    paragraphs across articles.
    """
    pieces, windowed = _splitter(language)
    spans: list[tuple[int, int]] = []
    for offset, window in _windows(paragraph) if windowed else [(0, paragraph)]:
        spans.extend(
            (offset + start, offset + end) for start, end in _locate(window, pieces(window))
        )
    return tuple(_without_bare_marks(paragraph, _closers_returned(paragraph, spans)))


def _splitter(language: str) -> tuple[Callable[[str], list[str]], bool]:
    """What splits ``language``'s text into sentences, and whether in windows (pysbd and
    CRFCut grow past linear time; sentencex does not)."""
    if language == THAI:
        return _thai, True
    if language == UNDETERMINED or (
        language in PYSBD_LANGUAGES and language not in SENTENCEX_OVER_PYSBD
    ):
        rules = language if language in PYSBD_LANGUAGES else "en"
        return (lambda text: _segmenter(rules).segment(text)), True
    return (lambda text: _sentencex(text, language)), False


def _sentencex(text: str, language: str) -> list[str]:
    return list(sentencex.segment(language, text))


def _thai(text: str) -> list[str]:
    """Thai sentences by CRFCut, with any piece shorter than ``THAI_SHORTEST`` characters
    joined to the sentence after it (the one before, at the paragraph's end). CRFCut cuts
    at some spaces inside a sentence too, a foreign name's ("มาเรีย โอคาฟอร์ ประธาน...")
    among them, and a name quoted alone answers nothing; a short sentence joined to its
    neighbour is still quoted whole. CRFCut is imported on the first Thai paragraph
    (0.4 s, 60 MB of PyThaiNLP's data), which most processes never meet."""
    from pythainlp.tokenize.crfcut import segment

    with _thai_lock:
        pieces = list(segment(text))
    joined: list[str] = []
    pending = ""
    for piece in pieces:
        pending += piece
        if len("".join(pending.split())) >= THAI_SHORTEST:
            joined.append(pending)
            pending = ""
    if pending and joined:
        joined[-1] += pending
    elif pending:
        joined.append(pending)
    return joined


#: Marks that close a quotation or an aside.
_CLOSERS = "\"'”’»)]）」』"
#: A sentence opening with closing marks and a space: they close the sentence before it.
_OPENS_WITH_CLOSERS = re.compile(f"[{re.escape(_CLOSERS)}]+(?=\\s)")


def _closers_returned(paragraph: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with the closing marks that open a sentence given back to the one before.
    pysbd's Hindi and Urdu rules end a sentence at "।" inside a quotation, so the closing
    quote opened the next one ('" लागत का दो-तिहाई...'); a mark followed by a space
    never opens anything."""
    fixed = list(spans)
    for i in range(1, len(fixed)):
        start, end = fixed[i]
        closers = _OPENS_WITH_CLOSERS.match(paragraph, start, end)
        if closers is None or fixed[i - 1][1] > start:
            continue
        rest = len(paragraph[closers.end() : end]) - len(paragraph[closers.end() : end].lstrip())
        fixed[i - 1] = (fixed[i - 1][0], closers.end())
        fixed[i] = (closers.end() + rest, end)
    return [(start, end) for start, end in fixed if end > start]


def _without_bare_marks(paragraph: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each that holds no letter or digit joined to the sentence before it
    (after it, for a paragraph's first). pysbd leaves a closing quote or bracket after a
    Chinese full stop ("。”") as a sentence of its own, and such a "sentence" is not one:
    the multilingual model put "”" nearer most questions than their own article's
    answer, so one article's stray quote drew a library's questions to it."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and not _has_words(paragraph[start:end]):
            joined[-1] = (joined[-1][0], end)
        elif joined and not _has_words(paragraph[slice(*joined[-1])]):
            joined[-1] = (joined[-1][0], end)  # the paragraph opened with a bare mark
        else:
            joined.append((start, end))
    return joined


def _has_words(text: str) -> bool:
    return any(character.isalnum() for character in text)


def _windows(paragraph: str) -> Iterator[tuple[int, str]]:
    """``(offset, text)`` pieces of at most ``WINDOW`` characters, cut between sentences if possible."""
    start = 0
    while len(paragraph) - start > WINDOW:
        end = start + WINDOW
        cuts = [m.end() for m in _CUT.finditer(paragraph, start + WINDOW // 2, end)]
        if cuts:
            cut = cuts[-1]
        else:
            # No sentence end anywhere near: text like "U.S. U.S. ...", the costliest
            # kind for pysbd, so cut at a space in a quarter of the window.
            short = start + WINDOW // 4
            cut = paragraph.rfind(" ", start + WINDOW // 8, short) + 1 or short
        yield start, paragraph[start:cut]
        start = cut
    yield start, paragraph[start:]


def _locate(text: str, pieces: Sequence[str]) -> list[tuple[int, int]]:
    """Where each piece a segmenter returned lies in ``text``, in order, and what they left out."""
    found: list[tuple[int, int]] = []
    cursor = 0
    for piece in pieces:
        stripped = piece.strip()
        if not stripped:
            continue
        start = text.find(stripped, cursor)
        if start < 0:  # none rewrites text (pysbd with clean=False); be safe anyway.
            continue
        end = start + len(stripped)
        found.append((start, end))
        cursor = end
    return _with_gaps(text, found)


def _with_gaps(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` plus, as sentences of their own, any stretches of text they left out."""
    complete: list[tuple[int, int]] = []
    cursor = 0
    for start, end in [*spans, (len(text), len(text))]:
        gap = text[cursor:start]
        if gap.strip():
            lead = len(gap) - len(gap.lstrip())
            complete.append((cursor + lead, cursor + len(gap.rstrip())))
        if end > start:
            complete.append((start, end))
        cursor = end
    return complete


def covers(paragraph: str, spans: Sequence[Sequence[int]]) -> bool:
    """Whether ``spans`` are in order, trimmed, inside ``paragraph`` and leave out nothing but
    whitespace: true of every split this module makes, false of one that lost sentences."""
    cursor = 0
    for start, end in spans:
        if not cursor <= start < end <= len(paragraph) or paragraph[cursor:start].strip():
            return False
        if paragraph[start:end] != paragraph[start:end].strip():
            return False
        cursor = end
    return not paragraph[cursor:].strip()
