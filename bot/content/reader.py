"""The shared reader behind every content loader: one corpus folder, one list of problems.

Each kind of content has its own loader module; they all read through a `Reader` so that problems
from every file are collected in one place and reported together, not one at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.content.yamlfile import Node, line_of, load
from bot.errors import CorpusError, Problem


class Reader:
    """Reads one corpus folder; collects problems across all files before failing."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []

    def shown(self, path: Path) -> str:
        try:
            return str(Path(self.root.name) / path.relative_to(self.root))
        except ValueError:
            return str(path)

    def read(self, path: Path, key: str | None, kind: type = list) -> tuple[Any, str]:
        """Parse a file and return the value under `key` (or the whole document)."""
        shown = self.shown(path)
        try:
            document = load(path, shown)
        except CorpusError as exc:
            self.problems.extend(exc.problems)
            return kind(), shown
        value = document.get(key) if key and isinstance(document, dict) else document
        if not isinstance(value, kind):
            what = f"a {key!r} list" if key else f"a {kind.__name__}"
            self.problems.append(Problem(shown, line_of(document, 1), "", f"expected {what}"))
            return kind(), shown
        return value, shown

    def entries(self, items: list[Any], shown: str) -> list[Node]:
        nodes = []
        for index, item in enumerate(items):
            if isinstance(item, Node):
                nodes.append(item)
            else:
                self.problems.append(
                    Problem(shown, 0, f"#{index + 1}", "each entry must be a mapping of fields")
                )
        return nodes
