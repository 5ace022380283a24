"""Running a command-line ``main(argv)`` in this process, as a shell would run it.

Starting Python and loading the embedding model costs seconds per subprocess;
in-process runs give the same exit code, stdout and stderr in milliseconds.
Each CLI keeps a subprocess smoke test for ``python -m ...`` itself.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from library.cli import main as library_main
from retrieval.cli import main as retrieval_main

REPO = Path(__file__).resolve().parents[1]
SEED = next((REPO / "seeds").glob("*.txt"))


def run_main(
    main: Callable[[Sequence[str] | None], int], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``main(args)`` with stdin fed, and stdout a strict UTF-8 stream as a real pipe is."""
    out, err = io.BytesIO(), io.StringIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin or "")
    try:
        with redirect_stdout(stdout), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse's usage errors
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.stdin = saved_stdin
    stdout.flush()
    return subprocess.CompletedProcess(
        list(args), code, out.getvalue().decode("utf-8"), err.getvalue()
    )


def run_retrieval(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m retrieval ARGS``, in-process."""
    return run_main(retrieval_main, *args, stdin=stdin)


def run_library(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m library ARGS``, in-process."""
    return run_main(library_main, *args, stdin=stdin)
