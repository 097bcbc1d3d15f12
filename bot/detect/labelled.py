"""Labelled messages for crisis detection: training data, the dev set and blind sets.

One format for all three, so that no set is read differently from another:
    - text: "the message as typed"
      lang: es                       # or given by the folder (tests/train/crisis/<lang>/)
      crisis: true
      lanes: [medical, suicide]      # every lane that applies, most urgent first; [] if calm
      who: self                      # optional: self | close | client | none
      kind: act-done                 # optional: a short tag of the kind of message
Older files give `category:` (one lane) instead of `lanes:`; it is read as a one-lane list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.content.model import LANGUAGES
from bot.content.yamlfile import Node, load
from bot.errors import CorpusError, Problem

# The crisis lanes, in the order of the model's outputs (bot/detect/model.py CLASSES). The order
# of precedence between lanes is bot/detect/crisis.py's CATEGORIES.
LANES = ("suicide", "danger", "detention", "sexual_violence", "medical", "digital")


@dataclass(frozen=True)
class Labelled:
    """One message with its labels: what a careful crisis counsellor would say of it."""

    text: str
    lang: str
    crisis: bool
    lanes: tuple[str, ...]
    who: str | None = None
    kind: str | None = None

    @property
    def category(self) -> str | None:
        """The lane whose resources come first."""
        return self.lanes[0] if self.lanes else None


def load_labelled(path: Path, lang: str | None = None, shown: str | None = None) -> list[Labelled]:
    """Read one file of labelled messages; problems name file, line and entry."""
    shown = shown or str(path)
    document = load(path, shown)
    if not isinstance(document, list):
        raise CorpusError([Problem(shown, 1, "", "expected a list of labelled messages")])
    problems: list[Problem] = []
    items = []
    for number, node in enumerate(document, 1):
        line = node.line if isinstance(node, Node) else 0
        entry = f"#{number}"

        def bad(message: str, line: int = line, entry: str = entry) -> None:
            problems.append(Problem(shown, line, entry, message))

        if not isinstance(node, Node):
            bad("each item is a mapping with text, crisis and lanes")
            continue
        unknown = set(node) - {"text", "lang", "crisis", "lanes", "category", "who", "kind"}
        if unknown:
            bad(f"unknown field(s): {', '.join(sorted(unknown))}")
        text, crisis = node.get("text"), node.get("crisis")
        item_lang = node.get("lang", lang)
        lanes = node.get("lanes")
        if lanes is None:
            lanes = [node["category"]] if node.get("category") else []
        if not isinstance(text, str) or not text.strip():
            bad("'text' must be a non-empty string")
            continue
        if not isinstance(crisis, bool):
            bad("'crisis' must be true or false")
            continue
        if item_lang not in LANGUAGES:
            bad(f"'lang' must be one of {', '.join(LANGUAGES)}")
            continue
        if not isinstance(lanes, list) or any(lane not in LANES for lane in lanes):
            bad(f"'lanes' must be a list of: {', '.join(LANES)}")
            continue
        if crisis != bool(lanes):
            bad("a crisis message needs at least one lane; a calm one none")
            continue
        who, kind = node.get("who"), node.get("kind")
        items.append(
            Labelled(
                text,
                str(item_lang),
                crisis,
                tuple(dict.fromkeys(lanes)),
                str(who) if who is not None else None,
                str(kind) if kind is not None else None,
            )
        )
    if problems:
        raise CorpusError(problems)
    return items


def load_folder(folder: Path) -> list[Labelled]:
    """Every `<lang>/*.yaml` or `<lang>.yaml` under `folder`, in a fixed order."""
    problems: list[Problem] = []
    items: list[Labelled] = []
    paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*/*.yaml"))
    for path in paths:
        lang = path.stem if path.parent == folder else path.parent.name
        try:
            items += load_labelled(path, lang, str(path.relative_to(folder.parent)))
        except CorpusError as exc:
            problems += exc.problems
    if problems:
        raise CorpusError(problems)
    return items
