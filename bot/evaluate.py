"""Retrieval and crisis-detection quality on labelled question files (`guidebot eval`)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.content.fields import Fields
from bot.content.yamlfile import Node, load
from bot.core import answers
from bot.detect.crisis import CrisisDetector
from bot.detect.labelled import load_folder, load_labelled
from bot.errors import CorpusError, Problem

if TYPE_CHECKING:
    from bot.core.library import Library
from bot.utterance import Utterance

KS = (1, 3, 5)


@dataclass(frozen=True)
class Question:
    text: str
    audience: str | None
    relevant: tuple[str, ...]
    lang: str = "en"
    gap: bool = False  # in scope, but no entry answers it yet (relevant is empty)


@dataclass
class Scores:
    """Hit rates at 1/3/5 and mean reciprocal rank over in-scope questions."""

    questions: int = 0
    hits: dict[int, int] = field(default_factory=lambda: dict.fromkeys(KS, 0))
    reciprocal: float = 0.0

    def add(self, rank: int | None) -> None:
        self.questions += 1
        for k in KS:
            self.hits[k] += rank is not None and rank <= k
        self.reciprocal += 1 / rank if rank else 0.0

    def as_dict(self) -> dict[str, Any]:
        n = max(self.questions, 1)
        result: dict[str, Any] = {"questions": self.questions}
        result.update({f"recall@{k}": round(self.hits[k] / n, 4) for k in KS})
        result["mrr"] = round(self.reciprocal / n, 4)
        return result


def load_questions(path: Path) -> list[Question]:
    """Read a question file: a list of {q, audience, relevant, lang}."""
    shown = str(path)
    document = load(path, shown)
    if isinstance(document, dict):
        document = document.get("questions")
    if not isinstance(document, list):
        raise CorpusError([Problem(shown, 1, "", "expected a list of questions")])
    problems: list[Problem] = []
    questions = []
    for node in document:
        if not isinstance(node, Node):
            problems.append(Problem(shown, 0, "", "each question is a mapping"))
            continue
        f = Fields(node, shown, problems, entry=str(node.get("q", ""))[:40])
        relevant = node.get("relevant") or []
        audience = node.get("audience")
        questions.append(
            Question(
                f.text("q"),
                None if audience == "none" else audience,
                tuple(str(r) for r in relevant),
                str(node.get("lang", "en")),
                gap=bool(node.get("gap")),
            )
        )
    if problems:
        raise CorpusError(problems)
    return questions


def evaluate_retrieval(library: Library, questions: list[Question]) -> dict[str, Any]:
    """Recall@1/3/5 and MRR per audience and overall, and out-of-scope questions answered.

    Measured on what a user is shown: the bot's own search path (`answers.search`, with the
    English fallback through the glossary), twins removed, nothing when not confident."""
    per_audience: dict[str, Scores] = defaultdict(Scores)
    per_language: dict[str, Scores] = defaultdict(Scores)
    per_cell: dict[str, Scores] = defaultdict(Scores)
    overall = Scores()
    wrongly_answered: list[dict[str, str]] = []
    gaps_answered: list[dict[str, str]] = []
    misses = []
    for question in questions:
        ranking, _ = answers.search(
            library, library.read(question.text), question.lang, question.audience
        )
        hits = answers.distinct(library, ranking.hits)[: max(KS)] if ranking.answered else []
        ids = [hit.entry.base_id for hit in hits]
        if not question.relevant:
            if hits:
                answered = gaps_answered if question.gap else wrongly_answered
                answered.append({"q": question.text, "got": ids[0]})
            continue
        rank = next((i + 1 for i, x in enumerate(ids) if x in question.relevant), None)
        for scores in (
            overall,
            per_audience[question.audience or "any"],
            per_language[question.lang],
            per_cell[f"{question.lang}/{question.audience or 'any'}"],
        ):
            scores.add(rank)
        if rank is None or rank > 3:
            misses.append({"q": question.text, "want": list(question.relevant), "got": ids[:3]})
    return {
        "overall": overall.as_dict(),
        "audiences": {a: s.as_dict() for a, s in sorted(per_audience.items())},
        "languages": {lang: s.as_dict() for lang, s in sorted(per_language.items())},
        "language_audience": {c: s.as_dict() for c, s in sorted(per_cell.items())},
        "out_of_scope": sum(1 for q in questions if not q.relevant and not q.gap),
        "out_of_scope_answered": wrongly_answered,
        "gaps": sum(1 for q in questions if q.gap),
        "gaps_answered": gaps_answered,
        "misses_at_3": misses,
    }


def evaluate_intents(detector: CrisisDetector, path: Path) -> dict[str, Any]:
    """Crisis recall, false alarms and category accuracy per language on a labelled file (or a
    folder of them), for the two layers together and each alone, and misses by kind.

    Items as in bot/detect/labelled.py. A crisis is "caught" when the tier is crisis; its
    category is right when the first lane matches the labelled first lane; `lanes_covered`
    counts crisis messages whose every labelled lane is among the lanes found.
    """
    items = load_folder(path) if path.is_dir() else load_labelled(path)
    per_lang: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors = []
    for item in items:
        got = detector.assess(item.text)
        rules, _ = detector.rules(Utterance(item.text))
        verdict = detector.model.verdict(Utterance(item.text)) if detector.model else None
        c = per_lang[item.lang]
        kind = kinds[f"{'crisis' if item.crisis else 'calm'}:{item.kind or '-'}"]
        kind["n"] += 1
        if item.crisis:
            c["crisis"] += 1
            c["caught"] += got.crisis
            c["sensitive"] += got.tier == "sensitive"
            c["rules_caught"] += rules.crisis
            c["model_caught"] += bool(verdict and verdict.sure)
            c["category_right"] += got.crisis and got.category == item.category
            c["lanes_covered"] += got.crisis and set(item.lanes) <= set(got.lanes)
            kind["missed"] += not got.crisis
        else:
            c["calm"] += 1
            c["false_alarms"] += got.crisis
            c["rules_false_alarms"] += rules.crisis
            c["model_false_alarms"] += bool(verdict and verdict.sure)
            kind["false_alarms"] += got.crisis
        if got.crisis != item.crisis or (item.crisis and got.category != item.category):
            errors.append(
                {
                    "lang": item.lang,
                    "expected": list(item.lanes),
                    "got": list(got.lanes) if got.crisis else None,
                    "tier": got.tier,
                    "kind": item.kind,
                    "text": item.text,
                }
            )
    report = {lang: _figures(c) for lang, c in sorted(per_lang.items())}
    total: dict[str, int] = defaultdict(int)
    for c in per_lang.values():
        for key, value in c.items():
            total[key] += value
    report["all"] = _figures(total)
    return {
        "languages": report,
        "kinds": {k: dict(v) for k, v in sorted(kinds.items())},
        "errors": errors,
    }


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _figures(c: dict[str, int]) -> dict[str, Any]:
    return {
        "crisis": c["crisis"],
        "calm": c["calm"],
        "recall": _rate(c["caught"], c["crisis"]),
        "false_alarm_rate": _rate(c["false_alarms"], c["calm"]),
        "category_accuracy": _rate(c["category_right"], c["caught"]),
        "lanes_covered": _rate(c["lanes_covered"], c["caught"]),
        "missed_but_sensitive": c["sensitive"],
        "rules_alone": {
            "recall": _rate(c["rules_caught"], c["crisis"]),
            "false_alarm_rate": _rate(c["rules_false_alarms"], c["calm"]),
        },
        "model_alone": {
            "recall": _rate(c["model_caught"], c["crisis"]),
            "false_alarm_rate": _rate(c["model_false_alarms"], c["calm"]),
        },
    }


def print_report(report: dict[str, Any], as_json: bool) -> None:
    """An evaluation report as JSON, or as one line per figure and per listed item."""
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for key, value in report.items():
        if isinstance(value, list):
            print(f"{key}: {len(value)}")
            for item in value:
                print(f"  {json.dumps(item, ensure_ascii=False)}")
        elif isinstance(value, dict):
            print(f"{key}:")
            for name, figures in value.items():
                print(f"  {name}: {json.dumps(figures, ensure_ascii=False)}")
        else:
            print(f"{key}: {value}")
