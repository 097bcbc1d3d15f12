"""A cheap "does any of these expressions match?" test, run before the expressions one by one.

Crisis lexicons hold hundreds of regular expressions (the Arabic one about 500, for dialect
spellings and negation-robust forms), and every lexicon runs on every message because people mix
languages. Python's `re` tries every alternative at every position: one combined alternation of
them all still cost 0.6 ms per message, more than the search.

Most expressions cannot match without some literal text: `\\b(?:و|ف)?اريد ان اموت\\b` needs
"اريد ان اموت", and every expression of the Arabic lexicon needs an Arabic letter or an Arabizi
word. `required_strings` reads that off the parsed expression (a set of strings, one of which
every match contains) and `RegexGate` runs an expression only on a text that contains one of
them; expressions of one script are skipped together when the text has no letter of it.
Anything the analysis cannot prove is run on every text: the gate is an optimisation that must
never hide a match, and tests/test_gates.py checks it against running every expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

try:  # the parser behind `re.compile`; sre_parse before 3.11
    from re import _parser as parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a different layout: nothing is proven, all runs
    parser = None

# Scripts worth gating on as a whole: their letters appear in no other lexicon's expressions.
SCRIPTS: dict[str, str] = {
    "arabic": "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff",
    "cyrillic": "\u0400-\u04ff\u0500-\u052f",
}
_SCRIPT_OF = {name: re.compile(f"[{ranges}]") for name, ranges in SCRIPTS.items()}
_CONSUMING_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")

Needs = frozenset[str] | None  # strings one of which every match contains; None: unknown


def required_strings(pattern: re.Pattern[str]) -> Needs:
    """Strings one of which every match of `pattern` contains, or None if none can be shown."""
    if parser is None or pattern.flags & re.IGNORECASE:
        return None
    try:
        return _sequence(list(parser.parse(pattern.pattern, pattern.flags)))
    except Exception:  # an unfamiliar parse tree: claim nothing
        return None


def required_script(pattern: re.Pattern[str]) -> str | None:
    """The script every match of `pattern` has a letter of, or None if that cannot be shown."""
    return _script(required_strings(pattern))


def _script(needs: Needs) -> str | None:
    if not needs:
        return None
    for name, letters in _SCRIPT_OF.items():
        if all(letters.search(text) for text in needs):
            return name
    return None


def _better(a: Needs, b: Needs) -> Needs:
    """The more selective of two requirements: longer shortest string, then fewer strings."""
    if a is None or b is None:
        return a if b is None else b
    return max(a, b, key=lambda needs: (min(map(len, needs)), -len(needs)))


def _sequence(items: Sequence[tuple[Any, Any]]) -> Needs:
    best: Needs = None
    run = ""
    for op, argument in items:
        if str(op) == "LITERAL":
            run += chr(argument)
            continue
        if run:
            best = _better(best, frozenset([run]))
            run = ""
        best = _better(best, _item(str(op), argument))
    if run:
        best = _better(best, frozenset([run]))
    return best


def _item(op: str, argument: Any) -> Needs:
    if op == "IN":  # a set of literal characters (ranges, classes, negations: nothing proven)
        if all(str(kind) == "LITERAL" for kind, _ in argument):
            return frozenset(chr(value) for _, value in argument)
        return None
    if op == "SUBPATTERN":
        _group, add_flags, _del_flags, body = argument
        return None if add_flags & re.IGNORECASE else _sequence(list(body))
    if op == "ATOMIC_GROUP":
        return _sequence(list(argument))
    if op in _CONSUMING_REPEATS:
        low, _high, body = argument
        return _sequence(list(body)) if low >= 1 else None
    if op == "BRANCH":
        _, branches = argument
        union: set[str] = set()
        for branch in branches:
            needs = _sequence(list(branch))
            if needs is None:
                return None
            union |= needs
        return frozenset(union)
    return None  # assertions, anchors, classes, "any", back-references: consume nothing known


class RegexGate:
    """A lexicon's expressions behind the strings they need, grouped by the script they need."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        groups: dict[str | None, list[tuple[re.Pattern[str], Needs]]] = {}
        order: dict[re.Pattern[str], int] = {}
        for pattern in patterns:
            order.setdefault(pattern, len(order))
            needs = required_strings(pattern)
            groups.setdefault(_script(needs), []).append((pattern, needs))
        self._order = order
        self._groups = [
            (_SCRIPT_OF[script] if script else None, *_index(members))
            for script, members in groups.items()
        ]

    def _present(self, text: str) -> Iterable[tuple[tuple[re.Pattern[str], ...], _Needed]]:
        """Per script group the text has, the expressions that always run and the needed
        strings the text contains, with their expressions."""
        pairs = _pairs(text)
        for script, always, by_start, starts in self._groups:
            if script is not None and not script.search(text):
                continue
            present = tuple(
                (needed, patterns)
                for start in starts.intersection(pairs)
                for needed, patterns in by_start[start]
                if needed in text
            )
            yield always, present

    def any_match(self, text: str) -> bool:
        """Does any expression match `text`? Exactly what searching with each would say."""
        for always, present in self._present(text):
            if any(pattern.search(text) for pattern in always):
                return True
            if any(pattern.search(text) for _, patterns in present for pattern in patterns):
                return True
        return False

    def candidates(self, text: str) -> list[re.Pattern[str]]:
        """The expressions that may match `text`, in the lexicon's order: those that need
        nothing known, and those whose needed string and script `text` contains. Every
        expression that matches is among them."""
        found: set[re.Pattern[str]] = set()
        for always, present in self._present(text):
            found.update(always)
            for _, patterns in present:
                found.update(patterns)
        return sorted(found, key=self._order.__getitem__)


_Needed = tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]


@lru_cache(maxsize=8)
def _pairs(text: str) -> frozenset[str]:
    """The text's single characters and pairs of adjacent characters. Each lexicon asks for the
    same message's, so the last few are kept."""
    return frozenset(text).union(text[i : i + 2] for i in range(len(text) - 1))


def _index(
    members: list[tuple[re.Pattern[str], Needs]],
) -> tuple[tuple[re.Pattern[str], ...], dict[str, _Needed], frozenset[str]]:
    """The expressions that must always run, and the needed strings by their first two
    characters (one for a one-character string). A message has a few dozen pairs and a lexicon
    hundreds of needed strings: intersecting the two sets in C and testing only the strings that
    start with a pair the message has costs a tenth of testing every string with `in`."""
    always = []
    by_string: dict[str, list[re.Pattern[str]]] = {}
    for pattern, needs in members:
        if needs is None:
            always.append(pattern)
            continue
        for needed in sorted(needs):
            by_string.setdefault(needed, []).append(pattern)
    by_start: dict[str, list[tuple[str, tuple[re.Pattern[str], ...]]]] = {}
    for needed, patterns in by_string.items():
        by_start.setdefault(needed[:2], []).append((needed, tuple(patterns)))
    table = {start: tuple(strings) for start, strings in by_start.items()}
    return tuple(always), table, frozenset(table)
