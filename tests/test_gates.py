"""The gate in front of the crisis expressions never hides a match (and invents none)."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.library import Library
from bot.detect.gates import RegexGate, required_script, required_strings
from bot.evaluate import load_questions
from bot.utterance import Utterance

DEV = Path(__file__).parent / "dev"


@pytest.mark.parametrize(
    ("pattern", "script"),
    [
        (r"\b(?:و|ف)?اريد ان اموت\b", "arabic"),  # an optional prefix, then Arabic for sure
        (r"\bхочу (умереть|сдохнуть)\b", "cyrillic"),
        (r"(بدي|bdi) موت", "arabic"),  # either branch, then an Arabic word
        (r"(بدي|bdi) (موت|mout)", None),  # "bdi mout" is all Latin
        (r"(?:اموت)?x", None),  # the Arabic part is optional
        (r"(?=اموت)\w+", None),  # a look-ahead consumes nothing
        (r"[\u0600-\u06ff]+", None),  # a range: not claimed (kept simple)
        (r"(?i)хочу", None),  # case-insensitive: not claimed
        (r"\bhelp me\b", None),
    ],
)
def test_required_script(pattern: str, script: str | None) -> None:
    assert required_script(re.compile(pattern)) == script


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\b(?:و|ف)?اريد ان اموت\b", {"اريد ان اموت"}),
        (r"\bi (want|wanna) to die\b", {" to die"}),  # the longest sure run wins
        (r"(took|swallowed) (all|a lot of) (my|the) pills", {" pills"}),
        (r"(?:ab|cd)+e?", {"ab", "cd"}),
        (r"(ab|\w)x?", None),  # one branch needs nothing literal
        (r"\w+ \w+", {" "}),
        (r"(?i)help", None),
    ],
)
def test_required_strings(pattern: str, needs: set[str] | None) -> None:
    assert required_strings(re.compile(pattern)) == (frozenset(needs) if needs else None)


def test_expressions_with_nothing_proven_always_run() -> None:
    gate = RegexGate([re.compile(r"\w+x\b"), re.compile(r"abc"), re.compile(r"\bмне\b")])
    assert gate.any_match("zzx")  # nothing literal is needed: it runs on every text
    assert gate.any_match("xabcx")
    assert gate.any_match("да мне")  # Cyrillic: runs because the text has Cyrillic
    assert not gate.any_match("abd мнение")
    assert not RegexGate([]).any_match("anything")


def _expressions(library: Library) -> dict[str, list[re.Pattern[str]]]:
    return {lexicon.lang: list(lexicon.regex_rules) for lexicon in library.detector._lexicons}


def _texts() -> list[str]:
    """Every labelled crisis message and every retrieval question, in six languages, each also
    with its Arabic and Cyrillic letters removed (Arabizi and Latin spellings must still be
    caught by the gate that always runs)."""
    texts = [item["text"] for item in yaml.safe_load((DEV / "crisis.yaml").read_text())]
    for path in sorted(DEV.glob("questions*.yaml")):
        texts += [q.text for q in load_questions(path)]
    stripped = [re.sub("[\u0400-\u06ff]", "", t) for t in texts]
    return texts + stripped


def _agrees(gate: RegexGate, expressions: list[re.Pattern[str]], raw: str) -> None:
    joined = Utterance(raw).joined
    matching = {e for e in expressions if e.search(joined)}
    assert gate.any_match(joined) == bool(matching), raw
    assert matching <= set(gate.candidates(joined)), raw  # crisis.py runs only the candidates


def test_the_gate_agrees_with_every_expression_on_the_dev_messages(library: Library) -> None:
    texts = _texts()
    assert len(texts) > 1500
    for expressions in _expressions(library).values():
        gate = RegexGate(expressions)
        for raw in texts:
            _agrees(gate, expressions, raw)


def test_most_arabic_expressions_skip_texts_without_arabic(library: Library) -> None:
    """The point of the gate: an English question does not pay for 500 Arabic expressions."""
    arabic = _expressions(library)["ar"]
    scripted = [e for e in arabic if required_script(e) == "arabic"]
    assert len(scripted) >= 0.8 * len(arabic)
    assert not RegexGate(scripted).any_match("i cannot sleep since they raided the office")


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 10**9), length=st.integers(1, 10))
def test_the_gate_agrees_on_mixed_fragments(library: Library, seed: int, length: int) -> None:
    """Words cut from the expressions themselves, mixed across scripts: the texts most likely
    to match an expression through its Latin branch while an Arabic one stays silent."""
    rng = random.Random(seed)
    expressions = _expressions(library)
    words = [w for es in expressions.values() for e in es for w in re.findall(r"\w+", e.pattern)]
    lang = rng.choice(sorted(expressions))
    raw = " ".join(rng.choice(words) for _ in range(length))
    _agrees(RegexGate(expressions[lang]), expressions[lang], raw)
