"""Index terms for text in languages other than English.

What English gets from hand-made lists (stop words, irregular verbs) other
languages get from maintained ones: stop words from ``stopwordsiso`` (the
stopwords-iso collection, 50+ languages by ISO 639-1 code) and Snowball
stemmers from PyStemmer, where it has one for the language. Scripts written
without spaces are cut into overlapping character pairs (Japanese, Thai), the
usual BM25 treatment when no segmenter is shipped: a word of two characters is
found whole, a longer one by its pairs. Chinese is cut into words by jieba's
dictionary (``rjieba``, the Rust jieba-rs, MIT, its dictionary inside the
wheel): on XQuAD's Chinese articles, words instead of pairs raised top-1 from
0.776 to 0.801 and lowered the answerable questions declined from 4.0 % to
1.9 % (docs/retrieval.md).

Without stop words a question's "в", "не", "где" match every sentence, and an
article then seems to answer any question: on XQuAD's Russian articles the
first pass declined 0.1 % of off-topic questions.

Vowel signs, viramas and tone marks are part of a word in the scripts of India
and South-East Asia (and in Vietnamese), not accents to fold away: split at
them, "राष्ट्रपति" (president) was read as "र" and "षटरपत", and folded,
Vietnamese "cá" (fish) was the stop word "cả" (all).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import cache, lru_cache

import rjieba
import Stemmer
import stopwordsiso

#: ISO 639-1 code to the name of PyStemmer's Snowball stemmer.
STEMMERS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "eo": "esperanto", "et": "estonian", "fi": "finnish",
    "fr": "french", "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian",
    "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali",
    "no": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip


def _scan_unicode() -> tuple[str, dict[int, str]]:
    """One pass over the first two planes, where every living script is: a character
    class of every combining mark (Unicode Mn, Mc, Me; Python's ``\\w`` matches none),
    and each non-ASCII digit's ASCII twin."""
    ranges: list[tuple[int, int]] = []
    digits: dict[int, str] = {}
    for point in range(0x20000):
        category = unicodedata.category(chr(point))
        if category[0] == "M":
            if ranges and ranges[-1][1] == point - 1:
                ranges[-1] = (ranges[-1][0], point)
            else:
                ranges.append((point, point))
        elif category == "Nd" and point >= 0x80:
            digits[point] = str(unicodedata.digit(chr(point)))
    marks = "".join(f"{_escape(a)}-{_escape(b)}" if a < b else _escape(a) for a, b in ranges)
    return marks, digits


def _escape(point: int) -> str:
    return f"\\U{point:08x}"


#: Every combining mark, as a character class; digits of every script as ASCII ones
#: ("٢٠١٨" and "2018" are one term).
_MARKS, _DIGITS = _scan_unicode()
#: A number (grouped by commas, dots or the Arabic separators), or a word: letters and
#: the marks written on them.
_TOKEN = re.compile(rf"\d+(?:[.,\u066b\u066c]\d+)*|[^\W_][\w{_MARKS}]*")
#: A character and the marks on it: Thai is paired by these, not by code points.
_CLUSTER = re.compile(rf"[^{_MARKS}][{_MARKS}]*|[{_MARKS}]+")
#: Marks that are accents on a letter, dropped as English drops them ("café", "ёлка",
#: Greek tonos, Arabic and Hebrew vowel points); other scripts' marks are spelling.
_ACCENTS = re.compile(
    "[\u0300-\u0305\u0307-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f"
    "\u0670\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
    "|(?<![\u0438\u0443])\u0306"  # the breve, but for Cyrillic "й" and "ў": letters of their own
)
#: Languages whose accents are letters: Vietnamese tones tell "ma", "má", "mà", "mả" apart.
KEEP_ACCENTS = frozenset({"vi"})
_SEPARATORS = str.maketrans("", "", ",.\u066b\u066c")

#: Languages that write a name's case ending after an apostrophe: Turkish "Ankara'da"
#: (in Ankara) is the name "Ankara", not it and a word "da".
SUFFIXED_NAMES = frozenset({"tr", "az"})
_NAME_SUFFIX = re.compile(r"(?<=[^\W\d_])['\u2019][^\W\d_]+")

#: Han, kana, hangul and Thai: scripts whose words are not separated by spaces.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+")


def ascii_digits(text: str) -> str:
    """``text`` with every script's digits written as ASCII ones, which the date and
    number patterns know ("عام ٢٠١٨" is a year as "2018" is)."""
    return text if text.isascii() else text.translate(_DIGITS)


def analyze_in(text: str, language: str) -> list[str]:
    """Index terms for ``text`` in ``language`` (not English), in order, repeats kept."""
    stop = _stop_words(language)
    terms: list[str] = []
    text = _fold(text, language)
    if language in SUFFIXED_NAMES:
        text = _NAME_SUFFIX.sub("", text)
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0].isdigit():
            terms.append(token.translate(_SEPARATORS))
            continue
        position = 0
        for run in _UNSPACED.finditer(token):  # unspaced script inside: words or pairs
            terms += _word_terms(token[position : run.start()], language, stop)
            terms += [term for term in _unspaced_terms(run.group(), language) if term not in stop]
            position = run.end()
        terms += _word_terms(token[position:], language, stop)
    return terms


def _unspaced_terms(run: str, language: str) -> list[str]:
    """Chinese words by jieba's dictionary; other unspaced scripts' character pairs (a Thai
    letter with its vowel and tone marks counts as one character)."""
    if language == "zh":
        return list(rjieba.cut(run))
    chars = _CLUSTER.findall(run)
    return chars if len(chars) == 1 else [a + b for a, b in itertools.pairwise(chars)]


def _word_terms(word: str, language: str, stop: frozenset[str]) -> list[str]:
    if not word or word in stop:
        return []
    stem = _stem(word, language)
    return [stem] if stem else []  # Nepali's stemmer leaves nothing of some words


@lru_cache(maxsize=65536)
def _stem(word: str, language: str) -> str:
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer is not None else word


@cache
def _stemmer(language: str) -> Stemmer.Stemmer | None:
    name = STEMMERS.get(language)
    return Stemmer.Stemmer(name) if name else None


@cache
def stop_words(language: str) -> frozenset[str]:
    """The language's stop words, folded as text is (empty when none are known)."""
    return _stop_words(language)


@cache
def _stop_words(language: str) -> frozenset[str]:
    found = stopwordsiso.stopwords(language) if stopwordsiso.has_lang(language) else set()
    return frozenset(_fold(w, language) for w in found)


def _fold(text: str, language: str) -> str:
    """Case and accents folded (NFKD, accents dropped), as English text is, and digits
    made ASCII; Vietnamese keeps its accents, and every script its own marks."""
    text = unicodedata.normalize("NFKD", text.casefold())
    if language not in KEEP_ACCENTS:
        text = _ACCENTS.sub("", text)
    return unicodedata.normalize("NFKC", text).translate(_DIGITS)
