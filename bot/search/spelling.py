"""Typo correction against the words a corpus really uses, one vocabulary per language.

People type key words with a letter or two wrong ("exausted", "nightmears", "confidencialidad");
BM25 then finds nothing for the one word that mattered. A word of `MIN_LENGTH` letters or more
that the corpus does not use is replaced by the corpus word closest to it: one edit away (for
words of `TWO_EDITS_FROM` letters or more, also the two-edit typos the table reaches), the
commonest on a tie. Candidates come from a symmetric-delete table (each corpus word under itself
and every one-letter deletion), so a lookup costs a few dictionary probes, not a walk over the
vocabulary; the table holds one-letter deletions only, to keep memory small at 10,000 passages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import combinations

MIN_LENGTH = 5
MAX_LENGTH = 24  # longer "words" are not typos of a word (and would cost a lot to try)
TWO_EDITS_FROM = 8


def _deletes(word: str, edits: int) -> set[str]:
    """`word` with any `edits` letters or fewer removed (the word itself included)."""
    out = {word}
    for n in range(1, edits + 1):
        for drop in combinations(range(len(word)), n):
            out.add("".join(c for i, c in enumerate(word) if i not in drop))
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
    """Corrects a word to the corpus's vocabulary, or leaves it alone."""

    def __init__(self, words: Iterable[str]) -> None:
        self.counts = Counter(w for w in words if len(w) >= MIN_LENGTH - 1 and w.isalpha())
        self._table: dict[str, list[str]] = {}
        for word in self.counts:
            for key in _deletes(word, 1):
                self._table.setdefault(key, []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def correct(self, word: str) -> str:
        """The corpus word `word` was most likely meant to be; `word` itself when it is known,
        too short or too long, not a word of letters, or nothing is close enough."""
        if word in self.counts or not MIN_LENGTH <= len(word) <= MAX_LENGTH or not word.isalpha():
            return word
        edits = 2 if len(word) >= TWO_EDITS_FROM else 1
        found: set[str] = set()
        for key in _deletes(word, edits):
            found.update(self._table.get(key, ()))
        best: tuple[int, int, str] | None = None
        for candidate in found:
            d = distance(word, candidate)
            if d <= edits:
                rank = (d, -self.counts[candidate], candidate)
                best = rank if best is None or rank < best else best
        return best[2] if best else word
