"""Which language a text is in: every article and every question gets one.

``py3langid`` (a maintained fork of langid.py, BSD; its model ships inside
its 4.6 MB wheel, nothing is downloaded) was chosen over
``lingua-language-detector`` on questions, the shortest texts the bot sees:
on XQuAD's questions (1,190 each in Spanish, German, Russian and Chinese)
and as many SQuAD dev questions in English, py3langid named 99.5 % right at
0.03 ms a question (97.5 % before Chinese varieties, "wuu" and "yue", were
folded into ``zh``), lingua 98.8 % at 1.5 ms, over the 1 ms a question may
cost, from a 96 MB wheel (``python -m benchmarks.languages`` measures both
when lingua is installed).

Codes are ISO 639-1 where one exists (``en``, ``es``, ``zh``); ``und`` when a
text holds no letters to judge by.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from py3langid import langid

#: Languages the detector names apart that read alike for our purposes (one analyser):
#: Chinese, Norwegian and Arabic varieties (a short Arabic question is often named
#: Egyptian or Moroccan), and ancient Greek and Hebrew for text in their modern scripts.
_FOLDED = {
    "wuu": "zh", "yue": "zh", "nb": "no", "nn": "no", "ary": "ar", "arz": "ar",
    "grc": "el", "hbo": "he",
}  # fmt: skip
#: Characters read: the opening of an article says its language as well as the whole.
_SAMPLE = 2000
UNDETERMINED = "und"


def detect(text: str) -> str:
    """The text's language code; ``und`` when it has no letters."""
    sample = text[:_SAMPLE]
    if not any(c.isalpha() for c in sample):
        return UNDETERMINED
    code, _ = _identifier().classify(sample)
    return _FOLDED.get(code, code)


#: How sure the detector must be that a question in Latin letters is in the language it
#: names: names and terms fool it on short questions ("What did Lady Gaga sing?" reads
#: as Javanese, at 0.14; "¿Cuánto costará?" as Spanish at 0.56).
QUESTION_CONFIDENCE = 0.5


def detect_question(question: str) -> tuple[str, bool]:
    """The question's language, and whether the detector is sure of it: letters of another
    script than Latin settle it (a Cyrillic or Chinese question is not English however
    short); for Latin letters its probability must reach ``QUESTION_CONFIDENCE``."""
    code, probability = question_language(question)
    if code == UNDETERMINED:
        return UNDETERMINED, False
    return code, probability >= QUESTION_CONFIDENCE or not latin(question)


def question_languages(question: str) -> list[str]:
    """The language ``detect`` names the question, and, for a question not in Latin
    letters that it names below ``QUESTION_CONFIDENCE``, the next likeliest one too: a
    short Hindi question named Nepali at 0.42 is Hindi at 0.40, and is looked up in both.
    (In Latin letters the runner-up is most often a misreading of names: "What did Lady
    Gaga sing?" is Javanese at 0.14.)"""
    totals = _language_totals(question)
    codes = list(totals)[:2]  # in the detector's order: the first is ``detect``'s
    if codes and (latin(question) or totals[codes[0]] >= QUESTION_CONFIDENCE):
        return codes[:1]  # sure (Mandarin 0.45, Wu and Cantonese 0.5 more: Chinese)
    return codes


def question_language(question: str) -> tuple[str, float]:
    """The question's language and the detector's probability for it (its varieties'
    summed: "工程要花多少钱？" is Mandarin at 0.51, Wu and Cantonese at 0.48). Another
    script does not settle which language of that script: short Hindi questions read as
    Nepali at 0.34-0.42, and "Що сказав мер?" (Ukrainian) as Bulgarian at 0.32."""
    totals = _language_totals(question)
    if not totals:
        return UNDETERMINED, 0.0
    best = max(totals, key=totals.__getitem__)
    return best, totals[best]


def _language_totals(question: str) -> dict[str, float]:
    """Each language's probability, its varieties' added up, in the order the detector
    ranks them; empty without letters."""
    totals: dict[str, float] = {}
    if any(c.isalpha() for c in question):
        for code, probability in _identifier().rank(question[:_SAMPLE]):
            folded = _FOLDED.get(code, code)
            totals[folded] = totals.get(folded, 0.0) + probability
    return totals


#: Letters read to name a text's script.
_SCRIPT_SAMPLE = 200


def script(text: str) -> str:
    """The Unicode script most of the text's first letters are written in ("LATIN",
    "CYRILLIC", "CJK", "ARABIC", "HIRAGANA"...; "" without letters): two languages in one
    script (Spanish and English) read closer to each other by the multilingual model
    than two in different scripts (Russian and English), whatever the words. Asked for
    every question across languages, so the answer is kept for the opening it reads
    (never for a whole article's text, which the cache would keep alive)."""
    return _script_of(text[:_SAMPLE])


@lru_cache(maxsize=1024)
def _script_of(sample: str) -> str:
    counts: dict[str, int] = {}
    seen = 0
    for character in sample:
        if character.isalpha():
            name = unicodedata.name(character, "")
            block = name.split(" ", 1)[0]
            counts[block] = counts.get(block, 0) + 1
            seen += 1
            if seen == _SCRIPT_SAMPLE:
                break
    return max(counts, key=counts.__getitem__) if counts else ""


def latin(text: str) -> bool:
    """Whether most of the text's letters are Latin ones (U+0000-U+024F)."""
    letters = [c for c in text[:_SAMPLE] if c.isalpha()]
    return sum(c <= "\u024f" for c in letters) * 2 > len(letters)


@cache
def _identifier() -> langid.LanguageIdentifier:
    """py3langid's model, loaded once, with probabilities that sum to one (its default
    gives scores; the language it names is the same)."""
    path = Path(langid.MODEL_DIR) / langid.MODEL_FILE
    return langid.LanguageIdentifier.from_modelpath(path, norm_probs=True)
