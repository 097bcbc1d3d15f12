"""The phrase index finds exactly what matching each phrase one by one finds, typos included."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.library import Library
from bot.detect.lexicon import Phrase, PhraseIndex, tokens_of


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + "x" + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + "e" + word[i:]


_CACHE: dict[str, tuple[list[Phrase], PhraseIndex]] = {}


def _phrases(library: Library) -> tuple[list[Phrase], PhraseIndex]:
    if "all" in _CACHE:
        return _CACHE["all"]
    detector = library.detector
    phrases = [
        p
        for lexicon in detector._lexicons
        for p in [r.phrase for r in lexicon.rules]
        + [g for group in lexicon.guards.values() for g in group]
        if p.regex is None
    ]
    _CACHE["all"] = (phrases, PhraseIndex(phrases))
    return _CACHE["all"]


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 10**9), length=st.integers(1, 12))
def test_index_equals_phrase_by_phrase_matching(library: Library, seed: int, length: int) -> None:
    rng = random.Random(seed)
    phrases, index = _phrases(library)
    vocabulary = [w.rstrip("*") for p in phrases for w in p.words]
    words = [rng.choice(vocabulary) for _ in range(length)]
    words = [_typo(w, rng) if rng.random() < 0.4 else w for w in words]
    tokens = tokens_of(" ".join(words))
    found = index.find_all(tokens)
    joined = " ".join(tokens)
    for phrase in phrases:
        expected = phrase.find(tokens, joined, [])
        assert found.get(phrase, []) == expected, (phrase.source, tokens)
