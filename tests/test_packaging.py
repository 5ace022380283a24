"""The shipped artefacts agree with each other: lock file, pyproject, Dockerfile, README."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_lock_pins_every_runtime_dependency_exactly():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line}"
            pins[_name(name)] = version
    # The image runs against SQLite or, in the compose example, PostgreSQL.
    runtime = project["dependencies"] + project["optional-dependencies"]["postgres"]
    missing = {_name(r) for r in runtime} - set(pins)
    assert not missing, f"requirements.lock lacks {missing}; regenerate it (see its header)"


def test_image_copies_every_package_the_wheel_holds():
    wheel = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["hatch"]["build"]
    packages = wheel["targets"]["wheel"]["packages"]
    dockerfile = (REPO / "Dockerfile").read_text()
    for package in packages:
        assert f"COPY {package} ./{package}" in dockerfile


def test_compose_example_runs_two_replicas_of_the_image_on_one_postgresql():
    import yaml  # installed with tokenizers (huggingface_hub)

    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    services = compose["services"]
    bots = [name for name, service in services.items() if service.get("build") == "."]
    assert len(bots) >= 2
    assert "pgvector" in services["db"]["image"]
    for name in bots:
        env = services[name]["environment"]
        assert env["NEWSBOT_DB"].startswith("postgresql://") and "@db:5432/" in env["NEWSBOT_DB"]
        assert env["NEWSBOT_WEBHOOK_URL"].startswith("https://")
        assert env["NEWSBOT_WEBHOOK_SECRET"].startswith("${")  # from .env, never inline
        assert f"{name}:{env['NEWSBOT_WEBHOOK_PORT']}" in compose["configs"]["caddyfile"]["content"]
    example = (REPO / ".env.example").read_text()
    for variable in ("TELEGRAM_BOT_TOKEN", "PUBLIC_HOST", "POSTGRES_PASSWORD"):
        assert f"{variable}=" in example
