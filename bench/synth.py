"""Synthetic English corpora built from the real corpus's vocabulary.

Each synthetic passage copies the shape of a real one (a "seed": its section and topics) and
draws its words from a mixture:
- with probability `topical`, a word of the seed passage itself (its own word distribution), so
  that, as in a real collection, passages about sleep use sleep words;
- otherwise a word from a global Zipf distribution (p ~ 1/rank) over the real corpus's words,
  ranked by their real frequency, followed by invented words for the long tail. The tail is sized
  by Heaps' law (vocabulary ~ sqrt(tokens)) so that a 100k-passage collection has the larger
  vocabulary a real one would have, not the 3k words of our 224 English entries.
Lengths are uniform in 60-250 words; titles are 3-8 words from the seed's title and the global
distribution. `topical=0, heaps=False` gives the worst case for an inverted index: every query
term is spread evenly over the whole collection.

Everything is seeded: the same arguments give the same corpus.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.content import Corpus
from bot.content.model import Passage
from bot.search.analysis import words

MIN_WORDS, MAX_WORDS = 60, 250
HEAPS_BETA = 0.5
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


@dataclass(frozen=True)
class Seed:
    title: tuple[str, ...]
    section: str
    topics: tuple[str, ...]
    tokens: tuple[str, ...]


def _invented(count: int, taken: set[str]) -> list[str]:
    """`count` pronounceable made-up words that are not real corpus words."""
    out: list[str] = []
    for length in (3, 4, 5):
        for parts in itertools.product(_SYLLABLES, repeat=length):
            word = "".join(parts)
            if word not in taken:
                out.append(word)
                if len(out) == count:
                    return out
    return out


class Generator:
    def __init__(self, corpus: Corpus, *, topical: float = 0.5, heaps: bool = True) -> None:
        self.topical = topical
        self.heaps = heaps
        counts: Counter[str] = Counter()
        self.seeds: list[Seed] = []
        for entry in corpus.entries:
            if entry.language != "en" or entry.kind != "passage":
                continue
            tokens = tuple(words(entry.search_text, "en"))
            counts.update(tokens)
            self.seeds.append(
                Seed(
                    tuple(words(entry.title, "en")),
                    getattr(entry, "section", ""),
                    tuple(entry.topics),
                    tokens,
                )
            )
        self.real_vocabulary = [word for word, _ in counts.most_common()]
        self.real_tokens = sum(counts.values())

    def vocabulary(self, tokens: int) -> list[str]:
        """Real words by frequency, then invented ones up to Heaps' law for `tokens` tokens."""
        real = self.real_vocabulary
        if not self.heaps:
            return real
        target = int(len(real) * (max(tokens, self.real_tokens) / self.real_tokens) ** HEAPS_BETA)
        return real + _invented(max(0, target - len(real)), set(real))

    def passages(self, count: int, seed: int = 7) -> list[Passage]:
        rng = np.random.default_rng(seed)
        lengths = rng.integers(MIN_WORDS, MAX_WORDS + 1, count)
        vocabulary = np.array(self.vocabulary(int(lengths.sum())), dtype=object)
        ranks = np.arange(1, len(vocabulary) + 1, dtype=np.float64)
        zipf = 1.0 / ranks
        zipf /= zipf.sum()
        total = int(lengths.sum())
        background = vocabulary[rng.choice(len(vocabulary), size=total, p=zipf)]
        topical = rng.random(total) < self.topical
        seeds = rng.integers(0, len(self.seeds), count)
        title_extra = rng.integers(0, 6, count)
        title_background = vocabulary[rng.choice(len(vocabulary), size=count * 5, p=zipf)]
        out: list[Passage] = []
        position = 0
        for number in range(count):
            length = int(lengths[number])
            chosen = self.seeds[int(seeds[number])]
            text = background[position : position + length].copy()
            mask = topical[position : position + length]
            picks = int(mask.sum())
            if picks:
                own = np.array(chosen.tokens, dtype=object)
                text[mask] = own[rng.integers(0, len(own), picks)]
            position += length
            title_own = list(chosen.title) or ["note"]
            title_words = [title_own[i] for i in rng.integers(0, len(title_own), 3)]
            extra = int(title_extra[number])
            title_words += list(title_background[number * 5 : number * 5 + extra])
            out.append(
                Passage(
                    id=f"syn-{number}",
                    title=" ".join(title_words).capitalize(),
                    collection="selfcare",
                    section=chosen.section,
                    language="en",
                    audiences=("defender",),
                    topics=chosen.topics,
                    text=" ".join(text),
                    sources=(),
                    review="draft",
                    citation="synthetic",
                    file="synthetic",
                    line=number + 1,
                )
            )
        return out


def describe(passages: Sequence[Passage]) -> dict[str, float]:
    lengths = [len(p.text.split()) for p in passages]
    vocabulary = {w for p in passages for w in p.text.split()}
    return {
        "passages": len(passages),
        "words_mean": round(float(np.mean(lengths)), 1),
        "words_total": int(sum(lengths)),
        "vocabulary": len(vocabulary),
    }
