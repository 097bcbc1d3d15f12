"""The store, on a real SQLite file: what it keeps, what it forgets, and that it keeps no text."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections import Counter
from pathlib import Path

import aiosqlite
import pytest

from bot.core.library import Library
from bot.core.prefs import User
from bot.core.turn import TurnService
from bot.errors import SettingsError
from bot.keys import load_secret, user_key
from bot.migrations import MIGRATIONS, migrate
from bot.store import Store, StoredPrefs


@pytest.fixture
async def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    opened = await Store.open(tmp_path / "guide.sqlite3")
    yield opened
    await opened.close()


async def test_preferences_round_trip_under_a_keyed_pseudonym(store: Store) -> None:
    key = user_key(b"secret", 123456789)
    assert "123456789" not in key and len(key) == 64
    assert user_key(b"other secret", 123456789) != key
    await store.save_prefs(key, StoredPrefs("defender", "es", "FR", True))
    assert await store.prefs(key) == StoredPrefs("defender", "es", "FR", True)


async def test_forget_leaves_no_row_for_the_user(store: Store, tmp_path: Path) -> None:
    key = user_key(b"s", 42)
    await store.save_prefs(key, StoredPrefs(role="coordinator"))
    await store.forget(key)
    assert await store.prefs(key) is None
    async with store.db.execute("SELECT count(*) FROM prefs") as cursor:
        assert (await cursor.fetchone()) == (0,)
    for path in tmp_path.glob("guide.sqlite3*"):
        assert key.encode() not in path.read_bytes()


async def test_retention_purges_old_preferences_and_stale_deletions(store: Store) -> None:
    await store.save_prefs("old", StoredPrefs())
    await store.schedule_deletion(1, 2, due=0.0)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=200)
    await store.purge(retention_days=180, now=later)
    assert await store.prefs("old") is None
    assert await store.pending_deletions() == []


async def test_retention_purges_old_counters_and_votes(store: Store) -> None:
    await store.add_counts(Counter({"command:help": 2}))
    await store.vote("sc-sleep", up=True)
    assert await store.totals(days=1)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=200)
    await store.purge(retention_days=180, now=later)
    async with store.db.execute("SELECT COUNT(*) FROM counters") as cursor:
        assert (await cursor.fetchone()) == (0,)
    async with store.db.execute("SELECT COUNT(*) FROM votes") as cursor:
        assert (await cursor.fetchone()) == (0,)


async def test_scheduled_deletions_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "guide.sqlite3"
    first = await Store.open(path)
    await first.schedule_deletion(10, 20, due=123.0)
    await first.close()
    second = await Store.open(path)
    assert await second.pending_deletions() == [(10, 20, 123.0)]
    await second.done_deletion(10, 20)
    assert await second.pending_deletions() == []
    await second.close()


async def test_migrations_apply_twice_as_a_no_op(tmp_path: Path) -> None:
    async with aiosqlite.connect(tmp_path / "m.sqlite3") as db:
        assert await migrate(db) == len(MIGRATIONS)
        assert await migrate(db) == len(MIGRATIONS)


async def test_counters_and_votes_are_aggregates_without_a_user(store: Store) -> None:
    await store.add_counts({"intent:greeting": 1}, day="2026-11-24")
    await store.add_counts({"intent:greeting": 1}, day="2026-11-24")
    await store.vote("sc-slow-exhale-breathing", up=True)
    async with store.db.execute("SELECT count FROM counters") as cursor:
        assert await cursor.fetchall() == [(2,)]


async def test_no_column_could_hold_message_text(store: Store) -> None:
    allowed = {
        "user_key",
        "role",
        "lang",
        "country",
        "discreet",
        "first_seen",
        "last_seen",
        "day",
        "name",
        "count",
        "entry_id",
        "vote",
        "chat_id",
        "message_id",
        "due",
        "sent",
        "update_id",  # webhook mode's answered updates: Telegram's number, kept 24 hours
        "at",
    }
    async with store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") as cursor:
        tables = [row[0] for row in await cursor.fetchall()]
    for table in tables:
        async with store.db.execute(f"PRAGMA table_info({table})") as cursor:
            columns = {row[1] for row in await cursor.fetchall()}
        assert columns <= allowed, (table, columns - allowed)


def test_generated_secret_is_private_and_stable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GUIDEBOT_SECRET", raising=False)
    first = load_secret(tmp_path)
    assert load_secret(tmp_path) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "secret.key").st_mode)
    assert mode == 0o600
    monkeypatch.setenv("GUIDEBOT_SECRET", "from-env")
    assert load_secret(tmp_path) == b"from-env"


async def test_a_typed_command_name_never_becomes_a_counter(
    tmp_path: Path, library: Library
) -> None:
    """Issue 17: "/help\\nmy name is ..." was counted as "command:help\\nmy name is ...", and
    /stats showed it. Only known command names are counters; the rest is "command:unknown"."""
    store = await Store.open(tmp_path / "guide.sqlite3")
    try:
        turns = TurnService(library, store)
        user = User("someone", "en")
        for name in ("help\nmy name is Ana Lopez", "helpme", "about"):
            await turns.command(user, name)
        await turns.drain()
        names = {name for name, _ in await store.totals(days=1)}
    finally:
        await store.close()
    assert names == {"command:unknown", "command:about"}, names


def test_a_damaged_or_exposed_secret_key_stops_start_up_with_one_clear_line(
    tmp_path: Path,
) -> None:
    """An empty key (a full disk at first start) was used silently: every pseudonym keyed with
    nothing. Now the key is written whole or not at all, and checked at every start."""
    key = load_secret(tmp_path, configured="")
    assert len(key) == 64 and stat.S_IMODE((tmp_path / "secret.key").stat().st_mode) == 0o600
    assert load_secret(tmp_path, configured="") == key  # the same key next time
    assert [p.name for p in tmp_path.iterdir()] == ["secret.key"]  # no temporary left behind
    path = tmp_path / "secret.key"
    for damage in ("", "abc", "z" * 64):
        path.write_text(damage)
        with pytest.raises(SettingsError, match="empty or damaged"):
            load_secret(tmp_path, configured="")
    path.write_text(key.decode())
    path.chmod(0o644)
    with pytest.raises(SettingsError, match="chmod 600"):
        load_secret(tmp_path, configured="")
