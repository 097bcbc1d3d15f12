"""Short non-question messages ("hi", "thanks", "who are you?") and what they mean.

Anything with more to say goes to the search: an intent wins only when its phrases cover the
whole message but for a word or two of filler.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.content.fields import Fields
from bot.content.model import LANGUAGES
from bot.content.yamlfile import Node, load
from bot.detect.lexicon import Match, Phrase, PhraseIndex
from bot.errors import CorpusError, Problem
from bot.utterance import Utterance

INTENTS = (
    "greeting",
    "thanks",
    "help",
    "checklists",
    "selfcare",
    "who_are_you",
    "feedback",
    # Short answers, read in the crisis state (bot/core/followup.py), and calls for help.
    "yes",
    "no",
    "ok",
    "safe",
    "not_safe",
    "sos",
    "someone_else",  # spotted, never a whole message's meaning: see bot/core/crisis_replies.py
)
MAX_WORDS = 8
MAX_UNCOVERED = 1
SPOT_ONLY = frozenset({"someone_else"})  # never what a whole message means


class IntentRecognizer:
    """Maps a message to one of `INTENTS`, or None when it is a question for the guide."""

    def __init__(self, phrases: dict[str, list[tuple[str, Phrase]]]) -> None:
        self._phrases = phrases  # language -> [(intent, phrase)]
        self._index = PhraseIndex(p for entries in phrases.values() for _, p in entries)

    @classmethod
    def load(cls, intents_dir: Path) -> IntentRecognizer:
        problems: list[Problem] = []
        phrases: dict[str, list[tuple[str, Phrase]]] = {}
        for path in sorted(intents_dir.glob("*.yaml")):
            shown = f"{intents_dir.name}/{path.name}"
            try:
                document = load(path, shown)
            except CorpusError as exc:
                problems.extend(exc.problems)
                continue
            parsed = _parse(document, shown, problems)
            if parsed:
                phrases.setdefault(parsed[0], []).extend(parsed[1])
        if "en" not in phrases and not problems:
            problems.append(
                Problem(f"{intents_dir.name}/en.yaml", 0, "", "English intents missing")
            )
        if problems:
            raise CorpusError(problems)
        return cls(phrases)

    def recognize(
        self, message: Utterance | str, prefer: str | None = None
    ) -> tuple[str, str] | None:
        """(intent, language) when the message is essentially one intent, else None. Words
        shared by languages ("no", "ok", "sos") are read as `prefer`'s when it has them."""
        if isinstance(message, str):
            message = Utterance(message)
        tokens = message.tokens
        if not tokens or len(tokens) > MAX_WORDS:
            return None
        best: tuple[int, bool, bool, str, str] | None = None
        found = self._index.find_all(tokens)
        if not found:
            return None
        for lang, entries in self._phrases.items():
            for intent, phrase in entries:
                matches = found.get(phrase)
                if not matches or intent in SPOT_ONLY:
                    continue
                covered = _covered(matches)
                rank = (covered, lang == prefer, lang == "en", intent, lang)
                if len(tokens) - covered <= MAX_UNCOVERED and (best is None or rank[:3] > best[:3]):
                    best = rank
        return (best[3], best[4]) if best else None

    def spot(self, message: Utterance, intents: frozenset[str]) -> set[str]:
        """Which of `intents` have a phrase anywhere in the message (\"no, I'm not safe, he is
        still here\" holds `not_safe`), whatever else it says."""
        found = self._index.find_all(message.tokens)
        return {
            intent
            for entries in self._phrases.values()
            for intent, phrase in entries
            if intent in intents and phrase in found
        }


def _covered(matches: list[Match]) -> int:
    return len({i for m in matches for i in range(m.start, m.end)})


def _parse(
    document: Any, shown: str, problems: list[Problem]
) -> tuple[str, list[tuple[str, Phrase]]] | None:
    if not isinstance(document, Node):
        problems.append(Problem(shown, 1, "", "expected 'language' and 'intents'"))
        return None
    header = Fields(document, shown, problems, entry="")
    header.only({"language", "intents"})
    lang = header.choice("language", LANGUAGES)
    intents = document.get("intents")
    if not isinstance(intents, Node):
        header.problem("'intents' must map each intent to a list of phrases")
        return None
    entries: list[tuple[str, Phrase]] = []
    for intent, phrases in intents.items():
        if intent not in INTENTS:
            problems.append(
                Problem(
                    shown,
                    intents.line,
                    str(intent),
                    f"unknown intent; expected one of: {', '.join(INTENTS)}",
                )
            )
            continue
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            problems.append(Problem(shown, intents.line, intent, "expected a list of phrases"))
            continue
        entries.extend((intent, Phrase(p)) for p in phrases if p.strip())
    return lang, entries
