"""Index build and query latency for one corpus, in a process of its own (clean memory figures).

    python -m bench.search_bench real|synthetic|uniform [--size N] [--queries 200] [--rounds 3]

Prints one JSON object. Methods, all over the same English documents (title x3, topics x2,
section, text: the token lists `bot.search.index` builds) and the same query terms:
- `ours.search`: `SearchIndex.search`, end to end (analysis, candidates, scores, floor, top 5);
- `ours.score` (the inverted index, "after"): `_LanguageIndex.score`, i.e. postings pick the
  candidates and rank-bm25's `get_batch_scores` scores only those, plus coverage;
- `rank_bm25.get_scores` ("before", the baseline): a plain `BM25Okapi(k1=1.2, b=0.75)` scoring
  every document (`get_scores`), then the top 5;
- `bm25s`: `bm25s.BM25(method="lucene", k1=1.2, b=0.75).get_scores`, then the top 5;
- `numpy_postings` (a prototype, not used by the bot): postings that carry each document's
  precomputed BM25 weight, summed with numpy; it returns exactly what `_LanguageIndex.score`
  returns, and `numpy_postings.search` applies the relevance floor vectorised and returns
  exactly the hits `SearchIndex.search` returns (both checked on every query).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.content import Entry, load_corpus
from bot.evaluate import load_questions
from bot.paths import default_corpus_dir
from bot.search.analysis import analyzers
from bot.search.index import (
    AUDIENCE_BOOST,
    MIN_ABOUT,
    MIN_COVERAGE,
    MIN_MATCHED,
    SINGLE_TERM_COVERAGE,
    Hit,
    SearchIndex,
    _LanguageIndex,
)

K1, B = 1.2, 0.75
TOP = 5
QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "dev"


# -- memory -----------------------------------------------------------------------------------


def status_kb(field: str, pid: str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0), so a build's peak can be read alone."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measured(build: Callable[[], Any], traced: bool) -> tuple[Any, dict[str, float]]:
    """Build once for time and RSS (retained and peak), once more under tracemalloc if asked."""
    gc.collect()
    before = status_kb("VmRSS")
    peak_ok = reset_peak()
    started = time.perf_counter()
    result = build()
    seconds = time.perf_counter() - started
    figures: dict[str, float] = {
        "build_s": round(seconds, 3),
        "rss_delta_mb": round((status_kb("VmRSS") - before) / 1024, 1),
    }
    if peak_ok:
        figures["rss_peak_delta_mb"] = round((status_kb("VmHWM") - before) / 1024, 1)
    if traced:
        gc.collect()
        tracemalloc.start()
        again = build()
        current, peak = tracemalloc.get_traced_memory()
        figures["tracemalloc_retained_mb"] = round(current / 2**20, 1)
        figures["tracemalloc_peak_mb"] = round(peak / 2**20, 1)
        tracemalloc.stop()
        del again
        gc.collect()
    return result, figures


# -- the prototype --------------------------------------------------------------------------------


class NumpyPostings:
    """`_LanguageIndex.score` without rank-bm25's per-document dictionaries: each term's postings
    carry the documents' BM25 weights, computed once at build time (Lucene IDF, k1, b)."""

    def __init__(self, documents: Sequence[list[str]], index: _LanguageIndex) -> None:
        lengths = np.array([len(d) for d in documents], dtype=np.float64)
        norm = K1 * (1 - B + B * lengths / lengths.mean())
        ids: dict[str, list[int]] = {}
        tfs: dict[str, list[int]] = {}
        for number, document in enumerate(documents):
            for term, tf in Counter(document).items():
                ids.setdefault(term, []).append(number)
                tfs.setdefault(term, []).append(tf)
        n = len(documents)
        self.idf: dict[str, float] = {}
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, docs in ids.items():
            idf = math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5))
            tf = np.array(tfs[term], dtype=np.float64)
            doc_ids = np.array(docs, dtype=np.int64)
            self.idf[term] = idf
            self.postings[term] = (doc_ids, idf * tf * (K1 + 1) / (tf + norm[doc_ids]))
        self.about = index.about  # title and topic terms: the same postings the bot keeps
        self.unseen_idf = index.unseen_idf
        self.floor = index.floor
        self.entries = index.entries
        self._audiences: dict[str, np.ndarray] = {}

    def score(self, terms: list[str]) -> tuple[np.ndarray, ...]:
        known = [t for t in terms if t in self.postings]
        if not known:
            empty = np.array([])
            return empty.astype(np.int64), empty, empty, empty, empty
        ids = np.concatenate([self.postings[t][0] for t in known])
        weights = np.concatenate([self.postings[t][1] for t in known])
        idf = np.concatenate([np.full(len(self.postings[t][0]), self.idf[t]) for t in known])
        candidates, inverse = np.unique(ids, return_inverse=True)
        size = len(candidates)
        scores = np.bincount(inverse, weights=weights, minlength=size)
        mass = np.bincount(inverse, weights=idf, minlength=size)
        count = np.bincount(inverse, minlength=size).astype(np.float64)
        about = np.zeros(size)
        for term in known:
            if term in self.about:
                present = np.isin(candidates, self.about[term], assume_unique=True)
                about += self.idf[term] * present
        total = sum(self.idf.get(t, self.unseen_idf) for t in terms)
        return candidates, scores, mass / total, count, about / total

    def search(self, terms: list[str], audience: str | None = None, k: int = TOP) -> list[Hit]:
        """`SearchIndex.search` after analysis, with the relevance floor, the audience boost and
        the top-k cut done by numpy; only the best k (and ties) become `Hit`s."""
        candidates, scores, coverage, matched, about = self.score(terms)
        if not len(candidates):
            return []
        need = min(len(terms), MIN_MATCHED)
        keep = np.flatnonzero(
            (about >= MIN_ABOUT)
            & (scores >= self.floor)
            & (coverage >= MIN_COVERAGE)
            & ((matched >= need) | (coverage >= SINGLE_TERM_COVERAGE))
        )
        if not len(keep):
            return []
        final = scores[keep]
        if audience:
            boosted = self.audience_mask(audience)[candidates[keep]]
            final = np.where(boosted, final * AUDIENCE_BOOST, final)
        final = np.round(final, 4)
        if len(keep) > k:  # the k best, and anything tied with the k-th (ties break on the id)
            kth = np.partition(final, len(final) - k)[len(final) - k]
            chosen = np.flatnonzero(final >= kth)
        else:
            chosen = np.arange(len(keep))
        hits = [
            Hit(
                self.entries[int(candidates[keep[i]])],
                float(final[i]),
                round(float(coverage[keep[i]]), 4),
            )
            for i in chosen.tolist()
        ]
        hits.sort(key=lambda hit: (-hit.score, hit.entry.id))
        return hits[:k]

    def audience_mask(self, audience: str) -> np.ndarray:
        mask = self._audiences.get(audience)
        if mask is None:
            mask = np.array([audience in e.audiences for e in self.entries], dtype=bool)
            self._audiences[audience] = mask
        return mask


def score_without_postings(self: _LanguageIndex, terms: list[str]) -> tuple[np.ndarray, ...]:
    """`_LanguageIndex.score` as it was before the inverted index: rank-bm25 scores every
    document (`get_scores`) and the candidates are those that scored. Same outputs, more work."""
    known = [t for t in terms if t in self.postings]
    if self.bm25 is None or not known:
        empty = np.array([])
        return empty.astype(np.int64), empty, empty, empty, empty
    full = np.asarray(self.bm25.get_scores(known))
    candidates = np.flatnonzero(full > 0)  # Lucene IDF > 0: every document sharing a term
    scores = full[candidates]
    total = sum(self.bm25.idf.get(t, self.unseen_idf) for t in terms)
    mass = np.zeros(len(candidates))
    count = np.zeros(len(candidates))
    about = np.zeros(len(candidates))
    for term in known:
        present = np.isin(candidates, self.postings[term])
        mass += self.bm25.idf[term] * present
        count += present
        if term in self.about:
            about += self.bm25.idf[term] * np.isin(candidates, self.about[term])
    return candidates, scores, mass / total, count, about / total


# -- timing ------------------------------------------------------------------------------------


def latency(
    run: Callable[[Any], Any], queries: Sequence[Any], rounds: int, budget: float = 20.0
) -> dict[str, float]:
    """p50/p99 over `rounds` passes of the queries, stopping early (after whole queries) when
    `budget` seconds are spent: slow methods on big corpora get fewer samples, reported."""
    for query in queries[:10]:  # warm caches (stemmer, numpy dispatch)
        run(query)
    samples: list[int] = []
    gc.collect()
    deadline = time.perf_counter() + budget
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter_ns()
            run(query)
            samples.append(time.perf_counter_ns() - started)
            if time.perf_counter() > deadline and len(samples) >= 20:
                break
        else:
            continue
        break
    values = np.array(samples) / 1e6
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 3),
        "p99_ms": round(float(np.percentile(values, 99)), 3),
        "mean_ms": round(float(values.mean()), 3),
        "max_ms": round(float(values.max()), 3),
        "samples": len(samples),
    }


def top(scores: np.ndarray, k: int = TOP) -> np.ndarray:
    if len(scores) <= k:
        return np.argsort(-scores)
    best = np.argpartition(-scores, k)[:k]
    return best[np.argsort(-scores[best])]


def english_questions(count: int) -> list[str]:
    questions = [q.text for q in load_questions(QUESTIONS / "questions.yaml") if q.lang == "en"]
    unique = list(dict.fromkeys(questions))
    stride = max(1, len(unique) // count)
    return unique[::stride][:count]


def all_questions() -> list[tuple[str, str]]:
    out = []
    for path in sorted(QUESTIONS.glob("questions*.yaml")):
        out += [(q.text, q.lang) for q in load_questions(path)]
    return out


# -- one corpus ----------------------------------------------------------------------------------


def bench(  # noqa: PLR0915
    kind: str, size: int, query_count: int, rounds: int, *, traced: bool, budget: float
) -> dict[str, Any]:
    import bm25s  # noqa: PLC0415  (benchmark-only dependency)
    from rank_bm25 import BM25Okapi  # noqa: PLC0415

    result: dict[str, Any] = {"corpus": kind, "size": size, "methods": {}}
    started = time.perf_counter()
    corpus = load_corpus(default_corpus_dir())
    result["load_corpus_s"] = round(time.perf_counter() - started, 3)
    language_analyzers = analyzers(corpus.stopwords, corpus.synonyms)
    entries: list[Entry]
    if kind == "real":
        entries = list(corpus.entries)
    else:
        from bench.synth import Generator, describe  # noqa: PLC0415

        generator = Generator(
            corpus, topical=0.5 if kind == "synthetic" else 0.0, heaps=kind == "synthetic"
        )
        started = time.perf_counter()
        passages = generator.passages(size)
        result["generate_s"] = round(time.perf_counter() - started, 3)
        result["shape"] = describe(passages)
        entries = list(passages)
    result["entries"] = len(entries)
    result["entries_en"] = sum(e.language == "en" for e in entries)

    methods = result["methods"]
    index, methods["ours"] = measured(lambda: SearchIndex(entries, language_analyzers), traced)
    english: _LanguageIndex = index._indexes["en"]
    # The other methods index the same bags of terms; rebuilding them from rank-bm25's
    # per-document counts avoids analysing a big corpus twice (BM25 ignores word order).
    assert english.bm25 is not None
    documents = [
        [term for term, tf in freqs.items() for _ in range(tf)] for freqs in english.bm25.doc_freqs
    ]
    result["tokens_en"] = sum(len(d) for d in documents)
    if len(english.entries) <= 20_000:
        started = time.perf_counter()
        for entry in english.entries:
            english._document(entry)
        result["tokenize_en_s"] = round(time.perf_counter() - started, 3)
    plain, methods["rank_bm25"] = measured(lambda: BM25Okapi(documents, k1=K1, b=B), traced)

    def build_bm25s() -> Any:
        model = bm25s.BM25(method="lucene", k1=K1, b=B)
        model.index(documents, show_progress=False)
        return model

    fast, methods["bm25s"] = measured(build_bm25s, traced)
    proto, methods["numpy_postings"] = measured(lambda: NumpyPostings(documents, english), traced)
    for name in ("rank_bm25", "bm25s", "numpy_postings"):
        methods[name]["note"] = "built from the analysed documents (ours includes the analysis)"

    queries = english_questions(query_count)
    analyzer = english.analyzer
    terms_of = {q: list(dict.fromkeys(analyzer.terms(q))) for q in queries}
    queries = [q for q in queries if terms_of[q]]
    result["queries"] = len(queries)
    result["query_terms_mean"] = round(float(np.mean([len(terms_of[q]) for q in queries])), 2)
    result["candidates_mean"] = round(
        float(np.mean([len(english.score(terms_of[q])[0]) for q in queries])), 1
    )

    # The implementations agree before they are timed.
    checks: dict[str, Any] = {
        "after_equals_before": True,
        "prototype_equals_ours": True,
        "bm25s_max_rel_diff": 0.0,
    }
    checked = queries[:: max(1, len(queries) // (40 if size < 50_000 else 4))]
    result["queries_checked"] = len(checked)
    for query in checked:
        terms = terms_of[query]
        known = [t for t in terms if t in english.postings]
        full = np.asarray(english.bm25.get_scores(known)) if known else np.zeros(len(documents))
        candidates, scores, coverage, matched, about = english.score(terms)
        old = score_without_postings(english, terms)
        if len(old[0]) != len(candidates) or not all(
            np.allclose(a, b)
            for a, b in zip(old, (candidates, scores, coverage, matched, about), strict=True)
        ):
            checks["after_equals_before"] = False
        got = proto.score(terms)
        expected = (candidates, scores, coverage, matched, about)
        if len(got[0]) != len(candidates) or not all(
            np.allclose(a, b) for a, b in zip(got, expected, strict=True)
        ):
            checks["prototype_equals_ours"] = False
        for audience in (None, "coordinator"):
            mine = proto.search(terms, audience)
            theirs = index.search(query, audience=audience, k=TOP)
            if [(h.entry.id, h.score) for h in mine] != [(h.entry.id, h.score) for h in theirs]:
                checks["prototype_equals_ours"] = False
        lucene = np.asarray(fast.get_scores(terms), dtype=np.float64) * (K1 + 1)
        if known:
            nonzero = full > 0
            diff = np.abs(lucene[nonzero] - full[nonzero]) / full[nonzero]
            checks["bm25s_max_rel_diff"] = max(checks["bm25s_max_rel_diff"], float(diff.max()))
    checks["bm25s_max_rel_diff"] = float(f"{checks['bm25s_max_rel_diff']:.2g}")
    result["checks"] = checks

    def search_before(query: str) -> Any:
        english.score = before_scoring  # type: ignore[method-assign]
        try:
            return index.search(query, lang="en", k=TOP)
        finally:
            del english.score

    before_scoring = score_without_postings.__get__(english)

    def before(query: str) -> Any:
        return top(np.asarray(plain.get_scores(terms_of[query])))

    def with_bm25s(query: str) -> Any:
        return top(fast.get_scores(terms_of[query]))

    def prototype(query: str) -> Any:
        candidates, scores, *_ = proto.score(terms_of[query])
        return candidates[top(scores)]

    timed = {
        "ours.search": lambda q: index.search(q, lang="en", k=TOP),
        "ours.search, no inverted index (before)": search_before,
        "analysis": analyzer.terms,
        "ours.score (after)": lambda q: english.score(terms_of[q]),
        "ours.score, no inverted index (before)": lambda q: before_scoring(terms_of[q]),
        "rank_bm25.get_scores (all docs)": before,
        "bm25s.get_scores": with_bm25s,
        "numpy_postings.score": prototype,
        "numpy_postings.search": lambda q: proto.search(list(dict.fromkeys(analyzer.terms(q)))),
    }
    result["latency"] = {name: latency(run, queries, rounds, budget) for name, run in timed.items()}
    if kind == "real":
        pairs = all_questions()
        result["latency"]["ours.search (6 languages)"] = latency(
            lambda item: index.search(item[0], lang=item[1], k=TOP), pairs, rounds, budget
        )
        result["queries_all_languages"] = len(pairs)
    result["rss_mb"] = round(status_kb("VmRSS") / 1024, 1)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("real", "synthetic", "uniform"))
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per method at most")
    args = parser.parse_args(argv)
    result = bench(
        args.kind, args.size, args.queries, args.rounds, traced=args.tracemalloc, budget=args.budget
    )
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
