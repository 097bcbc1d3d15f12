"""Operator commands: `guidebot run`, `doctor`, `stats` and `backup`.

Each prints plain lines and returns an exit code; none prints a secret.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import stat
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.core.boot import load_library
from bot.errors import CorpusError, SettingsError
from bot.keys import SECRET_FILE, secret_problem
from bot.logs import configure
from bot.settings import TOKEN_PATTERN, Settings, environment, load_settings
from bot.store import DATABASE_FILE, Store


def run_bot(webhook: bool, corpus: Path | None, intents: Path | None) -> int:
    """Start the bot. Settings and content are checked first; a bad one stops it with a message."""
    # python-telegram-bot is imported only here, so the content tools start fast without it.
    from bot.channels.telegram.app import build as build_runtime  # noqa: PLC0415
    from bot.channels.telegram.app import prepare_data_dir, run_polling  # noqa: PLC0415
    from bot.channels.telegram.serving import run_webhook  # noqa: PLC0415

    env = environment()
    settings = load_settings(env)
    if webhook and not settings.webhook_url:
        raise SettingsError("--webhook needs GUIDEBOT_WEBHOOK_URL, the bot's public https address")
    configure(settings.log_level, [settings.token, env.get("GUIDEBOT_SECRET", "")])
    # A flag on the command line beats the environment (cli.main already fell back to it).
    library = load_library(corpus or settings.corpus_dir, intents or settings.intents_dir)
    degraded = False
    try:
        prepare_data_dir(settings.data_dir)
    except OSError as exc:
        # Degraded, not stopped: crisis replies and /sos need nothing from the disk. Nothing is
        # stored until the folder is fixed and the bot restarted; /healthz and doctor say so.
        degraded = True
        logging.getLogger(__name__).error(
            "data_dir_unavailable degraded=true error=%s", type(exc).__name__
        )
    runtime = build_runtime(
        settings, library, secret=env.get("GUIDEBOT_SECRET") or None, degraded=degraded
    )
    logging.getLogger(__name__).info(
        "starting mode=%s languages=%d",
        "webhook" if webhook else "polling",
        len(library.texts.languages),
    )
    if webhook:
        run_webhook(runtime, settings)
    else:
        run_polling(runtime)
    return 0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def doctor(online: bool, corpus: Path | None, intents: Path | None) -> int:
    """Pass/fail lines for everything the bot needs; exit 1 if any fails."""
    env = environment()
    checks: list[Check] = []
    settings: Settings | None = None
    try:
        settings = load_settings(env, require_token=False)
        checks.append(Check("settings", True, "all set values are valid"))
    except SettingsError as exc:
        checks.append(Check("settings", False, str(exc)))
    token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        checks.append(Check("token", False, "TELEGRAM_BOT_TOKEN is not set"))
    elif not TOKEN_PATTERN.match(token):
        checks.append(Check("token", False, "TELEGRAM_BOT_TOKEN does not look like a bot token"))
    else:
        checks.append(Check("token", True, "format looks right"))
    try:
        folder = corpus or (settings.corpus_dir if settings else None)  # the flag first
        library = load_library(folder, intents or (settings.intents_dir if settings else None))
        checks.append(
            Check(
                "corpus",
                True,
                f"{len(library.corpus.entries)} entries, {len(library.texts.languages)} languages",
            )
        )
    except CorpusError as exc:
        checks.append(Check("corpus", False, f"{len(exc.problems)} problem(s); run corpus check"))
    if settings is not None:
        checks += _data_checks(settings.data_dir)
        if online and TOKEN_PATTERN.match(token):
            checks.append(_get_me(token, settings.base_url))
    for check in checks:
        print(f"{'PASS' if check.ok else 'FAIL'}  {check.name:<10} {check.detail}")
    return 0 if all(check.ok for check in checks) else 1


def _data_checks(data_dir: Path) -> list[Check]:
    if not data_dir.exists():
        ancestor = next(p for p in data_dir.parents if p.exists())
        if ancestor.is_dir() and os.access(ancestor, os.W_OK):
            return [Check("data dir", True, f"{data_dir} will be created at start")]
        return [
            Check(
                "data dir",
                False,
                f"{data_dir} cannot be created: the bot would run degraded (crisis replies and "
                "/sos, nothing stored)",
            )
        ]
    if not data_dir.is_dir():
        return [Check("data dir", False, f"{data_dir} is not a folder: the bot would run degraded")]
    if not os.access(data_dir, os.W_OK):
        return [
            Check(
                "data dir",
                False,
                f"{data_dir} is read-only: the bot would run degraded (crisis replies and /sos, "
                "nothing stored)",
            )
        ]
    checks = []
    mode = stat.S_IMODE(data_dir.stat().st_mode)
    private = not mode & 0o077
    checks.append(
        Check(
            "data dir",
            private,
            f"{data_dir} mode {mode:o}" + ("" if private else " (others can read it: chmod 700)"),
        )
    )
    secret = data_dir / SECRET_FILE
    if secret.exists():
        problem = secret_problem(secret)
        checks.append(Check("secret", problem is None, problem or "secret.key is whole, mode 600"))
    database = data_dir / DATABASE_FILE
    if database.exists():
        try:
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
                result = db.execute("PRAGMA quick_check").fetchone()
                version = db.execute("PRAGMA user_version").fetchone()
            ok = result is not None and result[0] == "ok"
            checks.append(
                Check(
                    "database",
                    ok,
                    f"quick_check {result[0] if result else '?'}, "
                    f"schema version {version[0] if version else '?'}",
                )
            )
        except sqlite3.Error as exc:
            checks.append(Check("database", False, type(exc).__name__))
    else:
        checks.append(Check("database", True, "will be created at start"))
    return checks


def _get_me(token: str, base_url: str | None) -> Check:
    url = f"{(base_url or 'https://api.telegram.org/bot').rstrip('/')}{token}/getMe"
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            body = json.loads(response.read())
        name = body.get("result", {}).get("username", "?")
        return Check("telegram", bool(body.get("ok")), f"getMe answered: @{name}")
    except urllib.error.HTTPError as exc:
        return Check("telegram", False, f"getMe refused (HTTP {exc.code}): is the token right?")
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        return Check("telegram", False, f"Bot API not reachable ({type(exc).__name__})")


def _database() -> Path:
    return load_settings(environment(), require_token=False).data_dir / DATABASE_FILE


def stats(days: int, as_json: bool) -> int:
    """Aggregate counters and votes for the last `days` days; nothing per user exists to show."""
    path = _database()
    if not path.exists():
        print(f"No database yet at {path}")
        return 1

    async def totals() -> list[tuple[str, int]]:
        store = await Store.open(path)
        try:
            return await store.totals(days)
        finally:
            await store.close()

    rows = asyncio.run(totals())
    if as_json:
        print(json.dumps({"days": days, "totals": dict(rows)}))
        return 0
    print(f"Last {days} days")
    for name, count in rows:
        print(f"  {name:<32} {count:>8}")
    return 0


def backup(target: Path) -> int:
    """A consistent copy of the live database (SQLite's online backup), readable by owner only."""
    path = _database()
    if not path.exists():
        print(f"No database at {path}")
        return 1
    if target.exists():
        print(f"{target} exists; choose a new file name")
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(mode=0o600)
    with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    print(f"Backed up {path} to {target}. Keep secret.key from the data folder with it.")
    return 0
