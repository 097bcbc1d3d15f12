"""Fit the search's confidence model (`bot.search.confidence`) on the development question sets.

    python -m bench.calibrate_search [FILE...]

Deterministic: a ridge-regularised logistic regression solved by Newton's method in numpy, on
the four figures of each question's first-ranked entry. A question counts as answered right when
one of its relevant entries is in the top three; an out-of-scope question (relevant: []) or a
miss counts as one that should not be answered. Prints the constants to paste into
`bot/search/confidence.py` and, for a few lines, how many out-of-scope questions would still be
answered and how many in-scope ones kept. Never run it on tests/blind/: those are measured, not
fitted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.core.boot import load_library
from bot.evaluate import load_questions

DEV = Path(__file__).resolve().parent.parent / "tests" / "dev"
RIDGE = 0.1


def dataset(files: Sequence[Path]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels, and whether each question is out of scope."""
    library = load_library()
    rows, labels, outside = [], [], []
    for path in files:
        for question in load_questions(path):
            ranking = library.index.rank(
                question.text, lang=question.lang, audience=question.audience, k=3
            )
            if not ranking.hits:
                continue
            rows.append(list(ranking.features))
            ids = [h.entry.base_id for h in ranking.hits]
            labels.append(float(bool(set(ids) & set(question.relevant))))
            outside.append(not question.relevant)
    return np.array(rows), np.array(labels), np.array(outside)


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Logistic regression by Newton's method with a small ridge (not on the intercept)."""
    design = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * RIDGE
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    return w


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = args.files or [
        *sorted(DEV.glob("questions*.yaml")),
        *sorted(DEV.glob("questions-r*/*.yaml")),
        DEV / "heldout.yaml",
    ]
    if any("blind" in str(f) for f in files):
        print("refusing to fit on a blind set", file=sys.stderr)
        return 2
    x, y, outside = dataset(files)
    w = fit(x, y)
    p = 1 / (1 + np.exp(-(np.hstack([np.ones((len(x), 1)), x]) @ w)))
    lines = {}
    for line in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        lines[line] = {
            "out_of_scope_answered": round(float((p[outside] >= line).mean()), 3),
            "right_answers_kept": round(float((p[y == 1] >= line).mean()), 3),
        }
    print(
        json.dumps(
            {
                "questions": len(y),
                "INTERCEPT": round(float(w[0]), 3),
                "WEIGHTS": [round(float(v), 3) for v in w[1:]],
                "lines": lines,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
