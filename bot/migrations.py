"""The database schema, as numbered migrations: a new column or table is a new function at the
end of MIGRATIONS, applied once at start (`PRAGMA user_version` counts them). No migration ever
adds a column for message text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiosqlite

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]


async def _run(db: aiosqlite.Connection, script: str) -> None:
    # Not executescript(): it commits first, which would break the migration's transaction.
    for statement in script.split(";"):
        if statement.strip():
            await db.execute(statement)


async def _initial(db: aiosqlite.Connection) -> None:
    await _run(
        db,
        """
        CREATE TABLE prefs (
            user_key TEXT PRIMARY KEY,
            role TEXT, lang TEXT, country TEXT,
            discreet INTEGER NOT NULL DEFAULT 0,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL
        );
        CREATE TABLE counters (
            day TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL,
            PRIMARY KEY (day, name)
        );
        CREATE TABLE votes (
            day TEXT NOT NULL, entry_id TEXT NOT NULL, vote TEXT NOT NULL,
            count INTEGER NOT NULL, PRIMARY KEY (day, entry_id, vote)
        );
        CREATE TABLE deletions (
            chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, due REAL NOT NULL,
            sent REAL NOT NULL, PRIMARY KEY (chat_id, message_id)
        );
        """,
    )


async def _answered_updates(db: aiosqlite.Connection) -> None:
    # Telegram's update ids answered in webhook mode, kept 24 hours (Telegram's own limit for
    # redelivering an update): numbers Telegram gave the bot's updates, no chat, no user.
    await db.execute("CREATE TABLE answered (update_id INTEGER PRIMARY KEY, at INTEGER NOT NULL)")


# Append only; each entry's position + 1 is the schema version it produces.
MIGRATIONS: tuple[Migration, ...] = (_initial, _answered_updates)


async def migrate(db: aiosqlite.Connection) -> int:
    """Apply pending migrations, each in one transaction with its version bump; return version."""
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    version = int(row[0]) if row else 0
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        await db.execute("BEGIN")
        try:
            await migration(db)
            await db.execute(f"PRAGMA user_version = {number}")
            await db.commit()
        except BaseException:
            await db.rollback()
            raise
        version = number
    return version
