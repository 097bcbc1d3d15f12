"""Settings from the environment (and an optional `.env` file), checked once at start.

Every setting is documented in `deploy/env.example` and the README. A bad value stops the bot with
one line naming the variable, never a traceback, and never echoes a secret back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import SettingsError

# BotFather tokens: the bot's numeric id, a colon, and a 35-character secret (allow some slack).
TOKEN_PATTERN = re.compile(r"^[0-9]{5,16}:[A-Za-z0-9_-]{30,64}$")
WEBHOOK_SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


@dataclass(frozen=True)
class Settings:
    """What an operator configures. The token is kept out of `repr` so it never reaches a log."""

    token: str = field(repr=False)
    base_url: str | None = None
    data_dir: Path = Path(".")
    log_level: str = "INFO"
    admin_ids: frozenset[int] = frozenset()
    webhook_url: str | None = None
    webhook_path: str = "telegram"
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_secret: str | None = field(default=None, repr=False)
    health_port: int = 8081
    retention_days: int = 180
    discreet_minutes: int = 30
    # After a crisis reply with no answer from the person, one "I'm still here" after this long.
    check_in_seconds: float = 600.0
    corpus_dir: Path | None = None
    intents_dir: Path | None = None


def default_data_dir(environ: Mapping[str, str]) -> Path:
    """Per-user state folder: $XDG_STATE_HOME/guidebot, else ~/.local/state/guidebot."""
    base = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "guidebot"


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; `#` comments, blank lines and optional quotes. No interpolation."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise SettingsError(f"{path}:{number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def environment(dotenv: Path | None = Path(".env")) -> dict[str, str]:
    """The process environment over the `.env` file: a real variable always wins."""
    merged = read_dotenv(dotenv) if dotenv else {}
    merged.update(os.environ)
    return merged


def load_settings(environ: Mapping[str, str], *, require_token: bool = True) -> Settings:
    """Parse and check every setting; raise `SettingsError` naming the first bad variable."""
    token = environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if require_token:
        if not token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set: ask @BotFather for a token and set it "
                "in the environment or in a .env file"
            )
        if not TOKEN_PATTERN.match(token):
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token "
                "(expected digits, a colon and about 35 letters, digits, '_' or '-')"
            )
    level = environ.get("GUIDEBOT_LOG_LEVEL", "INFO").strip().upper() or "INFO"
    if level not in LOG_LEVELS:
        raise SettingsError(f"GUIDEBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    webhook_secret = environ.get("GUIDEBOT_WEBHOOK_SECRET", "").strip() or None
    if webhook_secret and not WEBHOOK_SECRET_PATTERN.match(webhook_secret):
        raise SettingsError(
            "GUIDEBOT_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, '_' and '-'"
        )
    webhook_url = environ.get("GUIDEBOT_WEBHOOK_URL", "").strip() or None
    if webhook_url and not webhook_url.startswith("https://"):
        raise SettingsError("GUIDEBOT_WEBHOOK_URL must be a public https:// address")
    base_url = environ.get("TELEGRAM_BASE_URL", "").strip() or None
    if base_url and not re.match(r"^https?://", base_url):
        raise SettingsError("TELEGRAM_BASE_URL must start with http:// or https://")
    data_dir = environ.get("GUIDEBOT_DATA_DIR", "").strip()
    return Settings(
        token=token,
        base_url=base_url,
        data_dir=Path(data_dir).expanduser() if data_dir else default_data_dir(environ),
        log_level=level,
        admin_ids=_ids(environ.get("GUIDEBOT_ADMIN_IDS", "")),
        webhook_url=webhook_url,
        webhook_path=environ.get("GUIDEBOT_WEBHOOK_PATH", "telegram").strip().strip("/")
        or "telegram",
        webhook_listen=environ.get("GUIDEBOT_WEBHOOK_LISTEN", "127.0.0.1").strip(),
        webhook_port=_int(environ, "GUIDEBOT_WEBHOOK_PORT", 8080, 1, 65535),
        webhook_secret=webhook_secret,
        health_port=_int(environ, "GUIDEBOT_HEALTH_PORT", 8081, 0, 65535),
        retention_days=_int(environ, "GUIDEBOT_RETENTION_DAYS", 180, 1, 3650),
        discreet_minutes=_int(environ, "GUIDEBOT_DISCREET_MINUTES", 30, 1, 47 * 60),
        check_in_seconds=60.0 * _int(environ, "GUIDEBOT_CHECK_IN_MINUTES", 10, 1, 30),
        corpus_dir=_path(environ, "GUIDEBOT_CORPUS"),
        intents_dir=_path(environ, "GUIDEBOT_INTENTS"),
    )


def _int(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _ids(raw: str) -> frozenset[int]:
    ids = set()
    for part in re.split(r"[,\s]+", raw.strip()):
        if not part:
            continue
        if not part.isdigit():
            raise SettingsError(
                f"GUIDEBOT_ADMIN_IDS must be Telegram user ids separated by commas, got {part!r}"
            )
        ids.add(int(part))
    return frozenset(ids)


def _path(environ: Mapping[str, str], name: str) -> Path | None:
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    path = Path(raw).expanduser()
    if not path.is_dir():
        raise SettingsError(f"{name} names no folder: {path}")
    return path
