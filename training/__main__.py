"""``python -m training prepare|train|evaluate|export|collect|fit|all``: the reader, from SQuAD
to ONNX, and how it joins the first pass.

Work files (prepared groups, the checkpoint, logs) go to ``--work`` (default
``~/.cache/newsbot-training``), never into the repository; only ``export``
writes into it (``retrieval/models/reader-int8.onnx`` and its sha256), and ``fit``
(``retrieval/models/reader.json``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "bench"
log = logging.getLogger("training")
DEFAULT_WORK = Path.home() / ".cache" / "newsbot-training"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    parser.add_argument(
        "stage",
        choices=["check", "prepare", "train", "evaluate", "export", "collect", "fit", "all"],
    )
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    parser.add_argument("--squad", type=Path, default=SHARED / "squad-v1.1-train.json")
    parser.add_argument("--dev", type=Path, default=SHARED / "squad-v1.1-dev-half.json")
    parser.add_argument("--minutes", type=float, default=60.0, help="train for at most this long")
    parser.add_argument("--epochs", type=float, default=1.0, help="length of the LR schedule")
    parser.add_argument("--questions", type=int, default=0, help="evaluate on this many (0: all)")
    parser.add_argument(
        "--device", default="auto", help="train on cpu or cuda (auto: cuda where there is one)"
    )
    parser.add_argument(
        "--xquad", default="", help="evaluate on XQuAD in these languages instead (de,ru,...)"
    )
    parser.add_argument(
        "--base",
        choices=["minilm", "e5"],
        default="minilm",
        help="the English reader (MiniLM) or the multilingual one (multilingual-e5-small)",
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(message)s",
        handlers=[logging.StreamHandler(), logging.FileHandler(args.work / "training.log")],
    )
    prepared_path = args.work / "groups.pkl"
    stages = (
        ["check", "prepare", "train", "evaluate", "export", "collect", "fit"]
        if args.stage == "all"
        else [args.stage]
    )
    for stage in stages:
        if stage == "check":
            from training.bases import BASES
            from training.encoder import Encoder, check_against_e5, check_against_reference

            base = BASES[args.base]
            encoder = Encoder(base.layers, base.vocab)
            base.load(encoder)
            if base.name == "e5":
                cosine = check_against_e5(encoder)
            else:
                cosine = check_against_reference(
                    encoder, REPO / "tests" / "retrieval" / "data" / "minilm_reference.json"
                )
            log.info("base encoder (%s) vs its reference: lowest cosine %.6f", base.name, cosine)
            # e5: our fp32 arithmetic against the engine's 8-bit activations (0.99988).
            if cosine < (0.9995 if base.name == "e5" else 0.9999):
                print(f"error: the base encoder does not reproduce {base.name}", file=sys.stderr)
                return 1
        elif stage == "prepare":
            from training.bases import BASES
            from training.data import prepare

            if not args.squad.exists():
                print(f"error: {args.squad} is missing (SQuAD v1.1 train)", file=sys.stderr)
                return 2
            found = prepare(args.squad, prepared_path, base=BASES[args.base])
            log.info("prepared %d groups from %d articles", len(found.groups), len(found.articles))
        elif stage == "train":
            import torch

            from training.data import load
            from training.loop import train

            device = args.device
            if device == "auto":
                device = "cuda" if torch.cuda.is_available() else "cpu"
            train(
                load(prepared_path),
                args.work,
                minutes=args.minutes,
                epochs=args.epochs,
                device=device,
            )
        elif stage == "evaluate":
            from training.evaluate import evaluate, evaluate_xquad

            if args.xquad:
                for language in args.xquad.split(","):
                    evaluate_xquad(
                        args.work / "checkpoint.pt", SHARED, language, limit=args.questions
                    )
            else:
                evaluate(args.work / "checkpoint.pt", args.dev, limit=args.questions)
        elif stage == "export":
            from training.export import export

            export(args.work / "checkpoint.pt", REPO / "retrieval" / "models")
        elif stage == "collect":
            from training.fit import collect

            if not args.squad.exists():
                print(f"error: {args.squad} is missing (SQuAD v1.1 train)", file=sys.stderr)
                return 2
            from training.fit import MODES, MULTILINGUAL

            collect(
                args.squad,
                args.work / "first-pass.pkl",
                MULTILINGUAL if args.base == "e5" else MODES,
            )
        elif stage == "fit":
            from training.fit import fit_and_write

            fit_and_write(
                args.work / "first-pass.pkl",
                REPO / "retrieval" / "models",
                multilingual=args.base == "e5",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
