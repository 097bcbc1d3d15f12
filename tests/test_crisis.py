"""Crisis detection in English: the categories, and the look-alikes that must not take over."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dialogue import Assistant
from bot.evaluate import evaluate_intents


@pytest.mark.parametrize(
    ("message", "category"),
    [
        ("I don't want to live anymore", "suicide"),
        ("i want to die", "suicide"),
        ("I'm not suicidal but I took all my pills", "suicide"),
        ("thinking of killing myself tonight", "suicide"),
        ("they are at my door", "danger"),
        ("someone is following me right now", "danger"),
        ("the police arrested my colleague an hour ago", "detention"),
        ("they raped me", "sexual_violence"),
        ("they seized my phone at the checkpoint", "digital"),
        ("I can't breathe and have chest pain", "medical"),
        ("i wnat to die", "suicide"),  # a typo
        ("sui\u00adcidal", "suicide"),  # a soft hyphen from a phone keyboard
    ],
)
def test_crisis_messages_are_caught(assistant: Assistant, message: str, category: str) -> None:
    result = assistant.detector.assess(message)
    assert result.tier == "crisis", (message, result)
    assert result.category == category


@pytest.mark.parametrize(
    "message",
    [
        "this deadline is killing me",
        "I'm not suicidal, just tired",
        "I was arrested in 2015 and still have nightmares",
        "how do I assess suicide risk in a client?",
        "I'm dying to see my kids again",
        "dead tired after the training",
        "checklist before the defender arrives",
        "can't sleep since the raid, what can I do tonight",
        "who painted the mona lisa",  # one typo away from "fainted"
        "do I ask every defender about suicidal thoughts",
    ],
)
def test_look_alikes_do_not_take_over(assistant: Assistant, message: str) -> None:
    assert assistant.detector.assess(message).tier != "crisis", message


def test_downgraded_messages_stay_sensitive(assistant: Assistant) -> None:
    assert assistant.detector.assess("I'm not suicidal, just tired").tier == "sensitive"
    assert assistant.detector.assess("how do I assess suicide risk in a client?").tier == (
        "sensitive"
    )


def test_signals_are_pattern_ids_never_text(assistant: Assistant) -> None:
    result = assistant.detector.assess("I want to die")
    assert result.signals and all(s.count("/") == 3 for s in result.signals)
    assert not any("die" in s for s in result.signals)


def test_the_labelled_dev_set_meets_the_floors_in_every_language(assistant: Assistant) -> None:
    """tests/dev/crisis.yaml: at least 150 messages in six languages; per language, recall of
    crisis messages >= 0.98, false alarms on look-alikes <= 5%, right category >= 90%."""
    path = Path(__file__).parent / "dev" / "crisis.yaml"
    report = evaluate_intents(assistant.detector, path)["languages"]
    assert set(report) >= {"en", "es", "fr", "pt", "ru", "ar"}
    assert sum(lang["crisis"] + lang["calm"] for lang in report.values()) >= 150
    for lang, figures in report.items():
        assert figures["recall"] >= 0.98, (lang, figures)
        assert figures["false_alarm_rate"] <= 0.05, (lang, figures)
        assert figures["category_accuracy"] >= 0.90, (lang, figures)


@pytest.mark.parametrize(
    "message",
    [
        "que puedo hacer para dormir mejor",  # Portuguese "hacker" is one edit from "hacer"
        "im the coordinator but guest treats me like her therapist",  # "threats"
        "talking to a therapist, will it be used against me?",  # "stalking"
    ],
)
def test_everyday_words_near_a_sensitive_word_add_no_footer(
    assistant: Assistant, message: str
) -> None:
    assert assistant.detector.assess(message).tier == "none", message


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        ("hola", "greeting"),
        ("gracias!", "thanks"),
        ("quien eres?", "who_are_you"),
        ("merci beaucoup", "thanks"),
        ("oi", "greeting"),
        ("спасибо", "thanks"),
        ("مرحبا", "greeting"),
    ],
)
def test_short_messages_are_recognised_in_every_language(
    assistant: Assistant, message: str, intent: str
) -> None:
    recognized = assistant.intents.recognize(message)
    assert recognized is not None and recognized[0] == intent, (message, recognized)
