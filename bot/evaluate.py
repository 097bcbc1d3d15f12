"""Retrieval and crisis-detection quality on labelled question files (`guidebot eval`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.corpus.fields import Fields
from bot.crisis import CrisisDetector
from bot.errors import CorpusError, Problem
from bot.search import SearchIndex
from bot.yamlfile import Node, load

KS = (1, 3, 5)


@dataclass(frozen=True)
class Question:
    text: str
    audience: str | None
    relevant: tuple[str, ...]
    lang: str = "en"


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
        questions.append(
            Question(
                f.text("q"),
                node.get("audience"),
                tuple(str(r) for r in relevant),
                str(node.get("lang", "en")),
            )
        )
    if problems:
        raise CorpusError(problems)
    return questions


def evaluate_retrieval(index: SearchIndex, questions: list[Question]) -> dict[str, Any]:
    """Recall@1/3/5 and MRR per audience and overall, and out-of-scope questions answered."""
    per_audience: dict[str, Scores] = defaultdict(Scores)
    per_language: dict[str, Scores] = defaultdict(Scores)
    overall = Scores()
    wrongly_answered = []
    misses = []
    for question in questions:
        hits = index.search(
            question.text, lang=question.lang, audience=question.audience, k=max(KS)
        )
        ids = [hit.entry.base_id for hit in hits]
        if not question.relevant:
            if hits:
                wrongly_answered.append({"q": question.text, "got": ids[0]})
            continue
        rank = next((i + 1 for i, x in enumerate(ids) if x in question.relevant), None)
        for scores in (
            overall,
            per_audience[question.audience or "any"],
            per_language[question.lang],
        ):
            scores.add(rank)
        if rank is None or rank > 3:
            misses.append({"q": question.text, "want": list(question.relevant), "got": ids[:3]})
    return {
        "overall": overall.as_dict(),
        "audiences": {a: s.as_dict() for a, s in sorted(per_audience.items())},
        "languages": {lang: s.as_dict() for lang, s in sorted(per_language.items())},
        "out_of_scope": sum(1 for q in questions if not q.relevant),
        "out_of_scope_answered": wrongly_answered,
        "misses_at_3": misses,
    }


def evaluate_intents(detector: CrisisDetector, path: Path) -> dict[str, Any]:
    """Crisis recall, false alarms and category accuracy per language on a labelled file.

    Each item: {text, lang, crisis: true|false, category: <category>|null}.
    """
    document = load(path, str(path))
    if not isinstance(document, list):
        raise CorpusError([Problem(str(path), 1, "", "expected a list of labelled messages")])
    per_lang: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    errors = []
    for item in document:
        lang = str(item.get("lang", "en"))
        expected = bool(item.get("crisis"))
        got = detector.assess(str(item["text"]))
        counts = per_lang[lang]
        if expected:
            counts["crisis"] += 1
            counts["caught"] += got.crisis
            counts["category_right"] += got.crisis and got.category == item.get("category")
        else:
            counts["calm"] += 1
            counts["false_alarms"] += got.crisis
        if got.crisis != expected or (expected and got.category != item.get("category")):
            errors.append(
                {
                    "lang": lang,
                    "expected": item.get("category") if expected else None,
                    "got": got.category if got.crisis else None,
                    "tier": got.tier,
                    "text": item["text"],
                }
            )
    report = {}
    for lang, c in sorted(per_lang.items()):
        report[lang] = {
            "crisis": c["crisis"],
            "calm": c["calm"],
            "recall": round(c["caught"] / c["crisis"], 4) if c["crisis"] else None,
            "false_alarm_rate": round(c["false_alarms"] / c["calm"], 4) if c["calm"] else None,
            "category_accuracy": round(c["category_right"] / c["caught"], 4)
            if c["caught"]
            else None,
        }
    return {"languages": report, "errors": errors}
