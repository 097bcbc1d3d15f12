"""Typo correction against the words a corpus really uses, one vocabulary per language.

People type key words with a letter or two wrong ("exausted", "nightmears", "confidencialidad");
BM25 then finds nothing for the one word that mattered. A word of `MIN_LENGTH` letters or more
that the corpus does not use is replaced by the corpus word closest to it: one edit away (for
words of `TWO_EDITS_FROM` letters or more, also the two-edit typos the table reaches), the
commonest on a tie. Candidates come from a symmetric-delete table (each corpus word under itself
and every one-letter deletion), so a lookup costs a few dictionary probes, not a walk over the
vocabulary; the table holds one-letter deletions only, to keep memory small.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

MIN_LENGTH = 5
MAX_LENGTH = 24  # longer "words" are not typos of a word (and would cost a lot to try)
TWO_EDITS_FROM = 8


def _deletes(word: str, edits: int) -> set[str]:
    """`word` with any `edits` letters or fewer removed (the word itself included). Built by
    slicing one letter at a time: joining characters in a generator made the table's build, on
    the first typo in each language, cost a user a few hundred milliseconds."""
    out = {word}
    frontier = {word}
    for _ in range(edits):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


def distance(a: str, b: str) -> int:
    """Edit distance with adjacent transpositions (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class Speller:
    """Corrects a word to the corpus's vocabulary, or leaves it alone.

    The table is built on the first word that needs it (start-up stays fast; a language nobody
    writes in costs nothing) and kept compact: one 64-bit key per (word, deletion) in a sorted
    numpy array beside the word's number, a few MB for all six languages where a dict of lists
    took about 50 MB. Keys are Python's string hashes, stable within the process; a collision
    only adds a candidate, which the edit distance then rejects."""

    def __init__(self, words: Iterable[str]) -> None:
        self.counts = Counter(w for w in words if len(w) >= MIN_LENGTH - 1 and w.isalpha())
        self._words: list[str] = []
        self._keys = np.empty(0, dtype=np.int64)
        self._ids = np.empty(0, dtype=np.int32)
        self._built = False

    def _build(self) -> None:
        self._words = sorted(self.counts)
        keys: list[int] = []
        ids: list[int] = []
        for number, word in enumerate(self._words):
            for key in _deletes(word, 1):
                keys.append(hash(key))
                ids.append(number)
        order = np.argsort(np.array(keys, dtype=np.int64), kind="stable")
        self._keys = np.array(keys, dtype=np.int64)[order]
        self._ids = np.array(ids, dtype=np.int32)[order]
        self._built = True

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def correct(self, word: str) -> str:
        """The corpus word `word` was most likely meant to be; `word` itself when it is known,
        too short or too long, not a word of letters, or nothing is close enough."""
        if word in self.counts or not MIN_LENGTH <= len(word) <= MAX_LENGTH or not word.isalpha():
            return word
        if not self._built:
            self._build()
        edits = 2 if len(word) >= TWO_EDITS_FROM else 1
        probes = np.array([hash(key) for key in _deletes(word, edits)], dtype=np.int64)
        left = np.searchsorted(self._keys, probes, side="left")
        right = np.searchsorted(self._keys, probes, side="right")
        found = {int(i) for lo, hi in zip(left, right, strict=True) for i in self._ids[lo:hi]}
        best: tuple[int, int, str] | None = None
        for number in found:
            candidate = self._words[number]
            d = distance(word, candidate)
            if d <= edits:
                rank = (d, -self.counts[candidate], candidate)
                best = rank if best is None or rank < best else best
        return best[2] if best else word
