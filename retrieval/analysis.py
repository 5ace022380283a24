"""Turning text into index terms; one analyser serves sentences and questions alike.

Why each step exists (each one fixed a mismatch between how a reader asks and
how a reporter writes):

* NFKC, accent folding and case folding: "Pokémon"/"Pokemon", full-width digits.
* Curly quotes and apostrophes are made straight, so "Syria’s" is "Syria's".
* Possessives are dropped ("al-Sharaa's" -> "al", "sharaa"; "Hamas'" -> "hamas").
* Hyphenated words are split into their parts ("Kurdish-led" -> "kurdish", "led"),
  so a question may write them with a space, a hyphen or only the main part.
* Dotted acronyms lose their dots ("U.S." -> "us") and, like acronyms written
  in capitals ("US", "ISIS"), are never taken for stop words.
* Numbers lose thousands separators ("1,000" == "1000").
* Stop words go; irregular past forms become their base ("told" -> "tell",
  retrieval/irregular_verbs.py); the rest is stemmed with Snowball's English
  stemmer (PyStemmer).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

from retrieval.irregular_verbs import IRREGULAR_VERBS
from retrieval.language import UNDETERMINED, question_languages
from retrieval.languages import analyze_in
from retrieval.stopwords import STOP_WORDS

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'"})

_TOKEN = re.compile(
    r"""
      (?P<acronym>(?:[^\W\d_]\.){2,})            # U.S.  D.C.  e.g.
    | (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?    # 1,000  12,500.5
        |\d+(?:\.\d+)?)                          # 600  3.5  2019
    | (?P<word>[^\W_]+(?:'[^\W_]+)*)             # words, with inner apostrophes
    """,
    re.X,
)

_stemmer = Stemmer.Stemmer("english")


def analyze(text: str, language: str = "en") -> list[str]:
    """Index terms for ``text`` in order, repeats kept (BM25 counts them). ``language``
    is the text's (retrieval/language.py); English gets everything above, other
    languages their own stop words and stemmer (retrieval/languages.py)."""
    if language != "en":
        return analyze_in(text, language)
    text = _fold(text)
    shouting = text.isupper()
    terms: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group()
        if kind == "acronym":
            terms.append(token.replace(".", "").casefold())
        elif kind == "number":
            terms.append(token.replace(",", ""))
        else:
            term = _word_term(token, keep_stop_word=not shouting and _is_acronym(token))
            if term:
                terms.append(term)
    return terms


def question_terms(question: str) -> list[str]:
    """The terms to look a question up by among articles of any language (a library's
    term index): its English terms, and, for a question in another language, that
    language's too (each of its likeliest when the detector is torn between two, as
    between Hindi and Nepali), so that it finds the articles written in it."""
    terms = analyze(question)
    others = [code for code in question_languages(question) if code not in ("en", UNDETERMINED)]
    if not others:
        return terms
    return list(dict.fromkeys([*terms, *(t for code in others for t in analyze(question, code))]))


def _is_acronym(token: str) -> bool:
    return len(token) >= 2 and token.isupper() and token.isalpha()


def _fold(text: str) -> str:
    text = text.translate(_QUOTES)
    if text.isascii():  # nothing to fold; most news sentences, and ~5x faster
        return text
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def _word_term(token: str, keep_stop_word: bool) -> str | None:
    word = token.casefold()
    if word.endswith("'s"):
        word = word[:-2]
    if not keep_stop_word and word in STOP_WORDS:
        return None
    word = word.replace("'", "")
    if not word:
        return None
    return _stemmer.stemWord(IRREGULAR_VERBS.get(word, word))
