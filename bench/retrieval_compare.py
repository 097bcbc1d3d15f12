"""Retrieval quality side by side: our search against plain bm25s with no tuning.

    python -m bench.retrieval_compare FILE... [--json]

On the same question files (e.g. the blind set in tests/blind/questions/), recall@3 per language
and audience for:
- `ours`: what a user is shown (`bot.evaluate.evaluate_retrieval`: the bot's search path, the
  confidence line, the English fallback through the glossary, twins removed);
- `bm25s`: bm25s (Lucene BM25, k1=1.5, b=0.75, its defaults) over each language's entries
  (title and text), tokenised by bm25s with the language's Snowball stemmer and no stopword
  list of ours — no field weights, synonyms, spelling or confidence line: it always answers.
Out-of-scope questions are reported as the share that got an answer (bm25s: all that share a
word with the corpus).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import snowballstemmer

from bot.core.boot import load_library
from bot.evaluate import evaluate_retrieval, load_questions
from bot.search.analysis import STEMMERS, fold

TOP = 3


def bm25s_figures(library: Any, questions: list[Any]) -> dict[str, Any]:
    import bm25s  # noqa: PLC0415  (benchmark-only dependency)

    by_lang: dict[str, list[Any]] = defaultdict(list)
    for entry in library.corpus.entries:
        by_lang[entry.language].append(entry)
    models = {}
    for lang, entries in by_lang.items():
        stemmer = snowballstemmer.stemmer(STEMMERS[lang])
        texts = [fold(f"{e.title}\n{e.search_text}") for e in entries]
        model = bm25s.BM25()
        model.index(
            bm25s.tokenize(texts, stemmer=stemmer.stemWords, show_progress=False),
            show_progress=False,
        )
        models[lang] = (model, entries, stemmer)
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    outside = [0, 0]
    for q in questions:
        model, entries, stemmer = models[q.lang]
        tokens = bm25s.tokenize([fold(q.text)], stemmer=stemmer.stemWords, show_progress=False)
        found, scores = model.retrieve(tokens, k=min(TOP, len(entries)), show_progress=False)
        ids = [entries[int(i)].base_id for i, s in zip(found[0], scores[0], strict=True) if s > 0]
        if not q.relevant:
            outside[0] += bool(ids)
            outside[1] += 1
            continue
        right = any(i in q.relevant for i in ids)
        for key in ("overall", q.lang, f"{q.lang}/{q.audience or 'any'}"):
            hits[key][0] += right
            hits[key][1] += 1
    figures = {k: round(a / b, 4) for k, (a, b) in sorted(hits.items())}
    figures["out_of_scope_answered"] = round(outside[0] / outside[1], 4) if outside[1] else 0.0
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    library = load_library()
    questions = [q for path in args.files for q in load_questions(path)]
    report = evaluate_retrieval(library, questions)
    ours: dict[str, Any] = {"overall": report["overall"]["recall@3"]}
    ours.update({k: v["recall@3"] for k, v in report["languages"].items()})
    ours.update({k: v["recall@3"] for k, v in report["language_audience"].items()})
    outside = report["out_of_scope"]
    ours["out_of_scope_answered"] = (
        round(len(report["out_of_scope_answered"]) / outside, 4) if outside else 0.0
    )
    theirs = bm25s_figures(library, questions)
    rows = {
        k: {"ours": ours.get(k), "bm25s": theirs.get(k)} for k in dict.fromkeys([*ours, *theirs])
    }
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        print()
    else:
        for key, row in rows.items():
            print(f"{key:28} ours {row['ours']}\tbm25s {row['bm25s']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
