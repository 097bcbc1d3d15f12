"""The crisis lexicons (`intents/crisis/<lang>.yaml`): phrases by lane and tier, and the guards
that read a phrase's stance, validated with errors naming file, line and entry."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.fields import Fields
from bot.content.model import LANGUAGES
from bot.content.yamlfile import Node, load
from bot.detect.gates import RegexGate
from bot.detect.lexicon import Phrase
from bot.errors import CorpusError, Problem

# In order of precedence when one message matches several categories: a medical emergency under
# way (pills already swallowed, not breathing, bleeding) first, even when suicide words are there.
CATEGORIES = ("medical", "suicide", "danger", "detention", "sexual_violence", "digital")
GUARDS = ("idioms", "negations", "dated", "present", "professional", "hypothetical", "humour")


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    tier: str
    phrase: Phrase


class Lexicon:
    """The crisis phrases and guards of one language."""

    def __init__(
        self,
        lang: str,
        rules: list[Rule],
        guards: Mapping[str, tuple[Phrase, ...]],
        negations: frozenset[str],
    ) -> None:
        self.lang = lang
        self.rules = rules
        self.guards = guards
        self.negations = negations
        # Word phrases are looked up among what the index found; only expressions are run.
        self.word_rules: dict[Phrase, list[Rule]] = {}
        self.regex_rules: dict[re.Pattern[str], list[Rule]] = {}
        for rule in rules:
            if rule.phrase.regex is not None:
                self.regex_rules.setdefault(rule.phrase.regex, []).append(rule)
        # A cheap test first (bot/detect/gates.py): most messages match none of them.
        self.regex_gate = RegexGate(self.regex_rules)
        for rule in rules:
            if rule.phrase.regex is None:
                self.word_rules.setdefault(rule.phrase, []).append(rule)


def load_lexicons(intents_dir: Path, problems: list[Problem]) -> list[Lexicon]:
    """Every `intents/crisis/*.yaml`; problems are added to `problems`, naming file and line."""
    lexicons = []
    for path in sorted((intents_dir / "crisis").glob("*.yaml")):
        shown = f"{intents_dir.name}/crisis/{path.name}"
        try:
            document = load(path, shown)
        except CorpusError as exc:
            problems.extend(exc.problems)
            continue
        lexicon = _parse(document, shown, problems)
        if lexicon:
            lexicons.append(lexicon)
    if not lexicons and not problems:
        problems.append(Problem(f"{intents_dir.name}/crisis", 0, "", "no crisis lexicon found"))
    return lexicons


def _parse(document: Any, shown: str, problems: list[Problem]) -> Lexicon | None:
    if not isinstance(document, Node):
        problems.append(
            Problem(shown, 1, "", "expected a mapping with language, categories, guards")
        )
        return None
    header = Fields(document, shown, problems, entry="")
    header.only({"language", "categories", "guards"})
    lang = header.choice("language", LANGUAGES)
    rules: list[Rule] = []
    categories = document.get("categories")
    if not isinstance(categories, Node):
        header.problem("'categories' must map each category to its crisis and sensitive phrases")
        categories = Node()
    for category, tiers in categories.items():
        if category not in CATEGORIES:
            problems.append(
                Problem(
                    shown,
                    categories.line,
                    str(category),
                    f"unknown category; expected one of: {', '.join(CATEGORIES)}",
                )
            )
            continue
        if not isinstance(tiers, Node):
            problems.append(
                Problem(
                    shown, categories.line, category, "expected 'crisis:' and/or 'sensitive:' lists"
                )
            )
            continue
        for tier, entries in tiers.items():
            if tier not in ("crisis", "sensitive"):
                problems.append(
                    Problem(
                        shown, tiers.line, f"{category}.{tier}", "a tier is 'crisis' or 'sensitive'"
                    )
                )
                continue
            for number, phrase in enumerate(
                _phrases(entries, shown, tiers.line, f"{category}.{tier}", problems), 1
            ):
                rules.append(Rule(f"{lang}/{category}/{tier}/{number}", category, tier, phrase))
    guards_node = document.get("guards")
    if not isinstance(guards_node, Node):
        header.problem(f"'guards' must list: {', '.join(GUARDS)}")
        guards_node = Node()
    guards: dict[str, tuple[Phrase, ...]] = {}
    for name in GUARDS:
        guards[name] = tuple(
            _phrases(guards_node.get(name, []), shown, guards_node.line, f"guards.{name}", problems)
        )
    for name in guards_node:
        if name not in GUARDS:
            problems.append(
                Problem(
                    shown,
                    guards_node.line,
                    f"guards.{name}",
                    f"unknown guard; expected one of: {', '.join(GUARDS)}",
                )
            )
    negations = frozenset(w for p in guards["negations"] for w in p.words)
    return Lexicon(lang, rules, guards, negations)


def _phrases(
    entries: Any, shown: str, line: int, where: str, problems: list[Problem]
) -> list[Phrase]:
    if not isinstance(entries, list):
        problems.append(Problem(shown, line, where, "expected a list of phrases"))
        return []
    phrases = []
    for entry in entries:
        try:
            if isinstance(entry, str) and entry.strip():
                phrase = Phrase(entry)
                if not phrase.words:
                    raise ValueError("the phrase has no words")
            elif isinstance(entry, dict) and set(entry) == {"re"} and isinstance(entry["re"], str):
                phrase = Phrase({"re": entry["re"]})
            else:
                raise ValueError("a phrase is text, or {re: <regular expression>}")
        except (re.error, ValueError) as exc:
            problems.append(
                Problem(shown, getattr(entry, "line", line), where, f"bad phrase {entry!r}: {exc}")
            )
            continue
        phrases.append(phrase)
    return phrases
