"""Reading fields out of YAML mappings while collecting every problem, not just the first.

Editors fix a file faster when one run lists all its problems, so readers record a `Problem`
and return a harmless placeholder instead of raising.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from bot.content.yamlfile import Node, line_of
from bot.errors import Problem

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z]{2})?$")


class Fields:
    """Typed access to one YAML mapping (`node`) in `file`, for the entry named `entry`."""

    def __init__(self, node: Node, file: str, problems: list[Problem], entry: str = "") -> None:
        self.node = node
        self.file = file
        self.problems = problems
        self.entry = entry or str(node.get("id", ""))
        self.line = line_of(node)

    def problem(self, message: str) -> None:
        self.problems.append(Problem(self.file, self.line, self.entry, message))

    def only(self, allowed: Iterable[str]) -> None:
        """Flag unknown keys: a misspelt key ('sorces') would otherwise be silently ignored."""
        allowed = set(allowed)
        for key in self.node:
            if key not in allowed:
                self.problem(f"unknown field {key!r} (allowed: {', '.join(sorted(allowed))})")

    def text(self, key: str, *, default: str | None = None) -> str:
        value = self.node.get(key, default)
        if value is None:
            self.problem(f"missing required field {key!r}")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{key!r} must be non-empty text")
            return ""
        return " ".join(value.split()) if "\n" not in value.strip() else value.strip()

    def optional_text(self, key: str) -> str | None:
        if self.node.get(key) is None:
            return None
        return self.text(key)

    def boolean(self, key: str) -> bool:
        """A required true/false: a quoted "true" or a missing key must not pass for a flag."""
        value = self.node.get(key)
        if value is None:
            self.problem(f"missing required field {key!r}")
            return False
        if not isinstance(value, bool):
            self.problem(f"{key!r} is {value!r}; expected true or false")
            return False
        return value

    def choice(self, key: str, options: Iterable[str], *, default: str | None = None) -> str:
        options = tuple(options)
        value = self.node.get(key, default)
        if value is None:
            self.problem(f"missing required field {key!r}")
            return options[0]
        if value not in options:
            self.problem(f"{key!r} is {value!r}; expected one of: {', '.join(options)}")
            return options[0]
        return str(value)

    def text_list(
        self, key: str, *, min_items: int = 1, max_items: int = 10_000
    ) -> tuple[str, ...]:
        value = self.node.get(key)
        if value is None:
            self.problem(f"missing required field {key!r}")
            return ()
        if not isinstance(value, list) or not all(
            isinstance(v, str | int) and str(v).strip() for v in value
        ):
            self.problem(f"{key!r} must be a list of non-empty texts")
            return ()
        if not min_items <= len(value) <= max_items:
            self.problem(f"{key!r} has {len(value)} items; expected {min_items} to {max_items}")
        return tuple(" ".join(str(v).split()) for v in value)

    def choices(self, key: str, options: Iterable[str], *, min_items: int = 1) -> tuple[str, ...]:
        options = tuple(options)
        values = self.text_list(key, min_items=min_items)
        for value in values:
            if value not in options:
                self.problem(f"{key!r} has {value!r}; expected any of: {', '.join(options)}")
        return tuple(v for v in values if v in options)

    def identifier(self, prefix: str = "") -> str:
        value = self.node.get("id")
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.problem(
                "missing or malformed 'id' (lowercase letters, digits and '-', "
                "with an optional language suffix such as '.es')"
            )
            return ""
        if prefix and not value.startswith(prefix):
            self.problem(f"id {value!r} should start with {prefix!r}")
        return value

    def date(self, key: str) -> dt.date:
        value: Any = self.node.get(key)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.problem(f"{key!r} must be a date written YYYY-MM-DD")
        return dt.date.min
