"""Proposing a passage's topics: the words that set it apart from the rest of its document.

Each passage's content words are stemmed with the search's own analyzer (so "rest", "resting"
and "rested" count as one) and weighed by tf-idf against the document's other passages, with
the smoothed idf log((1 + n) / (1 + df)) + 1 so that a one-passage document still gets some.
A stem is shown as the word the passage uses most for it. The proposals are a draft for the
reviewer, like the rest of an import; nothing leaves the machine.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from bot.search.analysis import Analyzer, fold

TOPICS = 5
SHORTEST_WORD = 3
_WORD = re.compile(r"[^\W\d_]+")  # letters only: numbers and paragraph labels are no topic


def propose(texts: Sequence[str], titles: Sequence[str], analyzer: Analyzer) -> list[list[str]]:
    """Up to `TOPICS` topics per text, none of them a word of its title."""
    counted = [_stems(text, analyzer) for text in texts]
    documents = Counter(stem for stems in counted for stem in stems)
    total = len(texts)
    proposals = []
    for stems, title in zip(counted, titles, strict=True):
        in_title = {analyzer.stem(fold(word)) for word in _WORD.findall(title.casefold())}
        scores = {
            stem: sum(forms.values()) * (math.log((1 + total) / (1 + documents[stem])) + 1)
            for stem, forms in stems.items()
            if stem not in in_title
        }
        # Ties (words used once, as most are) go to longer words: "facilitator" before "one".
        best = sorted(scores, key=lambda stem: (-scores[stem], -len(stem)))[:TOPICS]
        proposals.append([stems[stem].most_common(1)[0][0] for stem in best])
    return proposals


def _stems(text: str, analyzer: Analyzer) -> dict[str, Counter[str]]:
    """stem -> how often each written form of it occurs, in order of first use."""
    stems: dict[str, Counter[str]] = {}
    for word in _WORD.findall(text.casefold()):
        folded = fold(word)
        if len(folded) < SHORTEST_WORD or folded in analyzer.stopwords:
            continue
        stems.setdefault(analyzer.stem(folded), Counter())[word] += 1
    return stems
