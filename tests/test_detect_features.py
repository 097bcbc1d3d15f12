"""The crisis model's features: stable across processes and machines, and robust to phone typing."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from bot.detect.features import SIZE, features, normalize

GOLDEN = "Je ne veux plus vivre"


def test_normalization_folds_case_accents_repeats_and_marks_sentence_ends() -> None:
    assert normalize("NOOOO!!! Évidemment… ça va?") == "noo \ue000 evidemment \ue000 ca va"
    assert normalize("sui\u00adcidal") == "suicidal"  # a soft hyphen from a phone keyboard
    assert normalize("إنتحار") == normalize("انتحار")  # hamza forms unified


def test_buckets_do_not_depend_on_the_process_hash_seed() -> None:
    """Python's own hash is salted per process; ours must not be, or the shipped weights would
    point at other buckets on the next start."""
    code = (
        "from bot.detect.features import features;"
        f"print(features({GOLDEN!r}).buckets[:12].tolist())"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
    assert runs.pop().strip() == str(features(GOLDEN).buckets[:12].tolist())


def test_buckets_are_in_range_and_cover_characters_words_and_pairs() -> None:
    f = features("they took him an hour ago")
    assert f.buckets.min() >= 0 and f.buckets.max() < SIZE
    letters = len(" they took him an hour ago ")
    char_ngrams = sum(letters - n + 1 for n in (2, 3, 4, 5))
    assert len(f.buckets) == char_ngrams + 6 + 5  # six words, five word pairs
    assert f.count == 1


def test_a_typo_keeps_most_of_the_features() -> None:
    a = set(features("i want to kill myself").buckets.tolist())
    b = set(features("i wnat to kil myslef").buckets.tolist())
    assert len(a & b) / len(a) > 0.3


def test_sentences_are_numbered_for_window_scoring() -> None:
    f = features("First sentence. Second one! Third?")
    assert f.count == 3
    assert np.all(np.diff(f.pieces[f.pieces >= 0]) >= -3)  # families restart, pieces are 0..2
    assert set(f.pieces.tolist()) == {0, 1, 2}


def test_empty_and_punctuation_only_texts_have_no_features() -> None:
    for text in ("", "   ", "?!...", "\u200b\u200b"):
        assert len(features(text).buckets) == 0
