"""YAML loading that remembers line numbers, so every content error can name its line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.errors import CorpusError, Problem


class Node(dict[str, Any]):
    """A YAML mapping that knows the line it starts on (1-based)."""

    line: int = 0


# libyaml's parser when PyYAML was built with it: the pure-Python one takes most of start-up.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """SafeLoader whose mappings are `Node`s and which rejects duplicate keys."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Node:
    result = Node()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            # PyYAML silently keeps the last duplicate; an editor would lose text without knowing.
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> object:
    """A date as YAML reads it, or its text when it is no real date (2026-02-30): PyYAML raises
    a bare ValueError there, with no line; as text, the field's reader reports it with its entry
    and line ("must be a date written YYYY-MM-DD")."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

# YAML 1.1 reads yes/no/on/off as booleans, so a Spanish negation "no" in a lexicon, or the
# country code NO, would silently become False. Only true/false are booleans here (as in YAML 1.2).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load(path: Path, shown_as: str) -> Any:
    """Parse one YAML file; a syntax error becomes a `CorpusError` naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError([Problem(shown_as, 0, "", f"cannot read file: {exc}")]) from exc
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise CorpusError([Problem(shown_as, line, "", f"YAML error: {message}")]) from exc
    except yaml.YAMLError as exc:
        raise CorpusError([Problem(shown_as, 0, "", f"YAML error: {exc}")]) from exc


def line_of(value: object, default: int = 0) -> int:
    """The line of a mapping loaded by `load`, or `default` for anything else."""
    return value.line if isinstance(value, Node) else default
