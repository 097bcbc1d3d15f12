"""Whether a message is about what the guide covers at all: a small learned model.

BM25 finds the nearest passage to anything; "how do I apply for asylum in Germany step by step"
shares "asylum" with a passage on the stress of waiting for a decision, and the words alone
cannot tell a question about the guide's field from one next to it. This model can: a logistic
regression over the same hashed character and word n-grams as the crisis model
(`bot.detect.features`), trained offline (`guidebot scope-model build`, bot/search/scope_train.py)
on how people ask for the guide's entries (corpus/asked/) against messages the guide does not
cover (tests/train/scope/). Its log-odds are one more figure of the search's confidence
(`bot.search.confidence`), so a question has to be both near a passage and about the field.

The file is a plain `.npz` read with `allow_pickle=False`: one float16 weight per hash bucket and
a bias. Without it (a test corpus, the synthetic bench) every message counts as in scope.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bot.detect import features as feats
from bot.errors import CorpusError, Problem

MODEL_FILE = "scope-model.npz"
BOUND = 4.0  # log-odds beyond this say nothing more: a confidence figure stays in [-4, 4]


class ScopeModel:
    """One weight per feature bucket and a bias: the log-odds that a message is in scope."""

    def __init__(self, weights: npt.NDArray[np.float32], bias: float) -> None:
        self.weights = weights
        self.bias = bias

    @classmethod
    def load(cls, path: Path) -> ScopeModel:
        """Read and validate the model file; a problem names the file, never a traceback."""
        shown = f"{path.parent.name}/{path.name}"
        try:
            with np.load(path, allow_pickle=False) as data:
                weights, bias = data["weights"], data["bias"]
                version = int(data["feature_version"])
        except (OSError, ValueError, KeyError) as exc:
            raise CorpusError(
                [Problem(shown, 0, "", f"cannot read the scope model: {exc}")]
            ) from exc
        if version != feats.VERSION or weights.shape != (feats.SIZE,) or bias.shape != ():
            raise CorpusError(
                [
                    Problem(
                        shown, 0, "", "built for other features: run `guidebot scope-model build`"
                    )
                ]
            )
        return cls(weights.astype(np.float32), float(bias))

    def log_odds(self, folded: str) -> float:
        """How much more likely in scope than not (natural log), bounded by BOUND; a message
        with no features (emoji, punctuation) gets the bias alone."""
        buckets = feats.folded_features(folded).buckets
        z = self.bias
        if len(buckets):
            z += float(self.weights[buckets].sum()) / math.sqrt(len(buckets))
        return max(-BOUND, min(BOUND, z))
