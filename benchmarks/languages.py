"""Naming a question's language: accuracy and speed on short questions, per language.

    python -m benchmarks.languages [--bench ../shared/bench]

Questions: XQuAD's 1,190 per language (Spanish, German, Russian, Chinese) and
as many SQuAD dev-half questions in English. The shipped detector
(``retrieval.detect_language``: py3langid, Chinese varieties folded into zh)
and, when it is installed, ``lingua-language-detector`` beside it in the
same run (the alternative it was chosen over; not a dependency).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from retrieval import detect_language

DEFAULT_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
LANGUAGES = ("es", "de", "ru", "zh")


def _questions(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return [q["question"] for a in data for p in a["paragraphs"] for q in p["qas"]]


def _lingua() -> Callable[[str], str] | None:
    try:
        from lingua import LanguageDetectorBuilder
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_all_languages().build()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "und"

    return detect


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    args = parser.parse_args(argv)
    paths = {lang: args.bench / "xquad" / f"xquad.{lang}.json" for lang in LANGUAGES}
    paths["en"] = args.bench / "squad-v1.1-dev-half.json"
    missing = [str(p) for p in paths.values() if not p.exists()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found", file=sys.stderr)
        return 0
    questions = {lang: _questions(path)[:1190] for lang, path in paths.items()}
    detectors: dict[str, Callable[[str], str]] = {"py3langid (shipped)": detect_language}
    lingua = _lingua()
    if lingua is not None:
        detectors["lingua"] = lingua
    total = sum(len(q) for q in questions.values())
    print(f"{total} questions: " + ", ".join(f"{k} {len(v)}" for k, v in questions.items()))
    for name, detect in detectors.items():
        detect("warm up: the model loads on first use")
        started = time.perf_counter()
        right = {lang: sum(detect(q) == lang for q in qs) for lang, qs in questions.items()}
        elapsed = time.perf_counter() - started
        per = "  ".join(f"{lang} {right[lang] / len(questions[lang]):.3f}" for lang in questions)
        print(
            f"  {name:<20} right {sum(right.values()) / total:.3f}  ({per})  "
            f"{elapsed / total * 1000:.3f} ms a question"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
