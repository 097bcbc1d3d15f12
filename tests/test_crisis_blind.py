"""Crisis detection on the blind set (tests/blind/crisis/): 1,020 messages written for round 1 by
helpers who had seen neither the lexicons, nor the training data, nor the dev sets; saved before
any tuning and measured once, with the shipped model, on 2026-12-07 (README, "Crisis detection").

Never tune on this set: read its errors and you spoil it. When a round ends it may join the dev
sets, and a new blind set is written. The floors below sit just under what round 1 measured, so a
change that loses ground fails; the issue's floors (recall >= 0.97 in each language, false alarms
<= 5 %, category >= 90 %) are not met yet, and README says so.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.crisis import CrisisDetector
from bot.detect.labelled import load_folder
from bot.evaluate import evaluate_intents

BLIND = Path(__file__).parent / "blind" / "crisis"
# language: (recall measured, false-alarm rate measured, category accuracy measured) in round 1
ROUND_1 = {
    "en": (0.95, 0.0571, 0.9053),
    "es": (0.94, 0.0857, 0.9362),
    "fr": (0.90, 0.0571, 0.8889),
    "pt": (0.96, 0.0857, 0.9167),
    "ru": (0.88, 0.0571, 0.9545),
    "ar": (0.77, 0.0286, 0.8442),
    "all": (0.90, 0.0619, 0.9093),
}
SLACK = 0.03  # one or two messages per language: a retrained model may move that much


def test_the_blind_set_is_whole() -> None:
    items = load_folder(BLIND)
    counts = Counter((item.lang, item.crisis) for item in items)
    for lang in ("ar", "en", "es", "fr", "pt", "ru"):
        assert (counts[lang, True], counts[lang, False]) == (100, 70), lang


def test_round_1_figures_hold_on_the_blind_set(detector: CrisisDetector) -> None:
    report = evaluate_intents(detector, BLIND)["languages"]
    for lang, (recall, false_alarms, category) in ROUND_1.items():
        figures = report[lang]
        assert figures["recall"] >= recall - SLACK, (lang, figures)
        assert figures["false_alarm_rate"] <= false_alarms + SLACK, (lang, figures)
        assert figures["category_accuracy"] >= category - SLACK, (lang, figures)
