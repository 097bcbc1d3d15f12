"""Load a corpus folder and validate all of it, reporting every problem with file and line."""

from __future__ import annotations

import re
import string
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from bot.content.fields import Fields
from bot.content.model import (
    AUDIENCES,
    CATEGORIES,
    COLLECTIONS,
    LANGUAGES,
    REVIEW_STATES,
    STAGES,
    Checklist,
    Corpus,
    Passage,
    Resource,
    Source,
)
from bot.content.yamlfile import Node, line_of, load
from bot.errors import CorpusError, Problem

PASSAGE_WORDS = (60, 250)
CHECKLIST_ITEMS = (6, 15)
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANG = re.compile(r"^[a-z]{2}$")
_E = TypeVar("_E", Passage, Checklist)


class _Loader:
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

    # -- sources ---------------------------------------------------------------------------

    def sources(self) -> dict[str, Source]:
        items, shown = self.read(self.root / "sources.yaml", "sources")
        result: dict[str, Source] = {}
        for node in self.entries(items, shown):
            f = Fields(node, shown, self.problems)
            f.only({"id", "title", "publisher", "year", "url", "covers"})
            source_id = f.identifier()
            year = node.get("year")
            if year is not None and not isinstance(year, int):
                f.problem("'year' must be a whole number")
                year = None
            source = Source(
                id=source_id,
                title=f.text("title"),
                publisher=f.text("publisher"),
                covers=f.text("covers"),
                year=year,
                url=f.optional_text("url"),
            )
            if source_id in result:
                f.problem(f"duplicate source id {source_id!r}")
            result[source_id] = source
        return result

    # -- passages --------------------------------------------------------------------------

    def passages(self, sources: dict[str, Source]) -> list[tuple[Passage, Fields]]:
        result = []
        for path in sorted((self.root / "passages").rglob("*.yaml")):
            document, shown = self.read(path, None, dict)
            if not document:
                continue
            header = Fields(document, shown, self.problems, entry="")
            header.only({"collection", "section", "language", "passages"})
            items = document.get("passages")
            if not isinstance(items, list):
                header.problem("expected a 'passages' list")
                continue
            for node in self.entries(items, shown):
                result.append(self.passage(node, document, shown, sources))
        return result

    def passage(
        self, node: Node, header: Node, shown: str, sources: dict[str, Source]
    ) -> tuple[Passage, Fields]:
        f = Fields(node, shown, self.problems)
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
                "reviewed_by",
                "reviewed_on",
                "translation_of",
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
        self.review(f)
        passage = Passage(
            id=f.identifier(COLLECTIONS[collection][1]),
            title=f.text("title"),
            collection=collection,
            section=section,
            language=language,
            audiences=f.choices("audiences", AUDIENCES),
            topics=f.text_list("topics"),
            text=text,
            sources=self.cited(f, sources),
            review=f.choice("review", REVIEW_STATES),
            citation="",
            file=shown,
            line=f.line,
            translation_of=f.optional_text("translation_of"),
        )
        return passage, f

    def review(self, f: Fields) -> None:
        if f.node.get("review") == "reviewed":
            f.text("reviewed_by")
            f.date("reviewed_on")

    def cited(self, f: Fields, sources: dict[str, Source]) -> tuple[Source, ...]:
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

    # -- checklists ------------------------------------------------------------------------

    def checklists(self, sources: dict[str, Source]) -> list[tuple[Checklist, Fields]]:
        result = []
        for path in sorted((self.root / "checklists").glob("*.yaml")):
            document, shown = self.read(path, None, dict)
            if not document:
                continue
            Fields(document, shown, self.problems).only({"language", "checklists"})
            items = document.get("checklists")
            if not isinstance(items, list):
                self.problems.append(Problem(shown, 1, "", "expected a 'checklists' list"))
                continue
            for node in self.entries(items, shown):
                f = Fields(node, shown, self.problems)
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
                        "reviewed_by",
                        "reviewed_on",
                        "translation_of",
                        "topics",
                    }
                )
                self.review(f)
                checklist = Checklist(
                    id=f.identifier("cl-"),
                    title=f.text("title"),
                    stage=f.choice("stage", STAGES),
                    language=f.choice("language", LANGUAGES, default=document.get("language")),
                    audiences=f.choices("audiences", AUDIENCES),
                    items=f.text_list(
                        "items", min_items=CHECKLIST_ITEMS[0], max_items=CHECKLIST_ITEMS[1]
                    ),
                    sources=self.cited(f, sources),
                    review=f.choice("review", REVIEW_STATES),
                    citation="",
                    file=shown,
                    line=f.line,
                    translation_of=f.optional_text("translation_of"),
                    keywords=f.text_list("topics") if "topics" in node else (),
                )
                result.append((checklist, f))
        return result

    # -- resources -------------------------------------------------------------------------

    def resources(self) -> list[Resource]:
        items, shown = self.read(self.root / "resources.yaml", "resources")
        result = []
        for node in self.entries(items, shown):
            f = Fields(node, shown, self.problems)
            f.only(
                {
                    "id",
                    "name",
                    "offers",
                    "contact",
                    "languages",
                    "hours",
                    "categories",
                    "countries",
                    "source_url",
                    "checked",
                    "certainty",
                    "note",
                }
            )
            contact = node.get("contact")
            if not isinstance(contact, dict) or not contact:
                f.problem("'contact' must give at least one of phone, email, url")
                contact = {}
            for key in contact:
                if key not in ("phone", "email", "url"):
                    f.problem(f"unknown contact field {key!r} (allowed: phone, email, url)")
            languages = f.text_list("languages", min_items=0)
            for lang in languages:
                if not _LANG.match(lang):
                    f.problem(f"language {lang!r} should be a two-letter code such as 'en'")
            countries = f.text_list("countries")
            for country in countries:
                if country != "international" and not _COUNTRY.match(country):
                    f.problem(
                        f"country {country!r} should be 'international' or a two-letter "
                        "code such as 'FR'"
                    )
            result.append(
                Resource(
                    id=f.identifier("res-"),
                    name=f.text("name"),
                    offers=f.text("offers"),
                    languages=languages,
                    hours=f.optional_text("hours"),
                    categories=f.choices("categories", CATEGORIES),
                    countries=countries,
                    source_url=f.text("source_url"),
                    checked=f.date("checked"),
                    certainty=f.choice("certainty", ("confirmed", "unconfirmed")),
                    phone=_contact(contact, "phone"),
                    email=_contact(contact, "email"),
                    url=_contact(contact, "url"),
                )
            )
        return result

    # -- language data ---------------------------------------------------------------------

    def per_language(self, name: str) -> tuple[dict[str, Any], str]:
        document, shown = self.read(self.root / name, None, dict)
        for lang in document:
            if lang not in LANGUAGES:
                self.problems.append(
                    Problem(shown, line_of(document), str(lang), f"unknown language {lang!r}")
                )
        return document, shown

    def synonyms(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        document, shown = self.per_language("synonyms.yaml")
        result = {}
        for lang, groups in document.items():
            good = []
            for index, group in enumerate(groups if isinstance(groups, list) else [None]):
                if (
                    not isinstance(group, list)
                    or len(group) < 2
                    or not all(isinstance(w, str) and w.strip() for w in group)
                ):
                    self.problems.append(
                        Problem(
                            shown,
                            0,
                            f"{lang} #{index + 1}",
                            "a synonym group is a list of two or more words",
                        )
                    )
                    continue
                good.append(tuple(w.strip() for w in group))
            result[str(lang)] = tuple(good)
        return result

    def stopwords(self) -> dict[str, frozenset[str]]:
        document, shown = self.per_language("stopwords.yaml")
        result = {}
        for lang, words in document.items():
            if not isinstance(words, str):
                self.problems.append(
                    Problem(
                        shown, 0, str(lang), "stopwords are one block of words separated by spaces"
                    )
                )
                continue
            result[str(lang)] = frozenset(words.split())
        return result

    def texts(self) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for path in sorted((self.root / "ui").glob("*.yaml")):
            lang = path.stem
            document, shown = self.read(path, None, dict)
            if lang not in LANGUAGES:
                self.problems.append(Problem(shown, 0, "", f"unknown language {lang!r}"))
                continue
            strings = {}
            for key, value in document.items():
                if not isinstance(value, str) or not value.strip():
                    self.problems.append(
                        Problem(shown, line_of(document), str(key), "each text must be non-empty")
                    )
                    continue
                strings[str(key)] = value.strip()
            result[lang] = strings
        self.check_text_parity(result)
        return result

    def check_text_parity(self, texts: dict[str, dict[str, str]]) -> None:
        reference = texts.get("en")
        if reference is None:
            self.problems.append(
                Problem(
                    f"{self.root.name}/ui/en.yaml", 0, "", "the English interface texts are missing"
                )
            )
            return
        for lang, strings in texts.items():
            shown = f"{self.root.name}/ui/{lang}.yaml"
            for key in reference.keys() - strings.keys():
                self.problems.append(Problem(shown, 0, key, "text missing in this language"))
            for key in strings.keys() - reference.keys():
                self.problems.append(Problem(shown, 0, key, "text not in the English file"))
            for key in reference.keys() & strings.keys():
                if _placeholders(reference[key]) != _placeholders(strings[key]):
                    self.problems.append(
                        Problem(
                            shown,
                            0,
                            key,
                            f"placeholders {sorted(_placeholders(strings[key]))} differ from "
                            f"English {sorted(_placeholders(reference[key]))}",
                        )
                    )


def _contact(contact: dict[str, Any], key: str) -> str | None:
    value = contact.get(key)
    return str(value).strip() if value else None


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def load_corpus(root: Path) -> Corpus:
    """Load and validate the corpus at `root`; raise `CorpusError` listing every problem."""
    loader = _Loader(root)
    if not root.is_dir():
        raise CorpusError([Problem(str(root), 0, "", "corpus folder not found")])
    sources = loader.sources()
    texts = loader.texts()
    passages = loader.passages(sources)
    checklists = loader.checklists(sources)
    resources = loader.resources()
    synonyms = loader.synonyms()
    stopwords = loader.stopwords()

    def text(lang: str, key: str) -> str:
        return texts.get(lang, {}).get(key) or texts.get("en", {}).get(key) or key

    seen: dict[str, Fields] = {}
    pairs: list[tuple[Passage | Checklist, Fields]] = [*passages, *checklists]
    for entry, f in pairs:
        if entry.id in seen:
            f.problem(
                f"id {entry.id!r} is already used at line {seen[entry.id].line} of "
                f"{seen[entry.id].file}"
            )
        seen[entry.id] = f
    for entry, f in pairs:
        _check_translation(entry, f, seen)
    for resource in resources:
        if resource.id in seen:
            loader.problems.append(Problem("resources.yaml", 0, resource.id, "id already used"))

    built_passages = tuple(
        _with_citation(p, text(p.language, f"guide_{p.collection}"), p.section) for p, _ in passages
    )
    # A checklist is also found by its stage's name and the word for "checklists" in its own
    # language (the interface texts), not only by English ones.
    built_checklists = tuple(
        _with_citation(
            replace(
                c,
                keywords=(
                    *c.keywords,
                    text(c.language, "guide_checklists"),
                    text(c.language, f"stage_{c.stage}"),
                ),
            ),
            text(c.language, "guide_checklists"),
            text(c.language, f"stage_{c.stage}"),
        )
        for c, _ in checklists
    )
    if loader.problems:
        raise CorpusError(loader.problems)
    return Corpus(
        passages=built_passages,
        checklists=built_checklists,
        resources=tuple(resources),
        sources=sources,
        synonyms=synonyms,
        texts=texts,
        stopwords=stopwords,
        root=str(root),
    )


def _check_translation(entry: Passage | Checklist, f: Fields, seen: dict[str, Fields]) -> None:
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


def _with_citation(entry: _E, guide: str, section: str) -> _E:
    return replace(entry, citation=f"{guide} › {section} › {entry.title}")
