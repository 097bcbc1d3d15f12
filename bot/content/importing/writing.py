"""Writing an import into a corpus folder: one passage file in the corpus's own format and, for
a document not cited before, its entry in sources.yaml.

The passage file is written whole (it belongs to the import: `--force` replaces it); sources.yaml
belongs to the editors, so the new source is appended as text and every comment stays in place.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from bot.content.importing.numbering import paragraph_number
from bot.content.importing.sizing import Piece
from bot.errors import DocumentImportError

HEADER = "# Imported by `guidebot corpus import`"  # how --force knows a file it may replace
TITLE_WORDS = 12  # a first sentence this short is the title; else its first words are
TITLE_START = 8
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?…؟。:])(?:\s|$)")


@dataclass(frozen=True)
class Target:
    """Where imported passages go and what they say about themselves."""

    collection: str
    prefix: str  # the collection's id prefix, e.g. "pr-"
    language: str
    source: str
    audiences: tuple[str, ...]
    url: str | None


class _Literal(str):
    """A text written as a YAML block (`|`), as editors write passages."""

    __slots__ = ()


class _Flow(list[str]):
    """A short list written on one line, `[a, b]`, as editors write audiences and topics."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    """Lists indented under their key, as the corpus files are, and no anchors."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


_Dumper.add_representer(
    _Flow, lambda dumper, items: dumper.represent_sequence("tag:yaml.org,2002:seq", items, True)
)
_Dumper.add_representer(
    _Literal, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
)


def dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )


def title_of(text: str) -> str:
    """A passage's title from its own words: its first sentence when short, else its first
    words (after any paragraph number)."""
    first_line = text.split("\n", 1)[0]
    number = paragraph_number(first_line)
    body = first_line.split(None, 1)[1] if number is not None else first_line
    sentence = _FIRST_SENTENCE.match(body)
    if sentence and len(sentence.group(1).split()) <= TITLE_WORDS:
        return sentence.group(1).rstrip(".:;")
    words = body.split()
    return " ".join(words[:TITLE_START]) + (" …" if len(words) > TITLE_START else "")


def passage_ids(pieces: Sequence[Piece], target: Target) -> list[str]:
    """Stable ids from the paragraph numbers: pr-acme-p12, pr-acme-p12-p13 when joined, and
    pr-acme-p12-1, pr-acme-p12-2 for the parts of a paragraph cut in two."""
    bases = []
    for piece in pieces:
        first, last = (label.replace(".", "-") for label in (piece.labels[0], piece.labels[-1]))
        span = f"p{first}" if first == last else f"p{first}-p{last}"
        bases.append(f"{target.prefix}{target.source}-{span}")
    seen: dict[str, int] = {}
    ids = []
    for base in bases:
        if bases.count(base) == 1:
            ids.append(base)
            continue
        seen[base] = seen.get(base, 0) + 1
        ids.append(f"{base}-{seen[base]}")
    return ids


def passage_file(
    pieces: Sequence[Piece], topics: Sequence[list[str]], target: Target, origin: str
) -> str:
    """The YAML of the passages, with a comment saying where they came from."""
    entries = []
    for entry_id, piece, proposed in zip(passage_ids(pieces, target), pieces, topics, strict=True):
        entry: dict[str, Any] = {
            "id": entry_id,
            "title": title_of(piece.text),
            "section": " / ".join(piece.sections),
            "audiences": _Flow(target.audiences),
            "topics": _Flow(proposed or [piece.sections[0]]),
            "text": _Literal(piece.text + "\n"),
            "sources": _Flow([target.source]),
            "verbatim": True,
            "paragraphs": _Flow(piece.labels),
        }
        if target.url:
            entry["url"] = target.url
        entry["review"] = "draft"
        entries.append(entry)
    header = (
        f"{HEADER} from {origin} on {dt.date.today().isoformat()}.\n"
        "# The text is the organisation's own, quoted word for word (verbatim: true): correct the\n"
        "# document and import it again with --force rather than editing it here. Titles and\n"
        "# topics are proposals; every passage stays a draft until a reviewer has read it against\n"
        "# the document (corpus/README.md, 'Reviewing').\n"
    )
    body = {"collection": target.collection, "language": target.language, "passages": entries}
    return header + dump(body)


def sources_with(existing: str, source: dict[str, Any]) -> str:
    """sources.yaml's text with `source` appended to its list, comments and all kept."""
    entry = textwrap.indent(dump([source]), "  ")
    updated = existing.rstrip("\n") + "\n\n" + entry
    try:
        parsed = yaml.safe_load(updated)
    except yaml.YAMLError as exc:
        raise DocumentImportError(f"sources.yaml cannot be read: {exc}") from exc
    items = parsed.get("sources") if isinstance(parsed, dict) else None
    if not isinstance(items, list) or not items or items[-1] != source:
        raise DocumentImportError(
            "cannot append to sources.yaml (its 'sources' list is not the last thing in the "
            f"file); add this entry by hand and import again:\n{entry}"
        )
    return updated
