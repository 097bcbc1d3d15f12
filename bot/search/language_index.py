"""One language's BM25 model, postings, impacts and vocabulary: what `SearchIndex` ranks with.

rank-bm25 scores; this module decides what it scores. Two of its defaults are wrong for a corpus
of a few hundred passages (see shared/notes/telegram-and-search.md §4.3): Okapi's IDF goes to zero
or below for common terms, so `LuceneBM25` uses Lucene's IDF, which never does; and `get_scores`
walks every document, so an inverted index picks the candidates that share a term and each
term's precomputed impacts score only those — the same scores for less work.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from bot.content import Entry
from bot.search.analysis import Analyzer, words
from bot.search.spelling import Speller

K1 = 1.2
B = 0.75
# BM25F on the cheap: a field's tokens are repeated by its weight (Robertson et al., 2004).
TITLE_WEIGHT = 3
TOPIC_WEIGHT = 2
SECTION_WEIGHT = 1


def _max_idf(size: int) -> float:
    return math.log(1 + (max(size, 1) - 0.5) / 1.5)


def _union(postings: list[np.ndarray], size: int) -> np.ndarray:
    """The documents of any of `postings` (each sorted and unique already), each once: a mask
    over the collection, which at 10,000 passages is several times cheaper than `np.unique`."""
    if len(postings) == 1:
        return postings[0]
    mask = np.zeros(size, dtype=bool)
    for ids in postings:
        mask[ids] = True
    return np.flatnonzero(mask)


class LuceneBM25(BM25Okapi):  # type: ignore[misc]
    """BM25Okapi with Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)), which is never negative."""

    def _calc_idf(self, nd: Mapping[str, int]) -> None:
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))


@dataclass(frozen=True)
class Scored:
    """Every candidate of one query: its index, BM25 score and what it matched."""

    docs: np.ndarray
    scores: np.ndarray
    coverage: np.ndarray
    about: np.ndarray
    matched: np.ndarray
    concepts: int
    unseen: int = 0  # word groups no entry uses


class LanguageIndex:
    """The BM25 model, postings and vocabulary for the entries of one language."""

    def __init__(self, entries: Sequence[Entry], analyzer: Analyzer) -> None:
        self.entries = list(entries)
        self.analyzer = analyzer
        lang = analyzer.lang
        # Each field is folded and split once; the document, what it is about and the
        # vocabulary for spelling are all made from these words.
        fields = [
            (
                words(entry.title, lang),
                words(" ".join(entry.topics), lang),
                words(getattr(entry, "section", ""), lang),
                words(entry.search_text, lang),
            )
            for entry in self.entries
        ]
        documents = [self._document(*field) for field in fields]
        self.bm25 = LuceneBM25(documents, k1=K1, b=B) if documents else None
        postings: dict[str, list[int]] = {}
        for index, document in enumerate(documents):
            for term in set(document):
                postings.setdefault(term, []).append(index)
        self.postings = {term: np.array(ids, dtype=np.int64) for term, ids in postings.items()}
        self.impacts = self._impacts() if self.bm25 is not None else {}
        # What each entry is about: the terms of its title and topics (a confidence feature, and
        # what makes two entries for different audiences twins).
        about: dict[str, list[int]] = {}
        self.about_terms: list[frozenset[str]] = []
        for index, (title, topics, _, _) in enumerate(fields):
            terms = frozenset(analyzer.terms_of_words([*title, *topics]))
            self.about_terms.append(terms)
            for term in terms:
                about.setdefault(term, []).append(index)
        self.about = {term: np.array(ids, dtype=np.int64) for term, ids in about.items()}
        size = len(documents)
        self.position = {entry.id: i for i, entry in enumerate(self.entries)}
        order = sorted(range(size), key=lambda i: self.entries[i].id)
        self.id_rank = np.empty(size, dtype=np.int64)
        self.id_rank[order] = np.arange(size)
        self._audiences: dict[str, np.ndarray] = {}
        self.max_idf = _max_idf(size)
        vocabulary = [
            word
            for title, topics, _, text in fields
            for word in (*title, *topics, *text)
            if word not in analyzer.stopwords
        ]
        self.speller = Speller([*vocabulary, *analyzer.variant_words])

    def audience(self, name: str) -> np.ndarray:
        """Which entries are written for `name` (a boolean per entry), computed once."""
        if name not in self._audiences:
            self._audiences[name] = np.array([name in e.audiences for e in self.entries])
        return self._audiences[name]

    def _impacts(self) -> dict[str, np.ndarray]:
        """Each term's BM25 contribution to each document holding it, from rank-bm25's own
        model (its IDF, term frequencies, lengths, k1 and b), computed once at start.

        `get_batch_scores` recomputes these in Python for every candidate of every query, which
        is fine for a few hundred passages and far too slow for ten thousand. Summing impacts
        gives the same numbers, in the same order of addition, for a fraction of the work.
        """
        assert self.bm25 is not None
        model = self.bm25
        lengths = np.asarray(model.doc_len, dtype=float)
        norms = model.k1 * (1 - model.b + model.b * lengths / model.avgdl)
        impacts = {}
        for term, ids in self.postings.items():
            tf = np.array([model.doc_freqs[i][term] for i in ids], dtype=float)
            impacts[term] = model.idf[term] * (tf * (model.k1 + 1) / (tf + norms[ids]))
        return impacts

    def _document(
        self, title: list[str], topics: list[str], section: list[str], text: list[str]
    ) -> list[str]:
        terms = self.analyzer.terms_of_words
        return (
            terms(title) * TITLE_WEIGHT
            + terms(topics) * TOPIC_WEIGHT
            + terms(section) * SECTION_WEIGHT
            + terms(text)
        )

    def concepts(self, tokens: list[str]) -> list[tuple[str, ...]]:
        """The query's word groups, typos corrected against this language's vocabulary first."""
        speller = self.speller
        stop = self.analyzer.stopwords
        fixed = [
            w if w in stop or self.analyzer.stem(w) in self.postings else speller.correct(w)
            for w in tokens
        ]
        return self.analyzer.concepts(fixed)

    def score(self, concepts: list[tuple[str, ...]]) -> Scored:
        """Every candidate sharing a term with the query, with its BM25 score and, per word
        group the corpus knows, what it matched. Groups the corpus never uses are left out: a
        word no entry has is no evidence against any entry."""
        assert self.bm25 is not None
        idf = self.bm25.idf
        known = [tuple(t for t in group if t in self.postings) for group in concepts]
        known = [group for group in known if group]
        unseen = len(concepts) - len(known)
        size = len(self.entries)
        terms = list(dict.fromkeys(t for group in known for t in group))
        if not terms:
            empty = np.array([])
            return Scored(empty.astype(np.int64), empty, empty, empty, empty, 0, unseen)
        ids = np.concatenate([self.postings[t] for t in terms])
        impacts = np.concatenate([self.impacts[t] for t in terms])
        score_all = np.bincount(ids, weights=impacts, minlength=size)
        candidates = np.flatnonzero(np.bincount(ids, minlength=size))
        mass = np.zeros(size)
        about = np.zeros(size)
        matched = np.zeros(size)
        total = 0.0
        for group in known:
            weight = max(idf[t] for t in group)
            total += weight
            docs = _union([self.postings[t] for t in group], size)
            mass[docs] += weight
            matched[docs] += 1
            topical = [self.about[t] for t in group if t in self.about]
            if topical:
                about[_union(topical, size)] += weight
        return Scored(
            candidates,
            score_all[candidates],
            mass[candidates] / total,
            about[candidates] / total,
            matched[candidates],
            len(known),
            unseen,
        )
