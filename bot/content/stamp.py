"""`guidebot corpus stamp`: record in a translation which English text it renders.

A translation carries `original_hash`, the content hash of its English original's title and
text (`bot.content.model.content_hash`). When the English changes, `corpus check` fails on every
translation of it until a translator has brought the translation up to date and stamped it
again. Stamping is a text edit of the YAML files (one line per entry, after `translation_of`),
so comments and layout stay as the translators wrote them; it reads the files directly, because
a corpus with stale translations does not load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from bot.content.model import content_hash

_ENTRY = re.compile(r"^(\s*)- id:\s*(\S+)\s*$")
_TRANSLATION = re.compile(r"^(\s*)translation_of:\s*(\S+)\s*$")
_HASH = re.compile(r"^\s*original_hash:")


def english_hashes(root: Path) -> dict[str, str]:
    """The content hash of every English passage and checklist under corpus folder `root`."""
    hashes: dict[str, str] = {}
    for path in sorted(root.glob("passages/*/*.yaml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("passages", []):
            hashes[str(item["id"])] = content_hash(str(item["title"]), str(item["text"]))
    for path in sorted(root.glob("checklists/*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if document.get("language", "en") != "en":
            continue
        for item in document.get("checklists", []):
            items = [str(i) for i in item["items"]]
            hashes[str(item["id"])] = content_hash(str(item["title"]), *items)
    return hashes


def stamp(root: Path, ids: Iterable[str] = (), lang: str | None = None) -> list[str]:
    """Write `original_hash` into the translations named by `ids` (translation ids), or into
    every translation of `lang`, or into every translation when neither is given. Returns the
    ids stamped."""
    wanted = set(ids)
    hashes = english_hashes(root)
    stamped: list[str] = []
    files = [*root.glob("passages/*/*/*.yaml"), *root.glob("checklists/*.*.yaml")]
    for path in sorted(files):
        blocks: list[list[str]] = [[]]
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if _ENTRY.match(line):
                blocks.append([])
            blocks[-1].append(line)
        out: list[str] = []
        for block in blocks:
            out += _stamped(block, hashes, wanted, lang, stamped)
        path.write_text("".join(out), encoding="utf-8")
    return stamped


def _stamped(
    block: list[str],
    hashes: dict[str, str],
    wanted: set[str],
    lang: str | None,
    stamped: list[str],
) -> list[str]:
    """One entry's lines, with its stamp written (or left alone when not chosen)."""
    head = _ENTRY.match(block[0]) if block else None
    entry = head.group(2).strip("\"'") if head else None
    found = [(i, m) for i, line in enumerate(block) if (m := _TRANSLATION.match(line))]
    if entry is None or not found:
        return block
    index, original = found[0]
    base = original.group(2).strip("\"'")
    chosen = entry in wanted if wanted else lang is None or entry.endswith(f".{lang}")
    if base not in hashes or not chosen:
        return block
    lines = [line for line in block if not _HASH.match(line)]
    at = lines.index(block[index]) + 1
    lines.insert(at, f"{original.group(1)}original_hash: {hashes[base]}\n")
    stamped.append(entry)
    return lines
