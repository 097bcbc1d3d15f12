"""The learned crisis layer: the shipped weights match the training data, the file is safe to
read, and the model scores long messages by their most alarming part."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.detect import train
from bot.detect.crisis import CATEGORIES, CrisisDetector
from bot.detect.labelled import LANES
from bot.detect.model import CLASSES, MODEL_FILE, CrisisModel
from bot.errors import CorpusError
from bot.paths import default_intents_dir
from bot.utterance import Utterance


def test_the_shipped_model_was_built_from_the_training_data_in_the_repository() -> None:
    """CI also retrains and compares (`guidebot crisis-model check --retrain`, .ci/run)."""
    assert train.check() == []


def test_the_model_file_is_plain_arrays_and_small() -> None:
    path = default_intents_dir() / MODEL_FILE
    assert path.stat().st_size <= 5 * 1024 * 1024
    with np.load(path, allow_pickle=False) as data:  # raises if anything needs unpickling
        assert {str(c) for c in data["classes"]} == set(CLASSES)


def test_a_broken_model_file_is_a_named_content_error(tmp_path: Path) -> None:
    folder = tmp_path / "intents"
    shutil.copytree(default_intents_dir(), folder)
    (folder / MODEL_FILE).write_bytes(b"not a model")
    with pytest.raises(CorpusError) as caught:
        CrisisDetector.load(folder)
    assert MODEL_FILE in str(caught.value)


def test_a_model_with_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / MODEL_FILE
    with np.load(default_intents_dir() / MODEL_FILE, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["feature_version"] = np.array(-1)
    np.savez(path, **arrays)
    with pytest.raises(CorpusError, match="rebuild"):
        CrisisModel.load(path)


def test_one_crisis_sentence_in_a_long_message_is_not_averaged_away(
    detector: CrisisDetector,
) -> None:
    assert detector.model is not None
    crisis = "I swallowed the whole box of my pills twenty minutes ago."
    ordinary = (
        "The workshop on budgets went fine and the donors liked the report. "
        "Tomorrow we plan the training calendar for the spring and the new volunteers. "
        "The office cat is still sleeping on the printer. "
    )
    alone = detector.model.verdict(Utterance(crisis)).crisis
    buried = detector.model.verdict(Utterance(ordinary + crisis + " " + ordinary)).crisis
    assert buried >= alone * 0.8, (alone, buried)
    assert detector.assess(ordinary + crisis + " " + ordinary).crisis


def test_noisy_copies_are_deterministic() -> None:
    assert train.noisy("I want to disappear forever") == train.noisy("I want to disappear forever")
    assert train.noisy("I want to disappear forever") != "i want to disappear forever"


def test_the_rules_and_the_model_know_the_same_lanes() -> None:
    assert set(CATEGORIES) == set(LANES) and ("none", *LANES) == CLASSES
