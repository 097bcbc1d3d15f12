"""Phrase matching over folded words, tolerant of the typos people make on phones.

A phrase is a sequence of words; a word ending in `*` matches any word it begins; a word of five
letters or more also matches a word one edit away ("suicidal" ~ "sucidal"). A phrase may instead
be a regular expression (a mapping `{re: ...}`) applied to the folded text. Shared by crisis
detection and intent recognition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.search.analysis import fold, words

FUZZY_MIN_LENGTH = 5
SWAP_MIN_LENGTH = 4
# Both caches fill with the words people write. Over the 39,470 training messages (85,000
# distinct words) 200,000 word matches held 33 MB and 50,000 first-word candidates 16 MB, the
# bot's whole budget for 20,000 users; at these sizes they hold about 3 MB each, and detection
# cost the same (0.9 ms a message on that stream, 0.45-0.65 on the dev questions; bench/README.md,
# 2026-12-07). The results are the same whatever the size: only misses are computed again.
WORD_MATCHES_CACHED = 16_384
CANDIDATES_CACHED = 8_192


@dataclass(frozen=True)
class Match:
    """Where a phrase matched, in word positions of the message."""

    start: int
    end: int  # exclusive


def _one_edit_apart(a: str, b: str) -> bool:
    """True when `a` and `b` differ by one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1 or _swapped(a, b)
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


@lru_cache(maxsize=WORD_MATCHES_CACHED)
def word_matches(pattern: str, word: str) -> bool:
    """Does one pattern word match one message word?"""
    if pattern.endswith("*"):
        stem = pattern[:-1]
        return word.startswith(stem) or (
            len(stem) >= FUZZY_MIN_LENGTH and _one_edit_apart(stem, word[: len(stem)])
        )
    if pattern == word:
        return True
    if len(pattern) >= FUZZY_MIN_LENGTH:
        return _one_edit_apart(pattern, word)
    return len(pattern) >= SWAP_MIN_LENGTH and _swapped(pattern, word)


def _swapped(a: str, b: str) -> bool:
    """Two neighbouring letters swapped ("wnat" ~ "want"), the commonest thumb typo."""
    if len(a) != len(b):
        return False
    diffs = [i for i in range(len(a)) if a[i] != b[i]]
    return (
        len(diffs) == 2
        and diffs[1] == diffs[0] + 1
        and a[diffs[0]] == b[diffs[1]]
        and a[diffs[1]] == b[diffs[0]]
    )


class Phrase:
    """One lexicon entry, compiled."""

    def __init__(self, source: str | dict[str, str]) -> None:
        self.source = source if isinstance(source, str) else f"re:{source['re']}"
        self.regex: re.Pattern[str] | None = None
        self.words: tuple[str, ...] = ()
        if isinstance(source, dict):
            self.regex = re.compile(fold(source["re"]))
        else:
            self.words = tuple(_phrase_words(source))

    def find(self, tokens: list[str], joined: str, offsets: list[int]) -> list[Match]:
        """All places this phrase occurs in a message given as tokens (and as joined text)."""
        if self.regex is not None:
            found = []
            for m in self.regex.finditer(joined):
                start = _token_at(offsets, m.start())
                end = max(start + 1, _token_at(offsets, max(m.end() - 1, m.start())) + 1)
                found.append(Match(start, end))
            return found
        n = len(self.words)
        if n == 0:
            return []
        return [
            Match(i, i + n)
            for i in range(len(tokens) - n + 1)
            if all(word_matches(p, tokens[i + j]) for j, p in enumerate(self.words))
        ]


def tokens_of(text: str) -> list[str]:
    """Folded words, apostrophes joined ("can't" -> "cant", "j'ai" -> "jai") as phones type them.

    One tokenization for every language, so that phrases and messages always agree.
    """
    return words(text, "en")


def _phrase_words(source: str) -> list[str]:
    out = []
    for raw in source.split():
        star = raw.endswith("*")
        parts = tokens_of(raw.rstrip("*"))
        if star and parts:
            parts[-1] += "*"
        out.extend(parts)
    return out


def _token_at(offsets: list[int], char: int) -> int:
    """Index of the token that starts at or before character `char` of the joined text."""
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _deletions(word: str) -> set[str]:
    """The word and every form of it with one letter removed (a SymSpell-style neighbourhood)."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


class PhraseIndex:
    """Finds every word phrase in a message at once, looking only at plausible starts.

    Matching each of thousands of phrases at each word position costs tens of milliseconds per
    message. Here the phrases are indexed by their first word: exact words by value, words that
    may match with a typo by their one-deletion neighbourhood (two words one edit or one swap
    apart always share a deletion form), and `stem*` words by stem. Each candidate found that way
    is then confirmed with the same `word_matches` rule, so the result is exactly what
    `Phrase.find` would give, phrase by phrase.
    """

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self._by_first: dict[str, list[Phrase]] = {}
        self._near: dict[str, set[str]] = {}  # deletion form -> first words allowing typos
        self._stems: dict[str, set[str]] = {}  # stem -> first words `stem*`
        self._near_stems: dict[str, set[str]] = {}  # deletion form of a long stem -> stems
        self._longest_word = 0  # no typo-tolerant word can match a token longer than this + 1
        self._longest_stem = 0
        # Words recur from message to message ("i", "the", "que"); their candidates are kept,
        # boundedly, so a message costs the typo neighbourhood of its rare words only.
        self._candidates = lru_cache(maxsize=CANDIDATES_CACHED)(self._first_words)
        for phrase in phrases:
            if phrase.regex is not None or not phrase.words:
                continue
            first = phrase.words[0]
            self._by_first.setdefault(first, []).append(phrase)
            if first.endswith("*"):
                stem = first[:-1]
                self._longest_stem = max(self._longest_stem, len(stem))
                self._stems.setdefault(stem, set()).add(first)
                if len(stem) >= FUZZY_MIN_LENGTH:
                    for form in _deletions(stem):
                        self._near_stems.setdefault(form, set()).add(stem)
            elif len(first) >= SWAP_MIN_LENGTH:
                self._longest_word = max(self._longest_word, len(first))
                for form in _deletions(first):
                    self._near.setdefault(form, set()).add(first)

    def _first_words(self, token: str) -> frozenset[str]:
        """Pattern first words that could match `token` (confirmed by the caller)."""
        found = {token} if token in self._by_first else set()
        if len(token) <= self._longest_word + 1:  # bounded work for a 4,000-letter "word"
            for form in _deletions(token):
                found |= self._near.get(form, set())
        for length in range(1, min(len(token), self._longest_stem) + 1):
            prefix = token[:length]
            found |= self._stems.get(prefix, set())
            if length >= FUZZY_MIN_LENGTH:
                for form in _deletions(prefix):
                    found |= {
                        f"{stem}*" for stem in self._near_stems.get(form, ()) if len(stem) == length
                    }
        # A word one letter shorter than a long stem ("autlesion" for "autolesion*").
        found |= {f"{stem}*" for stem in self._near_stems.get(token, ()) if len(stem) > len(token)}
        return frozenset(word for word in found if word_matches(word, token))

    def find_all(self, tokens: list[str]) -> dict[Phrase, list[Match]]:
        """Every indexed phrase that occurs in `tokens`, with where."""
        found: dict[Phrase, list[Match]] = {}
        for start, token in enumerate(tokens):
            for first in self._candidates(token):
                for phrase in self._by_first[first]:
                    n = len(phrase.words)
                    if start + n <= len(tokens) and all(
                        word_matches(p, tokens[start + j])
                        for j, p in enumerate(phrase.words[1:], start=1)
                    ):
                        found.setdefault(phrase, []).append(Match(start, start + n))
        return found
