"""The learned crisis classifier at run time: weights from a data file, scored with numpy.

A small neural network over the hashed features of `bot.detect.features`: one hidden layer of
HIDDEN units (ReLU) and a softmax over the classes, trained offline by `guidebot crisis-model
build` (bot/detect/train.py). On the dev set it caught 0.93 of crisis messages at 5 % false
alarms where logistic regression on the same features caught 0.85 (bot/detect/README.md): the
hidden layer can learn that "if", "in 2019" or "not" change what "arrested" means. Its first
layer is a table of BUCKETS x HIDDEN weights, so a message costs one gather and two tiny products.
The file is a plain `.npz` read with `allow_pickle=False`: arrays and strings only, nothing that
runs code. A long message is scored whole and by neighbouring sentences, and the most alarming
window wins, so one crisis sentence among ten ordinary ones is not averaged away.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.detect import features as feats
from bot.detect.labelled import LANES
from bot.errors import CorpusError, Problem
from bot.utterance import Utterance

CLASSES = ("none", *LANES)  # the order of the model's outputs: changing it needs a rebuild
MODEL_FILE = "crisis-model.npz"
LANE_SHARE = 0.2  # a second lane is named when its share of the crisis probability is this high

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Verdict:
    """The model's view of one message: how likely a crisis, and of which lanes."""

    crisis: float  # 1 - P(none) in the most alarming window
    lanes: tuple[str, ...]  # crisis lanes by probability, the likeliest first
    sure: bool
    unsure: bool


CALM = Verdict(0.0, (), sure=False, unsure=False)


class CrisisModel:
    """The two layers' weights and biases, and the two thresholds chosen on the dev set."""

    def __init__(
        self,
        embed: npt.NDArray[np.floating[Any]],
        hidden_bias: Matrix,
        out: Matrix,
        out_bias: Matrix,
        *,
        sure: float,
        unsure: float,
    ) -> None:
        # Kept as float16, as the file stores it (4 MB; float32 doubled that): `np.take` of the
        # message's rows and a sum widened to float32 cost ~4 µs more a message than gathering
        # float32 rows, where widening the gathered rows first cost ~17 µs more.
        self.embed = embed.astype(np.float16)  # buckets x hidden
        self.hidden_bias = hidden_bias
        self.out = out  # hidden x classes
        self.out_bias = out_bias
        self.sure = sure
        self.unsure = unsure

    @classmethod
    def load(cls, path: Path) -> CrisisModel:
        """Read and validate the model file; a problem names the file, never a traceback."""
        shown = f"{path.parent.name}/{path.name}"
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
        except (OSError, ValueError, KeyError) as exc:
            raise CorpusError(
                [Problem(shown, 0, "", f"cannot read the crisis model: {exc}")]
            ) from exc
        problems = _validate(arrays)
        if problems:
            raise CorpusError([Problem(shown, 0, "", p) for p in problems])
        thresholds = arrays["thresholds"]
        return cls(
            arrays["embed"],
            arrays["hidden_bias"].astype(np.float32),
            arrays["out"].astype(np.float32),
            arrays["out_bias"].astype(np.float32),
            sure=float(thresholds[0]),
            unsure=float(thresholds[1]),
        )

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays (the file is about half: float16, compressed)."""
        parts = (self.embed, self.hidden_bias, self.out, self.out_bias)
        return sum(int(a.nbytes) for a in parts)

    def probabilities(self, text: str) -> Matrix:
        """Class probabilities of every window of `text` (rows: whole message first)."""
        return self.scores(feats.features(text))

    def scores(self, f: feats.Features) -> Matrix:
        """Class probabilities of every window of a message's features."""
        if not len(f.buckets):
            return np.zeros((0, len(CLASSES)), dtype=np.float32)
        rows = np.take(self.embed, f.buckets, axis=0)
        if f.count == 1:
            sums = np.add.reduce(rows, axis=0, dtype=np.float32, keepdims=True)
            sizes = np.array([len(f.buckets)], dtype=np.float32)
        else:
            order = np.argsort(f.pieces, kind="stable")
            counts = np.bincount(f.pieces, minlength=f.count)
            starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
            pieces = np.add.reduceat(rows[order], starts, axis=0, dtype=np.float32)
            counts = counts.astype(np.float32)
            if f.count == 2:
                pair_sums, pair_sizes = pieces, counts
            else:
                pair_sums = pieces[:-1] + pieces[1:]
                pair_sizes = counts[:-1] + counts[1:]
            sums = np.vstack([pieces.sum(axis=0, keepdims=True), pair_sums])
            sizes = np.concatenate([[counts.sum()], pair_sizes])
        hidden = sums / np.sqrt(np.maximum(sizes, 1.0))[:, None] + self.hidden_bias
        logits = np.maximum(hidden, 0.0) @ self.out + self.out_bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probabilities: Matrix = exp / exp.sum(axis=1, keepdims=True)
        return probabilities

    def verdict(self, message: Utterance) -> Verdict:
        """Crisis probability and lanes from the most alarming window of the message."""
        probs = self.scores(feats.folded_features(message.folded))
        if not len(probs):
            return CALM
        window = probs[int(np.argmin(probs[:, 0]))]
        crisis = float(1.0 - window[0])
        if crisis < self.unsure:
            return Verdict(crisis, (), sure=False, unsure=False)
        order = np.argsort(-window[1:], kind="stable") + 1
        lanes = tuple(
            CLASSES[i] for n, i in enumerate(order) if n == 0 or window[i] >= LANE_SHARE * crisis
        )
        return Verdict(crisis, lanes, sure=crisis >= self.sure, unsure=crisis < self.sure)


def _validate(arrays: dict[str, npt.NDArray[Any]]) -> list[str]:
    needed = {"embed", "hidden_bias", "out", "out_bias", "classes", "thresholds"}
    needed |= {"feature_version", "data_hash"}
    missing = needed - set(arrays)
    if missing:
        return [f"the crisis model lacks {', '.join(sorted(missing))}"]
    problems = []
    if tuple(str(c) for c in arrays["classes"]) != CLASSES:
        problems.append(f"the crisis model's classes are not {', '.join(CLASSES)}")
    embed, out = arrays["embed"], arrays["out"]
    if (
        embed.ndim != 2
        or embed.shape[0] != feats.SIZE
        or out.shape != (embed.shape[1], len(CLASSES))
    ):
        problems.append(
            f"the crisis model's layers are {embed.shape} and {out.shape}, not "
            f"({feats.SIZE}, H) and (H, {len(CLASSES)}): rebuild it"
        )
    if int(arrays["feature_version"]) != feats.VERSION:
        problems.append(
            "the crisis model was built with other features: rebuild it with "
            "`guidebot crisis-model build`"
        )
    sure, unsure = (float(x) for x in arrays["thresholds"])
    if not 0.0 < unsure <= sure < 1.0:
        problems.append(f"the crisis model's thresholds are out of order: {unsure}, {sure}")
    return problems
