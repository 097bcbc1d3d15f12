"""The search's scope model: built from the data in the repository, safe to read, and a figure
of the confidence that keeps questions next to the field from being answered."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.core.library import Library
from bot.errors import CorpusError
from bot.paths import default_intents_dir
from bot.search import scope_train
from bot.search.analysis import fold
from bot.search.scope import BOUND, MODEL_FILE, ScopeModel


def test_the_shipped_model_was_built_from_the_data_in_the_repository() -> None:
    """CI also retrains and compares (`guidebot scope-model check --retrain`, .ci/run)."""
    assert scope_train.check() == []


def test_the_model_file_is_plain_arrays_and_small() -> None:
    path = default_intents_dir() / MODEL_FILE
    assert path.stat().st_size <= 512 * 1024
    with np.load(path, allow_pickle=False) as data:  # raises if anything needs unpickling
        assert data["weights"].dtype == np.float16


def test_a_broken_model_file_is_a_named_content_error(tmp_path: Path) -> None:
    path = tmp_path / MODEL_FILE
    path.write_bytes(b"not a model")
    with pytest.raises(CorpusError, match=MODEL_FILE):
        ScopeModel.load(path)


def test_a_model_with_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / MODEL_FILE
    with np.load(default_intents_dir() / MODEL_FILE, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["feature_version"] = np.array(-1)
    np.savez(path, **arrays)
    with pytest.raises(CorpusError, match="scope-model build"):
        ScopeModel.load(path)


@pytest.mark.parametrize(
    ("inside", "outside"),
    [
        (
            "since the raid i cant sleep and i jump at every noise, what can i do",
            "whats a good laptop under 600 euros for video editing",
        ),
        (
            "mi cliente defensora sigue recibiendo amenazas, cómo trabajo el trauma así",
            "receta de arroz con pollo para 6 personas",
        ),
        (
            "как поддержать участника программы, который не может вернуться домой",
            "какая погода будет в москве на выходных",
        ),
    ],
)
def test_the_guides_field_scores_above_everyday_requests(
    library: Library, inside: str, outside: str
) -> None:
    model = library.index.scope
    assert model is not None
    assert model.log_odds(fold(inside)) > 0 > model.log_odds(fold(outside))


def test_log_odds_are_bounded_and_empty_messages_get_the_bias(library: Library) -> None:
    model = library.index.scope
    assert model is not None
    assert -BOUND <= model.log_odds(fold("asdf " * 500)) <= BOUND
    assert model.log_odds("") == max(-BOUND, min(BOUND, model.bias))


def test_without_a_scope_model_every_message_counts_as_in_scope(library: Library) -> None:
    index = library.index
    saved, index.scope = index.scope, None
    try:
        assert index.scope_of("weather in lima") == BOUND
    finally:
        index.scope = saved
