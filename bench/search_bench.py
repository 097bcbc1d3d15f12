"""Index build and query latency for one corpus, in a process of its own (clean memory figures).

    python -m bench.search_bench real|synthetic|uniform [--size N] [--queries 200] [--rounds 3]

Prints one JSON object. Methods, all over the same English documents (title x3, topics x2,
section, text: the token lists `bot.search.index` builds) and the same query terms:
- `ours.rank`: `SearchIndex.rank`, end to end (analysis, spelling, candidates, scores, the
  confidence, top 5) — what the bot runs per question;
- `ours.score`: `LanguageIndex.score`, i.e. postings pick the candidates and their BM25 scores
  are sums of impacts precomputed at build (checked equal to rank-bm25's `get_scores`, with
  Lucene's IDF, on every checked query);
- `rank_bm25.get_scores` (the baseline): a plain `BM25Okapi(k1=1.2, b=0.75)` scoring every
  document, then the top 5;
- `bm25s`: `bm25s.BM25(method="lucene", k1=1.2, b=0.75).get_scores`, then the top 5.
Retrieval *quality* side by side with bm25s is `bench/retrieval_compare.py`.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.content import Entry, load_corpus
from bot.evaluate import load_questions
from bot.paths import default_corpus_dir
from bot.search.analysis import analyzers, words
from bot.search.index import SearchIndex
from bot.search.language_index import LanguageIndex, LuceneBM25
from bot.search.language_index import documents as language_documents

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
    asked = corpus.asked if kind == "real" else None
    index, methods["ours"] = measured(
        lambda: SearchIndex(entries, language_analyzers, asked), traced
    )
    english: LanguageIndex = index._indexes["en"]
    # The other methods index the same bags of terms, analysed again here (the index keeps
    # only its arrays); the stem caches are warm by now, so this costs less than ours did.
    documents = language_documents(english.entries, english.analyzer, (asked or {}).get("en"))
    result["tokens_en"] = sum(len(d) for d in documents)
    plain, methods["rank_bm25"] = measured(lambda: BM25Okapi(documents, k1=K1, b=B), traced)
    reference = LuceneBM25(documents, k1=K1, b=B)  # the model ours computes in numpy

    def build_bm25s() -> Any:
        model = bm25s.BM25(method="lucene", k1=K1, b=B)
        model.index(documents, show_progress=False)
        return model

    fast, methods["bm25s"] = measured(build_bm25s, traced)
    for name in ("rank_bm25", "bm25s"):
        methods[name]["note"] = "built from the analysed documents (ours includes the analysis)"

    queries = english_questions(query_count)
    concepts_of = {q: english.concepts(words(q, "en")) for q in queries}
    queries = [q for q in queries if concepts_of[q]]
    terms_of = {q: list(dict.fromkeys(t for g in concepts_of[q] for t in g)) for q in queries}
    result["queries"] = len(queries)
    result["query_terms_mean"] = round(float(np.mean([len(terms_of[q]) for q in queries])), 2)
    result["candidates_mean"] = round(
        float(np.mean([len(english.score(concepts_of[q]).docs) for q in queries])), 1
    )

    # The scores agree before they are timed: ours (summed impacts) with rank-bm25's own
    # get_scores (with Lucene's IDF), and bm25s (Lucene) within rounding.
    checks: dict[str, Any] = {"ours_equals_rank_bm25": True, "bm25s_max_rel_diff": 0.0}
    checked = queries[:: max(1, len(queries) // (40 if size < 50_000 else 4))]
    result["queries_checked"] = len(checked)
    for query in checked:
        known = [t for t in terms_of[query] if t in english.terms]
        if not known:
            continue
        full = np.asarray(reference.get_scores(known))
        scored = english.score(concepts_of[query])
        if not np.allclose(scored.scores, full[scored.docs]):
            checks["ours_equals_rank_bm25"] = False
        lucene = np.asarray(fast.get_scores(known), dtype=np.float64) * (K1 + 1)
        nonzero = full > 0
        diff = np.abs(lucene[nonzero] - full[nonzero]) / full[nonzero]
        checks["bm25s_max_rel_diff"] = max(checks["bm25s_max_rel_diff"], float(diff.max()))
    checks["bm25s_max_rel_diff"] = float(f"{checks['bm25s_max_rel_diff']:.2g}")
    result["checks"] = checks

    def before(query: str) -> Any:
        return top(np.asarray(plain.get_scores(terms_of[query])))

    def with_bm25s(query: str) -> Any:
        return top(fast.get_scores(terms_of[query]))

    timed = {
        "ours.rank (analysis, spelling, scores, confidence, top 5)": lambda q: index.rank(
            q, lang="en", k=TOP
        ),
        "ours.score": lambda q: english.score(concepts_of[q]),
        "rank_bm25.get_scores (all docs)": before,
        "bm25s.get_scores": with_bm25s,
    }
    result["latency"] = {name: latency(run, queries, rounds, budget) for name, run in timed.items()}
    if kind == "real":
        pairs = all_questions()
        result["latency"]["ours.rank (6 languages)"] = latency(
            lambda item: index.rank(item[0], lang=item[1], k=TOP), pairs, rounds, budget
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
