"""Stable hashed n-gram features of a message, shared by training and the running bot.

Character n-grams (2-5 letters, across word boundaries) carry typos, sms spelling, dialect
spellings and Arabizi; word unigrams and bigrams carry meaning. Every feature is hashed into a
fixed number of buckets with a polynomial hash over code points computed with numpy (wrapping
uint64 arithmetic), so the same text gives the same buckets on every machine and every run --
unlike Python's `hash`, which is salted per process. Substring hashes come from one prefix sum:
with B odd (so invertible modulo 2**64), hash(s[a:b]) = B**(b-1) * (S[b] - S[a]) where
S[i] = sum(c[k] * B**-k for k < i); every n-gram and word of a message costs a few array
operations, not a Python loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from bot.search.analysis import fold
from bot.utterance import MAX_CHARS as FOLD_CHARS

BITS = 16  # 65,536 buckets: with 32 hidden units, a 4 MB float16 table (bot/detect/README.md)
SIZE = 1 << BITS
CHAR_NS = (2, 3, 4, 5)
MAX_CHARS = 2000  # a message longer than this is scored on its first MAX_CHARS characters
CACHED_LENGTH = 400
CACHED_LENGTHS = 400
VERSION = 3  # bump when anything here changes what a text turns into: the model must be rebuilt

_MASK = (1 << 64) - 1
_B = 0x100000001B3
_B_INV = pow(_B, -1, 1 << 64)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(64 - BITS)
_POW = np.array([pow(_B, k, 1 << 64) for k in range(MAX_CHARS + 3)], dtype=np.uint64)
_INV_POW = np.array([pow(_B_INV, k, 1 << 64) for k in range(MAX_CHARS + 3)], dtype=np.uint64)
# One salt per feature family, so "ab" as a character bigram and "ab" as a word differ.
_SALT = {
    name: np.uint64((0xA5A5 + 7919 * i) * 0x2545F4914F6CDD1D & _MASK)
    for i, name in enumerate(("c2", "c3", "c4", "c5", "w1", "w2"))
}
_BIGRAM = np.uint64(0xC2B2AE3D27D4EB4F)

_MARK = "\ue000"  # a sentence boundary, kept through normalization as a one-letter word
_MARK_CODE = np.uint64(0xE000)
_DROP = re.compile(r"[^\w\s\u2600-\u27bf\U0001f000-\U0001faff\ue000]+")
_REPEAT = re.compile(r"(.)\1{2,}")
_SPACE = re.compile(r"\s+")
_SEGMENT = re.compile(r"[.!?;\n\u061f\u06d4\u3002\u2026]+")

Indices = npt.NDArray[np.intp]


def normalize(text: str) -> str:
    """Folded text (case, accents, Arabic letter forms, invisible characters), punctuation as
    spaces, sentence ends as a boundary mark, letters typed three or more times cut to two
    ("noooo" -> "noo")."""
    return normalize_folded(fold(text[:FOLD_CHARS]))


def normalize_folded(folded: str) -> str:
    """`normalize` of a text already folded (a message's `Utterance.folded`)."""
    text = _SEGMENT.sub(f" {_MARK} ", folded[:MAX_CHARS])
    text = _DROP.sub(" ", text.replace("_", " "))
    return _SPACE.sub(" ", _REPEAT.sub(r"\1\1", text)).strip(f" {_MARK}")


@dataclass(frozen=True)
class Features:
    """Every feature of a message (with repeats) and the sentence each one starts in.

    A message's vector is its bucket counts divided by the square root of its number of
    features; because that is linear in the counts, the score of any run of sentences is the sum
    of their rows' weights over the square root of their sizes, so long messages are scored
    piece by piece from one gather of the weights.
    """

    buckets: Indices
    pieces: Indices  # the sentence of each feature, 0-based and non-decreasing within a family
    count: int  # number of sentences


EMPTY = Features(np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp), 0)


def _char_grams(n: int) -> tuple[Indices, Indices, npt.NDArray[np.uint64]]:
    """Start, end and family salt of every character n-gram of a padded text of n code points:
    the same for every text of that length, so kept for the common (short) lengths."""
    if n <= CACHED_LENGTH:
        return _char_grams_of_length(n)
    return _make_char_grams(n)


def _make_char_grams(n: int) -> tuple[Indices, Indices, npt.NDArray[np.uint64]]:
    starts, ends, salts = [], [], []
    for size in CHAR_NS:
        if n >= size:
            first = np.arange(n - size + 1, dtype=np.intp)
            starts.append(first)
            ends.append(first + size)
            salts.append(np.full(len(first), _SALT[f"c{size}"], dtype=np.uint64))
    return np.concatenate(starts), np.concatenate(ends), np.concatenate(salts)


# At most CACHED_LENGTHS arrays of texts up to CACHED_LENGTH code points: under 8 MB in all.
_char_grams_of_length = lru_cache(maxsize=CACHED_LENGTHS)(_make_char_grams)


def features(text: str) -> Features:
    """Hash every character 2-5-gram, word and word pair of `text` into SIZE buckets."""
    return folded_features(fold(text[:FOLD_CHARS]))


@lru_cache(maxsize=4)
def folded_features(folded: str) -> Features:
    """`features` of a text already folded: what the bot computes from `Utterance.folded`.
    The crisis model and the search's scope model both read a message's features: the last few
    are kept so that each message is hashed once (the arrays are never changed in place).

    About twenty array operations whatever the length: a Python loop per n-gram would cost a
    millisecond on a long message."""
    normalized = normalize_folded(folded)
    if not normalized:
        return EMPTY
    padded = f" {normalized} "
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes)
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(codes * _INV_POW[:n], out=prefix[1:])
    space = codes == 32
    word_starts = np.flatnonzero(space[:-1] & ~space[1:]) + 1
    word_ends = np.flatnonzero(~space[:-1] & space[1:]) + 1
    char_starts, char_ends, char_salts = _char_grams(n)
    words = (prefix[word_ends] - prefix[word_starts]) * _POW[word_ends - 1]
    hashes = [
        (prefix[char_ends] - prefix[char_starts]) * _POW[char_ends - 1] + char_salts,
        words + _SALT["w1"],
        words[:-1] * _BIGRAM + words[1:] + _SALT["w2"],
    ]
    starts = [char_starts, word_starts, word_starts[:-1]]
    buckets = ((np.concatenate(hashes) * _MIX) >> _SHIFT).astype(np.intp)
    marks = int(np.count_nonzero(codes == _MARK_CODE))
    if not marks:
        return Features(buckets, np.zeros(len(buckets), dtype=np.intp), 1)
    piece_at = np.cumsum(codes == _MARK_CODE)
    return Features(buckets, piece_at[np.concatenate(starts)].astype(np.intp), marks + 1)
