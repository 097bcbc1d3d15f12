"""The keys that stay outside the database: the pseudonym key (`secret.key`) and the webhook
secret. Users are stored only as HMAC-SHA256(key, Telegram user id); without the key a copy of
the database cannot link a row to an account, and destroying it unlinks them all."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from bot.errors import SettingsError

SECRET_FILE = "secret.key"
SECRET_HEX_LENGTH = 64


def load_secret(data_dir: Path, configured: str | None = None) -> bytes:
    """The configured key (GUIDEBOT_SECRET), or a random key generated once into the data dir
    with mode 0600. Keeping it outside the database means a copy of the database alone cannot
    link a row to an account.

    The file is written whole or not at all (a temporary file, synced, then linked into place),
    and checked at every start: an empty or damaged key, or one others can read, stops start-up
    with `SettingsError` rather than keying pseudonyms with it."""
    configured = configured if configured is not None else os.environ.get("GUIDEBOT_SECRET")
    if configured:
        return configured.encode()
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        write_secret(path, secrets.token_hex(SECRET_HEX_LENGTH // 2))
    problem = secret_problem(path)
    if problem:
        raise SettingsError(problem)
    return path.read_text().strip().encode()


def secret_problem(path: Path) -> str | None:
    """Why the key file at `path` must not be used, or None."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        text = path.read_text().strip()
    except (OSError, UnicodeDecodeError) as exc:
        return f"{path} cannot be read ({exc.__class__.__name__}); restore it from the backup"
    if len(text) != SECRET_HEX_LENGTH or any(c not in "0123456789abcdef" for c in text):
        return (
            f"{path} is empty or damaged (expected {SECRET_HEX_LENGTH} hex digits); restore it "
            "from the backup, or delete it to start over (stored preferences are then lost)"
        )
    if mode & 0o077:
        return f"{path} has mode {mode:o}: others can read it (chmod 600)"
    return None


def write_secret(path: Path, value: str) -> None:
    """Write a secret file whole or not at all, mode 0600: a temporary file, synced, then linked
    into place; an existing file (another start's) is never replaced."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(value)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # never replace a key another start wrote
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def user_key(secret: bytes, user_id: int) -> str:
    """The pseudonym a Telegram user id is stored under."""
    return hmac.new(secret, str(user_id).encode(), hashlib.sha256).hexdigest()
