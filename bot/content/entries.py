"""Loading the entries people are answered with: passages (passages/) and checklists
(checklists/), with the checks they share (review sign-off, cited sources, translations).

Passages and checklists are validated the same way and end up side by side in the search index,
so their loaders live together, apart from the references they cite.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from bot.content.fields import Fields
from bot.content.model import (
    AUDIENCES,
    COLLECTIONS,
    LANGUAGES,
    STAGES,
    Checklist,
    Entry,
    Passage,
    Source,
)
from bot.content.quoting import QUOTE_FIELDS, paragraph_span, read_quote
from bot.content.reader import Reader
from bot.content.review import read_review
from bot.content.yamlfile import Node
from bot.errors import Problem

PASSAGE_WORDS = (60, 250)
CHECKLIST_ITEMS = (6, 15)
_E = TypeVar("_E", Passage, Checklist)


# -- passages ------------------------------------------------------------------------------


def load_passages(reader: Reader, sources: dict[str, Source]) -> list[tuple[Passage, Fields]]:
    result = []
    for path in sorted((reader.root / "passages").rglob("*.yaml")):
        document, shown = reader.read(path, None, dict)
        if not document:
            continue
        header = Fields(document, shown, reader.problems, entry="")
        header.only({"collection", "section", "language", "passages"})
        items = document.get("passages")
        if not isinstance(items, list):
            header.problem("expected a 'passages' list")
            continue
        for node in reader.entries(items, shown):
            result.append(_passage(reader, node, document, shown, sources))
    return result


def _passage(
    reader: Reader, node: Node, header: Node, shown: str, sources: dict[str, Source]
) -> tuple[Passage, Fields]:
    f = Fields(node, shown, reader.problems)
    f.only(
        {
            "id",
            "title",
            "collection",
            "section",
            "language",
            "audiences",
            "topics",
            "text",
            "sources",
            "review",
            "translation_of",
            "original_hash",
            *QUOTE_FIELDS,
        }
    )
    collection = f.choice("collection", COLLECTIONS, default=header.get("collection"))
    language = f.choice("language", LANGUAGES, default=header.get("language"))
    section = f.text("section", default=header.get("section"))
    text = f.text("text")
    words = len(text.split())
    if text and not PASSAGE_WORDS[0] <= words <= PASSAGE_WORDS[1]:
        f.problem(
            f"text has {words} words; a passage needs {PASSAGE_WORDS[0]} to {PASSAGE_WORDS[1]}"
        )
    cited = _cited(f, sources)
    quote = read_quote(f, cited)
    passage = Passage(
        id=f.identifier(COLLECTIONS[collection][1]),
        title=f.text("title"),
        collection=collection,
        section=section,
        language=language,
        audiences=f.choices("audiences", AUDIENCES),
        topics=f.text_list("topics"),
        text=text,
        sources=cited,
        review=read_review(f),
        citation="",
        file=shown,
        line=f.line,
        translation_of=f.optional_text("translation_of"),
        original_hash=f.optional_text("original_hash"),
        verbatim=quote is not None,
        paragraphs=quote.paragraphs if quote else (),
        url=quote.url if quote else None,
    )
    return passage, f


def _cited(f: Fields, sources: dict[str, Source]) -> tuple[Source, ...]:
    ids = f.node.get("sources")
    if ids is None:
        f.problem(
            "missing required field 'sources' (write [] when no public source covers the point)"
        )
        return ()
    if not isinstance(ids, list):
        f.problem("'sources' must be a list of source ids")
        return ()
    cited = []
    for source_id in ids:
        if source_id in sources:
            cited.append(sources[source_id])
        else:
            f.problem(f"source {source_id!r} is not in sources.yaml")
    return tuple(cited)


# -- checklists ----------------------------------------------------------------------------


def load_checklists(reader: Reader, sources: dict[str, Source]) -> list[tuple[Checklist, Fields]]:
    result = []
    for path in sorted((reader.root / "checklists").glob("*.yaml")):
        document, shown = reader.read(path, None, dict)
        if not document:
            continue
        Fields(document, shown, reader.problems).only({"language", "checklists"})
        items = document.get("checklists")
        if not isinstance(items, list):
            reader.problems.append(Problem(shown, 1, "", "expected a 'checklists' list"))
            continue
        for node in reader.entries(items, shown):
            f = Fields(node, shown, reader.problems)
            f.only(
                {
                    "id",
                    "title",
                    "stage",
                    "language",
                    "audiences",
                    "items",
                    "sources",
                    "review",
                    "translation_of",
                    "original_hash",
                    "topics",
                }
            )
            checklist = Checklist(
                id=f.identifier("cl-"),
                title=f.text("title"),
                stage=f.choice("stage", STAGES),
                language=f.choice("language", LANGUAGES, default=document.get("language")),
                audiences=f.choices("audiences", AUDIENCES),
                items=f.text_list(
                    "items", min_items=CHECKLIST_ITEMS[0], max_items=CHECKLIST_ITEMS[1]
                ),
                sources=_cited(f, sources),
                review=read_review(f),
                citation="",
                file=shown,
                line=f.line,
                translation_of=f.optional_text("translation_of"),
                keywords=f.text_list("topics") if "topics" in node else (),
                original_hash=f.optional_text("original_hash"),
            )
            result.append((checklist, f))
    return result


# -- across entries ------------------------------------------------------------------------


def check_translation(
    entry: Passage | Checklist, f: Fields, seen: dict[str, Fields], originals: dict[str, Entry]
) -> None:
    if isinstance(entry, Passage) and entry.verbatim:
        return  # an organisation's own text, in any language: an original (see read_quote)
    if entry.language == "en":
        if entry.translation_of:
            f.problem("an English entry cannot be a translation")
        return
    if not entry.translation_of:
        f.problem(f"a {entry.language} entry needs 'translation_of' naming its English entry")
        return
    if entry.translation_of not in seen:
        f.problem(f"translation_of {entry.translation_of!r} names no entry")
    elif entry.id != f"{entry.translation_of}.{entry.language}":
        f.problem(f"a translation's id should be {entry.translation_of}.{entry.language}")
    original = originals.get(entry.translation_of)
    if original is None:
        return
    if not entry.original_hash:
        f.problem(
            "a translation needs 'original_hash' (the English it renders); after checking it "
            f"against {original.id}, run `guidebot corpus stamp {entry.id}`"
        )
    elif entry.original_hash != original.content_hash:
        f.problem(
            f"older than its English original {original.id} (changed since: hash "
            f"{entry.original_hash} -> {original.content_hash}); update the translation, then "
            f"run `guidebot corpus stamp {entry.id}`"
        )


def with_citation(entry: _E, guide: str, section: str) -> _E:
    return replace(entry, citation=f"{guide} › {section} › {entry.title}")


def with_quote_citation(passage: Passage) -> Passage:
    """A verbatim passage is cited by the document it quotes, its section and the paragraphs:
    "<source title> › <section> › ¶ 12–13"."""
    document = passage.sources[0].title if passage.sources else ""
    span = paragraph_span(passage.paragraphs)
    return replace(passage, citation=f"{document} › {passage.section} › {span}")
