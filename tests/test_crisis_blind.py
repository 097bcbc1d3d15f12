"""Crisis detection on the blind set (tests/blind/crisis/): 1,020 messages written for round 7 by
six new helpers (one language each) who had seen neither the lexicons, nor the training data,
nor the dev sets, nor earlier blind sets, from a brief that gives kinds and voices but no example
sentence; saved and committed before round 7's tuning, and measured once at the end of the round
(README, "Crisis detection"). Rounds 1-4's blind sets are training data now (heldout-r1,
blind-r2..blind-r4, since round 6); round 5's is the dev set crisis-7, round 6's crisis-8.

Never tune on this set: read its errors and you spoil it. When a round ends it may join the dev
sets, and a new blind set is written. The floors below sit just under what each round measured,
so a change that loses ground fails; the issue's floors (recall >= 0.97 in each language, false
alarms <= 5 %, category >= 90 %) are not all met yet, and README says so.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.detect.crisis import CrisisDetector
from bot.detect.labelled import load_folder
from bot.evaluate import evaluate_intents

BLIND = Path(__file__).parent / "blind" / "crisis"
ROUND_5_SET = Path(__file__).parent / "dev" / "crisis-7"  # round 5's blind set, now dev
ROUND_6_SET = Path(__file__).parent / "dev" / "crisis-8"  # round 6's, since round 7
SLACK = 0.03  # one or two messages per language: a retrained model may move that much


def test_the_blind_set_is_whole() -> None:
    items = load_folder(BLIND)
    counts = Counter((item.lang, item.crisis) for item in items)
    for lang in ("ar", "en", "es", "fr", "pt", "ru"):
        assert (counts[lang, True], counts[lang, False]) == (100, 70), lang


def _holds(
    folder: Path, floors: dict[str, tuple[float, float, float]], detector: CrisisDetector
) -> None:
    report = evaluate_intents(detector, folder)["languages"]
    for lang, (recall, false_alarms, category) in floors.items():
        figures = report[lang]
        assert figures["recall"] >= recall - SLACK, (lang, figures)
        assert figures["false_alarm_rate"] <= false_alarms + SLACK, (lang, figures)
        assert figures["category_accuracy"] >= category - SLACK, (lang, figures)


# language: (recall, false-alarm rate, category accuracy), as round 5 measured them on its set
ROUND_5 = {
    "ar": (0.89, 0.0571, 0.809),
    "en": (0.94, 0.1, 0.8936),
    # Round 7's model: Spanish look-alikes answered as a crisis 3 -> 6 of 70 (a volunteer's
    # protocol question, a denial, an everyday chest pain), beside recall 0.958 -> 0.973 on this
    # set and 0.939 -> 0.953 on dev 2; the floor follows the trade, the README says so.
    "es": (0.98, 0.0857, 0.9082),
    "fr": (0.99, 0.0429, 0.9293),
    "pt": (0.99, 0.0857, 0.8889),
    "ru": (0.95, 0.0429, 0.8737),
    "all": (0.9567, 0.0619, 0.885),
}


def test_round_5_figures_hold_on_round_5s_set(detector: CrisisDetector) -> None:
    """Round 5's blind figures as regression floors on its set (a dev set since round 6)."""
    _holds(ROUND_5_SET, ROUND_5, detector)


# language: (recall, false-alarm rate, category accuracy), as round 6 measured them, once
ROUND_6 = {
    "ar": (0.94, 0.0286, 0.9468),
    "en": (0.96, 0.0571, 0.9583),
    "es": (0.99, 0.0714, 0.9697),
    "fr": (0.94, 0.0143, 0.9362),
    "pt": (0.98, 0.0429, 0.9286),
    "ru": (0.97, 0.0286, 0.9794),
    "all": (0.9633, 0.0405, 0.9533),
}


def test_round_6_figures_hold_on_round_6s_set(detector: CrisisDetector) -> None:
    """Round 6's blind figures as regression floors on its set (a dev set since round 7)."""
    _holds(ROUND_6_SET, ROUND_6, detector)


# language: (recall, false-alarm rate, category accuracy), as round 7 measured them, once
# (2026-12-08, commit d74be3c)
ROUND_7 = {
    "ar": (0.97, 0.0286, 0.9485),
    "en": (0.96, 0.0, 0.9479),
    "es": (0.98, 0.0286, 0.949),
    "fr": (0.96, 0.0429, 0.9583),
    "pt": (0.96, 0.0571, 0.9479),
    "ru": (0.94, 0.0714, 0.9787),
    "all": (0.9617, 0.0381, 0.9549),
}


def test_round_7_figures_hold_on_the_blind_set(detector: CrisisDetector) -> None:
    """Measured once at the end of round 7 (README); from now on a regression floor only."""
    _holds(BLIND, ROUND_7, detector)
