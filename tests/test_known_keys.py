"""The stored-users filter: never a false "no" (a stored choice would be ignored), few false
"maybe"s, and a reopened store knows who has a row without asking the database."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot.known_keys import KnownKeys
from bot.store import Store, StoredPrefs


def _key(n: int) -> str:
    return hashlib.sha256(f"user {n}".encode()).hexdigest()


def test_no_stored_key_is_ever_missed_and_few_others_ask() -> None:
    known = KnownKeys()
    stored = [_key(n) for n in range(50_000)]
    for key in stored:
        known.add(key)
    assert all(known.may_hold(key) for key in stored)
    strangers = sum(known.may_hold(_key(n)) for n in range(50_000, 70_000))
    assert strangers < 20  # 50,000 keys in 2 Mbit with 4 hashes: about 0.01 % ask


async def test_a_reopened_store_reads_stored_choices_and_skips_strangers(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = await Store.open(path)
    await store.save_prefs(_key(1), StoredPrefs(role="practitioner", lang="es"))
    await store.close()
    store = await Store.open(path)
    try:
        assert store.known.may_hold(_key(1))
        assert not store.known.may_hold(_key(2))
        found = await store.prefs(_key(1))
        assert found is not None and found.role == "practitioner" and found.lang == "es"
        assert await store.prefs(_key(2)) is None
    finally:
        await store.close()
