"""Running ``python -m bot`` as a real process in tests: environment, start, wait, stop."""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr
from pathlib import Path
from unittest import mock

from bot.__main__ import main as bot_main

REPO = Path(__file__).resolve().parents[1]


def wait_until(predicate: Callable[[], object], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def bot_env(token: str, api_url: str, database: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "NEWSBOT_DB": str(database),
        **extra,
    }


def run_bot_to_exit(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m bot`` when it is expected to stop by itself (a configuration error)."""
    return subprocess.run(
        [sys.executable, "-m", "bot"], cwd=REPO, env=env, capture_output=True, text=True
    )


def run_bot_main_to_exit(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``bot.__main__.main()`` in this process, for failures before the bot connects:
    same exit code and stderr as the process, without a second's start-up per test."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    stderr = io.StringIO()
    try:
        with mock.patch.dict(os.environ, env, clear=True), redirect_stderr(stderr):
            code = bot_main()
    finally:
        root.handlers, root.level = saved_handlers, saved_level
    return subprocess.CompletedProcess(["python", "-m", "bot"], code, "", stderr.getvalue())


@contextmanager
def running_bot(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The bot's stderr goes to ``log`` (a pipe could fill and stall it); killed if left running."""
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def stop(process: subprocess.Popen[bytes]) -> int:
    """SIGTERM, as a service manager stops it; the exit code."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)
