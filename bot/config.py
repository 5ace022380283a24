"""Bot settings, read only from the environment (see README, "Running the bot")."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from library import is_postgres

DEFAULT_API_URL = "https://api.telegram.org"


def default_database_path(env: Mapping[str, str]) -> Path:
    """``$XDG_DATA_HOME/newsbot/newsbot.db``: user data lives outside the source tree."""
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "newsbot" / "newsbot.db"


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    token: str
    api_url: str = DEFAULT_API_URL
    log_level: str = "INFO"
    questions_per_minute: int = 10
    webhook_url: str | None = None  #: public HTTPS URL; set it to use a webhook instead of polling
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = None
    #: a SQLite file, or a ``postgresql://`` URL that several replicas share
    database: Path | str = field(default_factory=lambda: default_database_path(os.environ))
    admins_only: bool = True  #: in groups, only administrators add, remove and schedule
    fetch_allow_hosts: frozenset[str] = frozenset()  #: hosts exempt from the private-address guard
    index_cache_size: int = 256
    owner_id: int | None = None  #: Telegram user id allowed to use /stats
    log_format: str = "text"  #: "text" or "json" (one JSON object per line)
    feeds_per_chat: int = 20
    feed_items_per_day: int = 100  #: articles feeds may bring one chat a day
    feed_keep_days: int = 30  #: feed articles older than this are removed
    #: how long updates still being handled may hold a stop signal (docker stop waits 10 s)
    stop_grace_seconds: int = 4

    @property
    def base_url(self) -> str:
        """PTB appends the token: ``<api>/bot<token>/<method>``."""
        return f"{self.api_url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.api_url}/file/bot"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram "
            '(/newbot) and export its token, or try offline: python -m retrieval ask "How '
            'many troops are in Syria?"'
        )
    api_url = env.get("TELEGRAM_API_URL", DEFAULT_API_URL).strip().rstrip("/")
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError(f"TELEGRAM_API_URL must start with http:// or https:// (got {api_url!r})")
    webhook_url = env.get("NEWSBOT_WEBHOOK_URL") or None
    webhook_secret = env.get("NEWSBOT_WEBHOOK_SECRET") or None
    if webhook_url is not None:
        if not webhook_url.startswith("https://") and not _local(webhook_url):
            raise ConfigError(f"NEWSBOT_WEBHOOK_URL must be an https:// URL (got {webhook_url!r})")
        if webhook_secret is None or not _SECRET.fullmatch(webhook_secret):
            raise ConfigError(
                "NEWSBOT_WEBHOOK_SECRET must be set with NEWSBOT_WEBHOOK_URL: 1-256 characters "
                "of A-Z, a-z, 0-9, _ and -, so that only Telegram can post updates to the bot"
            )
    log_level = env.get("NEWSBOT_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if log_level not in LOG_LEVELS:
        raise ConfigError(
            f"NEWSBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {log_level!r})"
        )
    log_format = env.get("NEWSBOT_LOG_FORMAT", "text").strip().lower() or "text"
    if log_format not in ("text", "json"):
        raise ConfigError(f"NEWSBOT_LOG_FORMAT must be text or json (got {log_format!r})")
    return Settings(
        token=token,
        api_url=api_url,
        log_level=log_level,
        questions_per_minute=_int(env, "NEWSBOT_QUESTIONS_PER_MINUTE", 10),
        webhook_url=webhook_url,
        webhook_listen=env.get("NEWSBOT_WEBHOOK_LISTEN", "0.0.0.0"),
        webhook_port=_int(env, "NEWSBOT_WEBHOOK_PORT", 8443),
        webhook_secret=webhook_secret,
        database=_database(env),
        admins_only=_flag(env, "NEWSBOT_ADMINS_ONLY", True),
        fetch_allow_hosts=frozenset(
            h.strip() for h in env.get("NEWSBOT_FETCH_ALLOW_HOSTS", "").split(",") if h.strip()
        ),
        index_cache_size=_int(env, "NEWSBOT_INDEX_CACHE", 256),
        owner_id=_int(env, "NEWSBOT_OWNER_ID", 1) if env.get("NEWSBOT_OWNER_ID") else None,
        log_format=log_format,
        feeds_per_chat=_int(env, "NEWSBOT_FEEDS_PER_CHAT", 20),
        feed_items_per_day=_int(env, "NEWSBOT_FEED_ITEMS_PER_DAY", 100),
        feed_keep_days=_int(env, "NEWSBOT_FEED_KEEP_DAYS", 30),
        stop_grace_seconds=_int(env, "NEWSBOT_STOP_GRACE_SECONDS", 4),
    )


_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _local(url: str) -> bool:
    """Plain http is accepted only for a local test server (Telegram itself requires https)."""
    return url.startswith(("http://127.0.0.1", "http://localhost"))


def _database(env: Mapping[str, str]) -> Path | str:
    """``NEWSBOT_DB``: a PostgreSQL URL as given, else a file path; unset, the default file."""
    value = env.get("NEWSBOT_DB", "").strip()
    if not value:
        return default_database_path(env)
    return value if is_postgres(value) else Path(value)


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false (got {raw!r})")


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number (got {raw!r})") from None
    if value < 1:
        raise ConfigError(f"{name} must be at least 1 (got {value})")
    return value
