"""Which user keys may have a row of stored preferences: a fixed-size Bloom filter over the keyed
pseudonyms, filled when the store opens and whenever preferences are saved.

Most messages come from people who never stored a choice, and asking SQLite whether they did
costs a hop to aiosqlite's thread: about half of the CPU of a new person's first message
(bench/README.md). A "no" from the filter is certain, so the read is skipped; a "maybe" asks the
database. It holds 256 KiB whatever the number of users (about 1 % of unknown keys still ask when
200,000 are stored, and it only gets slower, never wrong, beyond), and only bits derived from the
pseudonyms the database already holds. A key is never removed (Bloom filters cannot): after
/forget its "maybe" costs one read that finds nothing. The bot is the store's only writer
(bot/store.py), so no row appears behind its back.
"""

from __future__ import annotations

import hashlib

BITS = 1 << 21
HASHES = 4


class KnownKeys:
    """Keys that may have stored preferences; never a false "no"."""

    def __init__(self) -> None:
        self._bits = bytearray(BITS // 8)

    @staticmethod
    def _positions(key: str) -> list[int]:
        digest = hashlib.blake2b(key.encode(), digest_size=4 * HASHES).digest()
        return [int.from_bytes(digest[i : i + 4], "little") % BITS for i in range(0, 4 * HASHES, 4)]

    def add(self, key: str) -> None:
        for position in self._positions(key):
            self._bits[position >> 3] |= 1 << (position & 7)

    def may_hold(self, key: str) -> bool:
        return all(self._bits[p >> 3] & (1 << (p & 7)) for p in self._positions(key))
