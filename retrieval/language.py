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

import py3langid

#: Languages the detector names apart that read alike for our purposes (one analyser).
_FOLDED = {"wuu": "zh", "yue": "zh", "nb": "no", "nn": "no"}
#: Characters read: the opening of an article says its language as well as the whole.
_SAMPLE = 2000
UNDETERMINED = "und"


def detect(text: str) -> str:
    """The text's language code; ``und`` when it has no letters."""
    sample = text[:_SAMPLE]
    if not any(c.isalpha() for c in sample):
        return UNDETERMINED
    code, _ = py3langid.classify(sample)
    return _FOLDED.get(code, code)
