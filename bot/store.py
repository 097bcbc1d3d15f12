"""The only persistent state: preferences, aggregate counters, feedback votes, pending deletions.

Every field here must be justifiable to a defender whose phone, or our server, is seized:
- users appear only as HMAC-SHA256(secret, Telegram user id); without the secret (kept outside
  the database) the key cannot be linked back to an account, and destroying it unlinks them all;
- preferences are role, language, country, discreet mode and the first and last *day* seen;
- counters and votes are per day with no user key at all;
- pending deletions hold a chat id and message id only until the message is deleted (at most
  48 hours, Telegram's limit);
- in webhook mode, the ids Telegram gave the updates answered in the last 24 hours (numbers with
  no chat or user), so that a delivery Telegram repeats after a restart is not answered twice.
No table has a column for message text, and none is ever added.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.known_keys import KnownKeys
from bot.migrations import migrate

logger = logging.getLogger(__name__)

DATABASE_FILE = "guidebot.sqlite3"  # in the data dir, beside bot.keys.SECRET_FILE
DELETE_WINDOW = dt.timedelta(hours=48)  # Telegram deletes only messages younger than this
ANSWERED_WINDOW = dt.timedelta(hours=24)  # Telegram redelivers an update for at most this long
DEFAULT_RETENTION_DAYS = 180
# How long a write waits for a lock held by another process before it fails (and the caller
# carries on without it). SQLite's default, 5 s, held every answer, a crisis one included, for
# 5 s per write while anything else held the database (tests/test_faults.py). The bot is the only
# writer, so a lock is a fault, not contention. Opening and migrating keep the default patience.
BUSY_TIMEOUT_MS = 200
FORGET_ATTEMPTS = 5
CHECKPOINT_ATTEMPTS = 6
RETRY_PAUSE = 0.02  # seconds, doubled at each attempt
KEYS_PER_READ = 10_000  # user keys read at a time when the store opens


@dataclass(frozen=True)
class StoredPrefs:
    role: str | None = None
    lang: str | None = None
    country: str | None = None
    discreet: bool = False


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


class Store:
    """One aiosqlite connection, opened at start and closed at shutdown."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db
        self._checkpointing: asyncio.Task[None] | None = None
        self.known = KnownKeys()  # filled by `open`

    @classmethod
    async def open(cls, path: Path) -> Store:
        db = await aiosqlite.connect(path)
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute("PRAGMA synchronous=NORMAL")
            await db.execute("PRAGMA secure_delete=ON")
            await migrate(db)
            await db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            store = cls(db)
            async with db.execute("SELECT user_key FROM prefs") as cursor:
                while rows := await cursor.fetchmany(KEYS_PER_READ):
                    for (key,) in rows:
                        store.known.add(key)
        except BaseException:
            await db.close()
            raise
        return store

    async def close(self) -> None:
        if self._checkpointing is not None and not self._checkpointing.done():
            self._checkpointing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpointing
        with contextlib.suppress(sqlite3.Error, ValueError):  # a last try at an empty WAL
            await self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        await self.db.close()

    async def _write(self, *statements: tuple[str, tuple[object, ...]]) -> None:
        """Run `statements` in one transaction. On failure roll back before raising: a failed
        write must not leave the transaction open, or its read snapshot goes stale once another
        process commits, and every later write fails until a restart (tests/test_faults.py)."""
        try:
            for sql, parameters in statements:
                await self.db.execute(sql, parameters)
            await self.db.commit()
        except BaseException:
            with contextlib.suppress(Exception):  # the original error is the one worth raising
                await self.db.rollback()
            raise

    async def prefs(self, key: str) -> StoredPrefs | None:
        if not self.known.may_hold(key):  # certainly no row: no trip to the database thread
            return None
        # One trip to the database thread, not three (execute, fetch, close).
        rows = await self.db.execute_fetchall(
            "SELECT role, lang, country, discreet FROM prefs WHERE user_key = ?", (key,)
        )
        for row in rows:
            return StoredPrefs(row[0], row[1], row[2], bool(row[3]))
        return None

    async def save_prefs(self, key: str, prefs: StoredPrefs) -> None:
        self.known.add(key)  # before the write: a read racing it must not skip the row
        today = _today()
        await self._write(
            (
                """INSERT INTO prefs (user_key, role, lang, country, discreet, first_seen,
                   last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (user_key) DO UPDATE SET role = excluded.role,
                   lang = excluded.lang, country = excluded.country,
                   discreet = excluded.discreet, last_seen = excluded.last_seen""",
                (key, prefs.role, prefs.lang, prefs.country, int(prefs.discreet), today, today),
            )
        )

    async def forget(self, key: str) -> None:
        """Delete everything keyed to a user, then flush it out of the WAL file too. Under load
        the write may meet a lock and the checkpoint readers in its way: both are retried (the
        checkpoint finally in the background), so /forget never fails for a passing reason."""
        for attempt in range(FORGET_ATTEMPTS):
            try:
                await self._write(("DELETE FROM prefs WHERE user_key = ?", (key,)))
                break
            except sqlite3.OperationalError:
                if attempt == FORGET_ATTEMPTS - 1:
                    raise
                await asyncio.sleep(RETRY_PAUSE * 2**attempt)
        await self.checkpoint()

    async def forget_chat(self, chat_id: int) -> None:
        """Drop a chat's pending deletions (after /forget) and flush them out of the WAL."""
        await self._write(("DELETE FROM deletions WHERE chat_id = ?", (chat_id,)))
        await self.checkpoint()

    async def checkpoint(self) -> bool:
        """Copy the WAL into the database and truncate it, so deleted rows leave no trace in the
        `-wal` file. Retried while readers are in the way, then by one background task for a
        minute. Never raises."""
        for attempt in range(CHECKPOINT_ATTEMPTS):
            if await self._try_checkpoint():
                return True
            await asyncio.sleep(RETRY_PAUSE * 2**attempt)
        if self._checkpointing is None or self._checkpointing.done():
            logger.warning("wal_checkpoint_deferred")
            self._checkpointing = asyncio.create_task(self._checkpoint_later())
        return False

    async def _try_checkpoint(self) -> bool:
        with contextlib.suppress(sqlite3.Error, ValueError):
            async with self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                row = await cursor.fetchone()
            return row is None or not row[0]  # row[0] == 1: something else was in the way
        return False

    async def _checkpoint_later(self) -> None:
        for _ in range(60):
            await asyncio.sleep(1.0)
            if await self._try_checkpoint():
                return
        logger.error("wal_checkpoint_failed")

    async def touch(self, key: str) -> None:
        """Move a stored user's last-seen day to today; users with no preferences get no row."""
        today = _today()
        await self._write(
            (
                "UPDATE prefs SET last_seen = ? WHERE user_key = ? AND last_seen < ?",
                (today, key, today),
            )
        )

    async def totals(self, days: int = 30) -> list[tuple[str, int]]:
        """Counter and vote totals over the last `days` days, largest first (no user key)."""
        since = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=days - 1)).isoformat()
        async with self.db.execute(
            """SELECT name, SUM(count) FROM counters WHERE day >= ? GROUP BY name
               UNION ALL
               SELECT 'vote:' || vote, SUM(count) FROM votes WHERE day >= ? GROUP BY vote
               ORDER BY 2 DESC, 1""",
            (since, since),
        ) as cursor:
            return [(str(r[0]), int(r[1])) for r in await cursor.fetchall()]

    async def add_counts(self, counts: Mapping[str, int], day: str | None = None) -> int:
        """Add to aggregate counters (an intent, a category, a collection) in one transaction:
        the bot adds them up in memory first. Returns how many counters were written."""
        today = day or _today()
        await self._write(
            *(
                (
                    """INSERT INTO counters (day, name, count) VALUES (?, ?, ?)
                       ON CONFLICT (day, name) DO UPDATE SET count = count + excluded.count""",
                    (today, name, amount),
                )
                for name, amount in counts.items()
                if amount
            )
        )
        return sum(1 for amount in counts.values() if amount)

    async def vote(self, entry_id: str, up: bool) -> None:
        await self._write(
            (
                """INSERT INTO votes (day, entry_id, vote, count) VALUES (?, ?, ?, 1)
                   ON CONFLICT (day, entry_id, vote) DO UPDATE SET count = count + 1""",
                (_today(), entry_id, "up" if up else "down"),
            )
        )

    async def schedule_deletion(self, chat_id: int, message_id: int, due: float) -> None:
        sent = dt.datetime.now(dt.UTC).timestamp()
        await self._write(
            (
                "INSERT OR REPLACE INTO deletions (chat_id, message_id, due, sent) "
                "VALUES (?, ?, ?, ?)",
                (chat_id, message_id, due, sent),
            )
        )

    async def mark_answered(self, update_ids: list[int]) -> None:
        """Remember webhook updates as answered, and forget those older than a day, in one
        transaction (one per batch of updates finished together)."""
        now = int(dt.datetime.now(dt.UTC).timestamp())
        oldest = now - int(ANSWERED_WINDOW.total_seconds())
        await self._write(
            *(
                ("INSERT OR IGNORE INTO answered (update_id, at) VALUES (?, ?)", (update_id, now))
                for update_id in update_ids
            ),
            ("DELETE FROM answered WHERE at < ?", (oldest,)),
        )

    async def answered_updates(self, limit: int) -> list[int]:
        """The `limit` most recent answered update ids (read once at start)."""
        async with self.db.execute(
            "SELECT update_id FROM answered ORDER BY update_id DESC LIMIT ?", (limit,)
        ) as cursor:
            return [int(r[0]) for r in await cursor.fetchall()]

    async def pending_deletions(self) -> list[tuple[int, int, float]]:
        """Deletions still possible (sent under 48 hours ago), soonest first."""
        async with self.db.execute(
            "SELECT chat_id, message_id, due FROM deletions ORDER BY due"
        ) as cursor:
            return [(int(r[0]), int(r[1]), float(r[2])) for r in await cursor.fetchall()]

    async def done_deletion(self, chat_id: int, message_id: int) -> None:
        await self._write(
            ("DELETE FROM deletions WHERE chat_id = ? AND message_id = ?", (chat_id, message_id))
        )

    async def purge(
        self, retention_days: int = DEFAULT_RETENTION_DAYS, now: dt.datetime | None = None
    ) -> None:
        """Forget preferences untouched for `retention_days`, counters and votes older than that,
        and deletions Telegram won't do any more."""
        now = now or dt.datetime.now(dt.UTC)
        oldest_day = (now - dt.timedelta(days=retention_days)).date().isoformat()
        too_old = (now - DELETE_WINDOW).timestamp()
        await self._write(
            ("DELETE FROM prefs WHERE last_seen < ?", (oldest_day,)),
            ("DELETE FROM counters WHERE day < ?", (oldest_day,)),
            ("DELETE FROM votes WHERE day < ?", (oldest_day,)),
            ("DELETE FROM deletions WHERE sent < ?", (too_old,)),
        )
        await self.checkpoint()
