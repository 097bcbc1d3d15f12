"""Loading how people ask for each entry (corpus/asked/<lang>.yaml), for the search only.

A passage says "sleep disturbance after a raid"; the defender types "cant sleep since they came
to the house". BM25 only finds what shares words, so each entry carries, per language, a few
messages people of its audience would send for it, written by helpers who read the entry but
never the question sets the search is measured on. They are indexed as one more field of the
entry (`bot.search.language_index`) and never shown: they are not guidance, so they need no
source and no reviewer's sign-off, only to be ordinary questions (never a crisis message).
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.content.model import LANGUAGES
from bot.content.reader import Reader
from bot.content.yamlfile import line_of
from bot.errors import Problem

# language -> English entry id -> the messages
Asked = Mapping[str, Mapping[str, tuple[str, ...]]]


def load_asked(reader: Reader, entry_ids: set[str]) -> dict[str, dict[str, tuple[str, ...]]]:
    """Each language's messages per English entry id; problems name file, line and entry (an
    id that names no English entry, a message that is not text, a file for another language)."""
    folder = reader.root / "asked"
    result: dict[str, dict[str, tuple[str, ...]]] = {}
    if not folder.is_dir():
        return result
    for path in sorted(folder.glob("*.yaml")):
        document, shown = reader.read(path, None, dict)
        lang = str(document.get("language", ""))
        if lang not in LANGUAGES or path.stem != lang:
            reader.problems.append(
                Problem(shown, line_of(document, 1), "", f"language {lang!r} is not {path.stem!r}")
            )
            continue
        items = document.get("asked")
        if not isinstance(items, list):
            reader.problems.append(
                Problem(shown, line_of(document, 1), "", "expected an `asked` list of entries")
            )
            continue
        table: dict[str, tuple[str, ...]] = {}
        for index, node in enumerate(items):
            entry_id = str(node.get("entry", "")) if isinstance(node, dict) else ""
            messages = node.get("messages") if isinstance(node, dict) else None
            where, name = line_of(node), entry_id or f"#{index + 1}"
            if entry_id not in entry_ids:
                reader.problems.append(Problem(shown, where, name, "no English entry has this id"))
            elif entry_id in table:
                reader.problems.append(Problem(shown, where, name, "entry listed twice"))
            elif not (
                isinstance(messages, list)
                and messages
                and all(isinstance(m, str) and m.strip() for m in messages)
            ):
                reader.problems.append(
                    Problem(shown, where, name, "`messages` is a list of messages (text)")
                )
            else:
                table[entry_id] = tuple(m.strip() for m in messages)
        result[lang] = table
    return result
