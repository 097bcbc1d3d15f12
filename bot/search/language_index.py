"""One language's BM25 postings, impacts and vocabulary: what `SearchIndex` ranks with.

The scores are rank-bm25's BM25Okapi with Lucene's IDF (`LuceneBM25`, the reference the tests
compare with). Two of rank-bm25's defaults are wrong for a corpus of a few hundred passages (see
shared/notes/telegram-and-search.md §4.3): Okapi's IDF goes to zero or below for common terms,
and Lucene's never does; and `get_scores` walks every document, so an inverted index picks the
candidates that share a term and each term's precomputed impacts score only those — the same
scores for less work.

The index is computed here, once, with numpy, and kept as a few flat arrays per language: every
term's documents and impacts are a run of one array (`Runs`). Kept as a small numpy array per
term, beside rank-bm25's model and its dictionary per document, the six-language guide's
indexes held 17 MB of Python objects; now 4.3 MB (bench/README.md, 2026-12-07). Document
numbers are intp, not int32: an int32 index array made `mass[docs] += weight` cost 4.5 µs
instead of 1.7, and a query about 0.15 ms more.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rank_bm25 import BM25Okapi

from bot.content import Entry
from bot.search.analysis import Analyzer, words
from bot.search.spelling import Speller
from bot.search.translit import is_latin, to_cyrillic

K1 = 1.2
B = 0.75
# BM25F on the cheap: a field's tokens are repeated by its weight (Robertson et al., 2004).
TITLE_WEIGHT = 3
TOPIC_WEIGHT = 2
SECTION_WEIGHT = 1
# How people ask for the entry (corpus/asked/): evidence of what it answers, but in users' words,
# typos included, so it weighs no more than the text and stays out of the spelling vocabulary.
ASKED_WEIGHT = 1
# Two entries whose title-and-topic terms overlap this much (of the smaller set) are one topic.
TWIN_OVERLAP = 0.5
TOPIC_PAIRS_CACHED = 4096  # pairs of entry numbers, about 0.4 MB when full

Fields = tuple[list[str], list[str], list[str], list[str]]  # title, topics, section, text


def lucene_idf(documents: int, containing: int) -> float:
    """Lucene's IDF, log(1 + (N - n + 0.5) / (n + 0.5)), which is never negative."""
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))


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
    """BM25Okapi with Lucene's IDF. The index computes the same model itself, in numpy; this one
    is the reference it is checked against (tests/test_search.py, bench/search_bench.py)."""

    def _calc_idf(self, nd: Mapping[str, int]) -> None:
        for word, freq in nd.items():
            self.idf[word] = lucene_idf(self.corpus_size, freq)


class Runs:
    """Per term number `n`, the run `values[starts[n]:starts[n + 1]]` of one flat array.

    One array for every term instead of a small numpy array each: a numpy array costs about 100
    bytes before its first value, and most terms are in one or two documents. The starts are read
    through a memoryview, which gives Python ints: slicing with numpy's own integers took twice
    as long, and a query slices a few dozen runs."""

    __slots__ = ("_at", "starts", "values")

    def __init__(self, starts: np.ndarray, values: np.ndarray) -> None:
        self.starts = starts
        self.values = values
        self._at = starts.data

    def __getitem__(self, number: int) -> np.ndarray:
        at = self._at
        return self.values[at[number] : at[number + 1]]

    def has(self, number: int) -> bool:
        """Whether term `number` has a value at all."""
        at = self._at
        return bool(at[number] < at[number + 1])


def _grouped(numbers: Sequence[int], count: int) -> tuple[np.ndarray, np.ndarray]:
    """The order that groups values by their term number (keeping their order within a term),
    and where each of the `count` terms' runs starts once grouped."""
    keys = np.asarray(numbers, dtype=np.int64)
    starts = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=count), out=starts[1:])
    return np.argsort(keys, kind="stable"), starts


def _fields(entry: Entry, lang: str) -> Fields:
    """Each field folded and split once: the document, what the entry is about and the spelling
    vocabulary are all made from these words."""
    return (
        words(entry.title, lang),
        words(" ".join(entry.topics), lang),
        words(getattr(entry, "section", ""), lang),
        words(entry.search_text, lang),
    )


def _document(fields: Fields, analyzer: Analyzer, asked: Sequence[str] = ()) -> list[str]:
    title, topics, section, text = fields
    terms = analyzer.terms_of_words
    return (
        terms(title) * TITLE_WEIGHT
        + terms(topics) * TOPIC_WEIGHT
        + terms(section) * SECTION_WEIGHT
        + terms(text)
        + analyzer.terms(" ".join(asked)) * ASKED_WEIGHT
    )


def documents(
    entries: Iterable[Entry], analyzer: Analyzer, asked: Mapping[str, Sequence[str]] | None = None
) -> list[list[str]]:
    """The terms BM25 scores for each entry, its title and topics repeated by their weight."""
    asked = asked or {}
    return [
        _document(_fields(entry, analyzer.lang), analyzer, asked.get(entry.base_id, ()))
        for entry in entries
    ]


@dataclass(frozen=True)
class Inverted:
    """A language's terms by number, their IDF, and per term the documents holding it
    (ascending) with the term's BM25 impact on each."""

    terms: dict[str, int]
    idf: np.ndarray
    postings: Runs
    impacts: Runs


def inverted(documents: Iterable[list[str]]) -> Inverted:
    """rank-bm25's BM25Okapi with Lucene's IDF (`LuceneBM25`), computed with the same operations
    in the same order, so that every impact is the same float to the last bit.

    Summing a query's impacts gives the score `get_batch_scores` would compute in Python for
    every candidate, which is fine for a few hundred passages and far too slow for ten thousand.
    The documents are read one at a time and their numbers kept in typed arrays: with the asked
    messages a language's documents hold some 90,000 terms, and building them all at once left
    the process several megabytes larger for good (freed memory is rarely given back).
    """
    terms: dict[str, int] = {}
    numbers = array("q")
    docs = array("q")
    counts = array("q")
    lengths: list[int] = []
    for index, document in enumerate(documents):
        lengths.append(len(document))
        for term, count in Counter(document).items():
            numbers.append(terms.setdefault(term, len(terms)))
            docs.append(index)
            counts.append(count)
    order, starts = _grouped(numbers, len(terms))
    ids = np.asarray(docs, dtype=np.intp)[order]
    tf = np.asarray(counts, dtype=float)[order]
    size = len(lengths)
    # As rank-bm25 computes them: the mean length from Python ints, the IDF with math.log.
    avgdl = sum(lengths) / max(size, 1)
    norms = K1 * (1 - B + B * np.array(lengths, dtype=float) / avgdl)
    containing = np.diff(starts)
    idf = np.array([lucene_idf(size, n) for n in containing.tolist()], dtype=float)
    term_of = np.repeat(np.arange(len(terms)), containing)
    impacts = idf[term_of] * (tf * (K1 + 1) / (tf + norms[ids]))
    return Inverted(terms, idf, Runs(starts, ids), Runs(starts, impacts))


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
    """The BM25 postings, impacts and vocabulary for the entries of one language."""

    def __init__(
        self,
        entries: Sequence[Entry],
        analyzer: Analyzer,
        asked: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """`asked`: how people ask for each entry in this language, by English entry id."""
        self.entries = list(entries)
        self.analyzer = analyzer
        fields = [_fields(entry, analyzer.lang) for entry in self.entries]
        table = asked or {}
        model = inverted(
            _document(field, analyzer, table.get(entry.base_id, ()))
            for field, entry in zip(fields, self.entries, strict=True)
        )
        self.terms, self.idf = model.terms, model.idf
        self._idf = model.idf.data  # Python floats, term by term, for the query path
        self.postings, self.impacts = model.postings, model.impacts
        # What each entry is about: the terms of its title and topics (a confidence feature, and
        # what makes two entries for different audiences twins); tuples, as a set costs ~1 KB.
        self.about_terms = [
            tuple(dict.fromkeys(analyzer.terms_of_words([*title, *topics])))
            for title, topics, _, _ in fields
        ]
        # Only terms some document holds are ever looked up here (a query's known terms).
        numbers: list[int] = []
        holders: list[int] = []
        for index, terms in enumerate(self.about_terms):
            for term in terms:
                if term in self.terms:
                    numbers.append(self.terms[term])
                    holders.append(index)
        order, starts = _grouped(numbers, len(self.terms))
        self.about = Runs(starts, np.array(holders, dtype=np.intp)[order])
        size = len(self.entries)
        self.position = {entry.id: i for i, entry in enumerate(self.entries)}
        by_id = sorted(range(size), key=lambda i: self.entries[i].id)
        self.id_rank = np.empty(size, dtype=np.int64)
        self.id_rank[by_id] = np.arange(size)
        self._audiences: dict[str, np.ndarray] = {}
        self.max_idf = _max_idf(size)
        vocabulary = [
            word
            for title, topics, _, text in fields
            for word in (*title, *topics, *text)
            if word not in analyzer.stopwords
        ]
        self.speller = Speller([*vocabulary, *analyzer.variant_words])
        # Whether two entries' titles and topics mostly share their terms (one topic written for
        # two audiences). Every answer asks it of its eight results pairwise, about 25 times: the
        # same few pairs recur from question to question, and the sets cost more than the rest of
        # the answer's bookkeeping.
        self.same_topic = lru_cache(maxsize=TOPIC_PAIRS_CACHED)(self._same_topic)

    def _same_topic(self, first: int, second: int) -> bool:
        a, b = self.about_terms[first], self.about_terms[second]
        return bool(a and b) and len(set(a).intersection(b)) / min(len(a), len(b)) >= TWIN_OVERLAP

    def audience(self, name: str) -> np.ndarray:
        """Which entries are written for `name` (a boolean per entry), computed once."""
        if name not in self._audiences:
            self._audiences[name] = np.array([name in e.audiences for e in self.entries])
        return self._audiences[name]

    def concepts(self, tokens: list[str]) -> list[tuple[str, ...]]:
        """The query's word groups, typos corrected against this language's vocabulary first."""
        speller = self.speller
        stop = self.analyzer.stopwords
        if self.analyzer.lang == "ru":
            tokens = [self.cyrillic(w) for w in tokens]
        fixed = [
            w if w in stop or self.analyzer.stem(w) in self.terms else speller.correct(w)
            for w in tokens
        ]
        return self.analyzer.concepts(fixed)

    def cyrillic(self, word: str) -> str:
        """A Latin word of a Russian question in Cyrillic, when that reading is a word of the
        guide (or a typo of one); otherwise as typed ("burnout", "PFA"). The Cyrillic reading
        wins over a Latin spelling the asked messages happen to use: the guide is in Cyrillic."""
        if not is_latin(word) or word in self.analyzer.stopwords:
            return word
        reading = to_cyrillic(word)
        if reading in self.analyzer.stopwords or self.analyzer.stem(reading) in self.terms:
            return reading
        if self.analyzer.stem(word) in self.terms:
            return word
        return reading if self.speller.correct(reading) != reading else word

    def score(self, concepts: list[tuple[str, ...]]) -> Scored:
        """Every candidate sharing a term with the query, with its BM25 score and, per word
        group the corpus knows, what it matched. Groups the corpus never uses are left out: a
        word no entry has is no evidence against any entry."""
        numbered = [tuple(self.terms[t] for t in group if t in self.terms) for group in concepts]
        known = [group for group in numbered if group]
        unseen = len(concepts) - len(known)
        size = len(self.entries)
        terms = list(dict.fromkeys(n for group in known for n in group))
        if not terms:
            empty = np.array([])
            return Scored(empty.astype(np.int64), empty, empty, empty, empty, 0, unseen)
        postings, impacts, about = self.postings, self.impacts, self.about
        docs_of = {n: postings[n] for n in terms}
        topical_of = {n: about[n] for n in terms if about.has(n)}
        idf = self._idf
        ids = np.concatenate(list(docs_of.values()))
        weights = np.concatenate([impacts[n] for n in terms])
        score_all = np.bincount(ids, weights=weights, minlength=size)
        candidates = np.flatnonzero(np.bincount(ids, minlength=size))
        mass = np.zeros(size)
        topic = np.zeros(size)
        matched = np.zeros(size)
        total = 0.0
        for group in known:
            weight = max(idf[n] for n in group)
            total += weight
            docs = _union([docs_of[n] for n in group], size)
            mass[docs] += weight
            matched[docs] += 1
            topical = [topical_of[n] for n in group if n in topical_of]
            if topical:
                topic[_union(topical, size)] += weight
        return Scored(
            candidates,
            score_all[candidates],
            mass[candidates] / total,
            topic[candidates] / total,
            matched[candidates],
            len(known),
            unseen,
        )
