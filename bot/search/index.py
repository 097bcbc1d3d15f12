"""BM25 search over the corpus, with field weights, an audience boost and a relevance floor.

rank-bm25 scores; this module decides what it scores. Two of its defaults are wrong for a corpus
of a few hundred passages (see shared/notes/telegram-and-search.md §4.3): Okapi's IDF goes to zero
or below for common terms, so `_LuceneBM25` uses Lucene's IDF, which never does; and
`get_scores` walks every document, so an inverted index picks the candidates that share a term
and `get_batch_scores` scores only those — the same scores for less work.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from bot.content import Corpus, Entry
from bot.search.analysis import Analyzer
from bot.utterance import Utterance

K1 = 1.2
B = 0.75
# BM25F on the cheap: a field's tokens are repeated by its weight (Robertson et al., 2004).
TITLE_WEIGHT = 3
TOPIC_WEIGHT = 2
SECTION_WEIGHT = 1
# Passages written for the asker's audience go first among comparable matches.
AUDIENCE_BOOST = 1.3
# The relevance floor. Coverage is the share of the query's information (IDF mass, with words the
# corpus has never seen counted at full weight) that a passage matches; a question the corpus does
# not cover matches little of it. Tuned on tests/dev/questions.yaml with `guidebot eval`.
# A query of two or more terms must match at least MIN_MATCHED of them, unless the one it matches
# carries most of its information.
MIN_COVERAGE = 0.35
MIN_SCORE = 3.0
# MIN_SCORE was tuned on the English collection (about 220 entries). BM25 scores grow with the
# log of the collection size through IDF, so a smaller collection (a translated subset) gets a
# floor scaled by its largest possible IDF relative to that size.
REFERENCE_SIZE = 220
MIN_MATCHED = 3
MIN_ABOUT = 0.25
SINGLE_TERM_COVERAGE = 0.5


def _max_idf(size: int) -> float:
    return math.log(1 + (size - 0.5) / 1.5)


def score_floor(size: int) -> float:
    """MIN_SCORE for a collection of `size` entries (never above MIN_SCORE)."""
    return MIN_SCORE * min(1.0, _max_idf(max(size, 1)) / _max_idf(REFERENCE_SIZE))


def _relevant(
    score: np.ndarray,
    coverage: np.ndarray,
    matched: np.ndarray,
    terms: int,
    about: np.ndarray,
    *,
    floor: float,
) -> np.ndarray:
    """The relevance floor, for every candidate at once: the entry is about the question (its
    title and topics cover part of it), enough of the question matched, and not by one lucky
    word."""
    enough = (matched >= min(terms, MIN_MATCHED)) | (coverage >= SINGLE_TERM_COVERAGE)
    return (about >= MIN_ABOUT) & (score >= floor) & (coverage >= MIN_COVERAGE) & enough


class _LuceneBM25(BM25Okapi):  # type: ignore[misc]
    """BM25Okapi with Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)), which is never negative."""

    def _calc_idf(self, nd: Mapping[str, int]) -> None:
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))


@dataclass(frozen=True)
class Hit:
    """A passage or checklist that answers the query, with its score and query coverage."""

    entry: Entry
    score: float
    coverage: float


class _LanguageIndex:
    """The BM25 model and postings for the entries of one language."""

    def __init__(self, entries: Sequence[Entry], analyzer: Analyzer) -> None:
        self.entries = list(entries)
        self.analyzer = analyzer
        documents = [self._document(entry) for entry in self.entries]
        self.bm25 = _LuceneBM25(documents, k1=K1, b=B) if documents else None
        postings: dict[str, list[int]] = {}
        for index, document in enumerate(documents):
            for term in set(document):
                postings.setdefault(term, []).append(index)
        self.postings = {term: np.array(ids, dtype=np.int64) for term, ids in postings.items()}
        self.impacts = self._impacts() if self.bm25 is not None else {}
        # What each entry is about: the terms of its title and topics. A query must share one
        # of them, so that a passage that merely uses "make" or "job" in passing is not a hit.
        about: dict[str, list[int]] = {}
        for index, entry in enumerate(self.entries):
            for term in set(analyzer.terms(" ".join((entry.title, *entry.topics)))):
                about.setdefault(term, []).append(index)
        self.about = {term: np.array(ids, dtype=np.int64) for term, ids in about.items()}
        size = len(documents)
        self.position = {entry.id: i for i, entry in enumerate(self.entries)}
        order = sorted(range(size), key=lambda i: self.entries[i].id)
        self.id_rank = np.empty(size, dtype=np.int64)
        self.id_rank[order] = np.arange(size)
        self._audiences: dict[str, np.ndarray] = {}
        self.unseen_idf = math.log(1 + (size + 0.5) / 0.5)
        self.floor = score_floor(size)

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

    def _document(self, entry: Entry) -> list[str]:
        terms = self.analyzer.terms
        return (
            terms(entry.title) * TITLE_WEIGHT
            + terms(" ".join(entry.topics)) * TOPIC_WEIGHT
            + terms(getattr(entry, "section", "")) * SECTION_WEIGHT
            + terms(entry.search_text)
        )

    def score(self, terms: list[str]) -> tuple[np.ndarray, ...]:
        """Candidate indices with their BM25 scores, query coverage, matched-term counts and
        "aboutness" (the query's coverage by the title and topics alone)."""
        known = [t for t in terms if t in self.postings]
        if self.bm25 is None or not known:
            empty = np.array([])
            return empty.astype(np.int64), empty, empty, empty, empty
        size = len(self.entries)
        idf = self.bm25.idf
        ids = np.concatenate([self.postings[t] for t in known])
        weights = np.concatenate([np.full(len(self.postings[t]), idf[t]) for t in known])
        # Per document: how many query terms it holds, and their IDF mass (bincount over the
        # postings, instead of a membership test per term and candidate).
        count_all = np.bincount(ids, minlength=size)
        mass_all = np.bincount(ids, weights=weights, minlength=size)
        candidates = np.flatnonzero(count_all)
        impacts = np.concatenate([self.impacts[t] for t in known])
        scores = np.bincount(ids, weights=impacts, minlength=size)[candidates]
        total = sum(idf.get(t, self.unseen_idf) for t in terms)
        about_terms = [t for t in known if t in self.about]
        about_all: np.ndarray = np.zeros(size)
        if about_terms:
            about_ids = np.concatenate([self.about[t] for t in about_terms])
            about_weights = np.concatenate(
                [np.full(len(self.about[t]), idf[t]) for t in about_terms]
            )
            about_all = np.bincount(about_ids, weights=about_weights, minlength=size)
        mass = mass_all[candidates]
        count = np.asarray(count_all[candidates], dtype=float)
        about = about_all[candidates]
        return candidates, scores, mass / total, count, about / total


class SearchIndex:
    """Per-language BM25 indexes over passages and checklists."""

    def __init__(self, entries: Iterable[Entry], analyzers: Mapping[str, Analyzer]) -> None:
        by_language: dict[str, list[Entry]] = {}
        for entry in entries:
            by_language.setdefault(entry.language, []).append(entry)
        self._indexes = {
            lang: _LanguageIndex(items, analyzers[lang]) for lang, items in by_language.items()
        }
        self.analyzers = analyzers

    @classmethod
    def build(cls, corpus: Corpus, analyzers: Mapping[str, Analyzer]) -> SearchIndex:
        return cls(corpus.entries, analyzers)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._indexes)

    def search(
        self,
        query: str | Utterance,
        *,
        lang: str = "en",
        audience: str | None = None,
        k: int = 5,
        exclude: frozenset[str] = frozenset(),
    ) -> list[Hit]:
        """The best `k` entries of language `lang` above the relevance floor, best first.

        Ties break on the entry id, so the same query always gives the same answer.
        """
        index = self._indexes.get(lang)
        if index is None or k <= 0:
            return []
        if isinstance(query, Utterance):  # a message's words, split once by its Utterance
            terms = list(dict.fromkeys(index.analyzer.terms_of_words(query.words(lang))))
        else:
            terms = list(dict.fromkeys(index.analyzer.terms(query)))
        if not terms:
            return []
        candidates, scores, coverage, matched, about = index.score(terms)
        keep = _relevant(scores, coverage, matched, len(terms), about, floor=index.floor)
        if exclude:
            excluded = [index.position[e] for e in exclude if e in index.position]
            keep &= ~np.isin(candidates, excluded)
        docs, scores, coverage = candidates[keep], scores[keep], coverage[keep]
        if audience:
            scores = scores * np.where(index.audience(audience)[docs], AUDIENCE_BOOST, 1.0)
        scores = np.round(scores, 4)
        best = np.lexsort((index.id_rank[docs], -scores))[:k]  # ties break on the entry id
        return [
            Hit(index.entries[docs[i]], float(scores[i]), round(float(coverage[i]), 4))
            for i in best.tolist()
        ]

    def similar(
        self, entry: Entry, *, k: int = 3, exclude: frozenset[str] = frozenset()
    ) -> list[Hit]:
        """Entries close to `entry` (its title and topics as the query), for "more like this"."""
        query = " ".join((entry.title, *entry.topics))
        return self.search(query, lang=entry.language, k=k, exclude=exclude | {entry.id})
