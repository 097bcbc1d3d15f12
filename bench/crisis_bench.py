"""Crisis detection's cost per message, both layers together and each alone, and the model's size.

Two kinds of traffic: the dev questions (what most messages look like) and the crisis dev sets
(short fragments to long messages with a crisis buried in them). Each call is timed alone; p50
and p99 in milliseconds: at first sight of each text (a fresh detector: the rules' cache of word
candidates cold), then in the steady state after a pass over every text.
Run: python -m bench.crisis_bench
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.core import _questions
from bot.detect.crisis import CrisisDetector
from bot.detect.labelled import load_folder, load_labelled
from bot.detect.model import MODEL_FILE, CrisisModel
from bot.paths import default_intents_dir
from bot.utterance import Utterance

DEV = Path(__file__).resolve().parent.parent / "tests" / "dev"


def _time(
    run: Callable[[str], Any], texts: list[str], rounds: int = 3, *, warm: bool = True
) -> dict[str, float]:
    for text in texts if warm else texts[:5]:
        run(text)
    gc.collect()
    wall = []
    for _ in range(rounds):
        for text in texts:
            started = time.perf_counter()
            run(text)
            wall.append(time.perf_counter() - started)
    values = np.array(wall) * 1000
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 3),
        "p99_ms": round(float(np.percentile(values, 99)), 3),
        "max_ms": round(float(values.max()), 3),
        "calls": len(wall),
    }


def _model_memory(path: Path) -> int:
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    model = CrisisModel.load(path)
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    del model
    return sum(stat.size_diff for stat in after.compare_to(before, "filename"))


def run(detector: CrisisDetector | None = None) -> dict[str, Any]:
    folder = default_intents_dir()
    detector = detector or CrisisDetector.load(folder)
    model = detector.model
    assert model is not None, "no crisis model in the intents folder"
    questions = [text for text, _ in _questions()]
    crisis = [i.text for i in load_labelled(DEV / "crisis.yaml")]
    crisis += [i.text for name in ("crisis-2", "crisis-3") for i in load_folder(DEV / name)]
    result: dict[str, Any] = {
        "model_file_bytes": (folder / MODEL_FILE).stat().st_size,
        "model_memory_bytes": _model_memory(folder / MODEL_FILE),
        "model_arrays_bytes": model.nbytes,
    }
    for name, texts in (("questions", questions), ("crisis_sets", crisis)):
        # First sight of every text (the rules' word caches cold for its rare words), then the
        # steady state, each layer alone and both.
        first = _time(CrisisDetector.load(folder).assess, texts, rounds=1, warm=False)
        result[name] = {
            "messages": len(texts),
            "mean_chars": round(sum(map(len, texts)) / len(texts)),
            "both_layers_first_sight": first,
            "both_layers": _time(detector.assess, texts),
            # Each layer alone, the message's one fold included (bot/utterance.py).
            "rules": _time(lambda text: detector.rules(Utterance(text)), texts),
            "model": _time(lambda text: model.verdict(Utterance(text)), texts),
        }
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
