"""Build the search's scope model: `guidebot scope-model build` (offline, the `train` extra).

In scope: how people ask for the guide's entries, in six languages (corpus/asked/). Out of
scope: messages the guide does not cover (tests/train/scope/<lang>.yaml, written by helpers from
a brief on everyday requests, questions next to the field, users' off-topic errands and
chit-chat) and the off-topic kinds of the crisis training data (`OUT_KINDS`). A logistic
regression over the crisis model's hashed features; deterministic (lbfgs from zero, the data in
a fixed order). The file records a digest of what went in; `guidebot scope-model check` fails
when the shipped weights were not built from the data in the repository, and `--retrain`
rebuilds them and compares on the dev questions. The dev and blind question sets are never read
here: the confidence line is fitted on the dev questions afterwards (bench/calibrate_search.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.content.yamlfile import load
from bot.detect import features as feats
from bot.detect.train import feature_matrix
from bot.errors import CorpusError, Problem
from bot.search.analysis import fold
from bot.search.scope import MODEL_FILE, ScopeModel
from bot.utterance import MAX_CHARS

ROOT = Path(__file__).resolve().parents[2]
ASKED_DIR = ROOT / "corpus" / "asked"
OUT_DIR = ROOT / "tests" / "train" / "scope"
CRISIS_DIR = ROOT / "tests" / "train" / "crisis"
MODEL_PATH = ROOT / "intents" / MODEL_FILE
OUT_KINDS = frozenset({"offtopic", "out-of-scope", "chitchat"})
SETTINGS: dict[str, Any] = {"C": 1.0, "class_weight": "balanced", "max_iter": 3000}
RETRAIN_TOLERANCE = 0.05  # log-odds; float16 storage moves them a little


@dataclass(frozen=True)
class Built:
    model: ScopeModel
    digest: str
    report: dict[str, Any]


def _files() -> list[Path]:
    return [
        *sorted(ASKED_DIR.glob("*.yaml")),
        *sorted(OUT_DIR.glob("*.yaml")),
        *sorted(CRISIS_DIR.glob("*/*.yaml")),
    ]


def digest() -> str:
    """What the model was built from: every file read, the feature version and the settings."""
    h = hashlib.sha256()
    h.update(f"features={feats.VERSION};{json.dumps(SETTINGS, sort_keys=True)}".encode())
    for path in _files():
        h.update(f"\0{path.relative_to(ROOT).as_posix()}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _read(path: Path) -> Any:
    return load(path, str(path.relative_to(ROOT)))


def examples() -> tuple[list[str], list[str]]:
    """The in-scope and out-of-scope messages, in a fixed order."""
    inside: list[str] = []
    for path in sorted(ASKED_DIR.glob("*.yaml")):
        for item in _read(path).get("asked") or []:
            inside += [str(m) for m in item.get("messages") or []]
    outside: list[str] = []
    for path in sorted(OUT_DIR.glob("*.yaml")):
        document = _read(path)
        if not isinstance(document, list) or not all(isinstance(m, str) for m in document):
            shown = str(path.relative_to(ROOT))
            raise CorpusError([Problem(shown, 1, "", "expected a list of messages")])
        outside += document
    for path in sorted(CRISIS_DIR.glob("*/*.yaml")):
        for item in _read(path) or []:
            if not item.get("crisis") and item.get("kind") in OUT_KINDS:
                outside.append(str(item["text"]))
    return inside, outside


def build() -> Built:
    inside, outside = examples()
    labels = np.array([1] * len(inside) + [0] * len(outside))
    fit = LogisticRegression(
        C=SETTINGS["C"], class_weight=SETTINGS["class_weight"], max_iter=SETTINGS["max_iter"]
    ).fit(feature_matrix(inside + outside), labels)
    weights = fit.coef_[0].astype(np.float16).astype(np.float32)
    model = ScopeModel(weights, float(fit.intercept_[0]))
    report = {"in_scope": len(inside), "out_of_scope": len(outside)}
    return Built(model, digest(), report)


def save(built: Built, path: Path = MODEL_PATH) -> None:
    np.savez_compressed(
        path,
        weights=built.model.weights.astype(np.float16),
        bias=np.array(built.model.bias, dtype=np.float64),
        feature_version=np.array(feats.VERSION),
        data_hash=np.array(built.digest),
    )


def check(path: Path = MODEL_PATH, *, retrain: bool = False) -> list[str]:
    """Why the shipped model does not match the data, or nothing."""
    shipped = ScopeModel.load(path)
    with np.load(path, allow_pickle=False) as data:
        shipped_digest = str(data["data_hash"])
    if shipped_digest != digest():
        return [
            f"{path.name} was not built from corpus/asked/ and tests/train/ as they are (or the "
            "features or settings changed): run `guidebot scope-model build`"
        ]
    if not retrain:
        return []
    built = build()
    inside, outside = examples()
    sample = (inside + outside)[::7]
    drift = max(
        abs(shipped.log_odds(_folded(t)) - built.model.log_odds(_folded(t))) for t in sample
    )
    if drift > RETRAIN_TOLERANCE:
        return [f"retrained, the scope model's log-odds move by up to {drift:.3f}"]
    return []


def _folded(text: str) -> str:
    return fold(text[:MAX_CHARS])
