"""`import_document`: one document in, one passage file (and perhaps a new source) out, checked.

The steps are the modules of this package in turn: read the format, find the numbered
paragraphs, fit them to the passage length, propose titles and topics, write. Everything that
can be wrong with the request is checked before a file is touched, and the corpus is loaded
again afterwards: when the new file would not pass `corpus check`, the folder is put back as it
was and the import fails, so an import either leaves a valid corpus or changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.content.importing import topics, writing
from bot.content.importing.document import Document
from bot.content.importing.from_docx import read_docx
from bot.content.importing.from_pdf import read_pdf
from bot.content.importing.from_text import read_markdown, read_plain_text
from bot.content.importing.paragraphs import numbered_paragraphs
from bot.content.importing.sizing import fit
from bot.content.load import load_corpus
from bot.content.model import AUDIENCES, COLLECTIONS, LANGUAGES
from bot.content.reader import Reader
from bot.content.wordlists import load_stopwords
from bot.errors import (
    CorpusError,
    DocumentImportError,
    NoParagraphsError,
    OutputExistsError,
    UnknownCollectionError,
    UnknownLanguageError,
    UnreadableDocumentError,
)
from bot.search.analysis import Analyzer

READERS: dict[str, Callable[[Path], Document]] = {
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".txt": read_plain_text,
}
SCRIPTS = {"ru": "CYRILLIC", "ar": "ARABIC"}  # the others are written in Latin letters
_SOURCE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://\S+$")
_ENTRY_ID = re.compile(r"^\s*-\s*id:\s*[\"']?([^\s\"']+)", re.M)


@dataclass(frozen=True)
class ImportRequest:
    """What `guidebot corpus import` was asked to do."""

    file: Path
    into: Path
    source: str
    collection: str
    title: str | None = None
    url: str | None = None
    language: str = "en"
    audiences: tuple[str, ...] = AUDIENCES
    publisher: str | None = None
    year: int | None = None
    force: bool = False


@dataclass
class ImportReport:
    """What an import wrote and what it left out, for the person who ran it."""

    output: Path
    passages: int
    paragraphs: list[str]
    source_added: bool
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_document(request: ImportRequest) -> ImportReport:
    """Import `request.file` into the corpus folder `request.into`; raise a
    `DocumentImportError` with a one-line reason when it cannot."""
    _check(request)
    output = request.into / "passages" / request.collection / f"{request.source}.yaml"
    if output.exists() and not request.force:
        raise OutputExistsError(f"{output} already exists; add --force to replace it")
    if output.exists() and not output.read_text(encoding="utf-8").startswith(writing.HEADER):
        raise OutputExistsError(
            f"{output} was not written by corpus import, and --force replaces only an import; "
            "choose another --source"
        )
    reader = READERS.get(request.file.suffix.lower())
    if reader is None:
        raise UnreadableDocumentError(
            f"{request.file.name}: cannot import this kind of file (.pdf, .docx, .md or .txt)"
        )
    if not request.file.is_file():
        raise UnreadableDocumentError(f"{request.file} not found")
    document = reader(request.file)
    _check_script(document, request.language)
    known = _sources(request.into)
    title = request.title or known.get(request.source) or document.title
    if not title:
        raise DocumentImportError("the document names no title; give one with --title")
    found = numbered_paragraphs(document, untitled=title)
    if not found.paragraphs:
        raise NoParagraphsError(_no_paragraphs(request.file, document))
    pieces = fit(found.paragraphs)
    target = writing.Target(
        request.collection,
        COLLECTIONS[request.collection][1],
        request.language,
        request.source,
        request.audiences,
        request.url,
    )
    _check_ids_free(request.into, output, writing.passage_ids(pieces, target))
    analyzer = Analyzer(request.language, _stopwords(request.into).get(request.language, ()))
    texts = [piece.text for piece in pieces]
    proposed = topics.propose(texts, [writing.title_of(text) for text in texts], analyzer)
    files = {output: writing.passage_file(pieces, proposed, target, request.file.name)}
    if request.source not in known:
        sources = request.into / "sources.yaml"
        files[sources] = writing.sources_with(
            sources.read_text(encoding="utf-8"), _source(request, title)
        )
    report = ImportReport(
        output,
        len(pieces),
        [p.number.label for p in found.paragraphs],
        request.source not in known,
        found.skipped,
        list(document.notes),
    )
    report.notes += _write_checked(request.into, files)
    return report


def _check(request: ImportRequest) -> None:
    if request.collection not in COLLECTIONS:
        raise UnknownCollectionError(
            f"no collection {request.collection!r}; choose one of: {', '.join(COLLECTIONS)}"
        )
    if request.language not in LANGUAGES:
        raise UnknownLanguageError(
            f"no language {request.language!r} in the corpus; choose one of: {', '.join(LANGUAGES)}"
        )
    if not _SOURCE_ID.match(request.source):
        raise DocumentImportError(
            f"source id {request.source!r} should be lowercase letters, digits and '-'"
        )
    if request.url is not None and not _URL.match(request.url):
        raise DocumentImportError(f"--url {request.url!r} should start with https:// or http://")
    unknown = sorted(set(request.audiences) - set(AUDIENCES))
    if unknown or not request.audiences:
        raise DocumentImportError(f"audiences must be some of: {', '.join(AUDIENCES)}")
    if not (request.into / "sources.yaml").is_file() or not (request.into / "passages").is_dir():
        raise DocumentImportError(
            f"{request.into} is not a corpus folder (no sources.yaml and passages/); "
            "copy the bundled corpus there first"
        )


def _check_script(document: Document, language: str) -> None:
    """Refuse a Russian document imported as English: its passages would never be found."""
    letters = [c for block in document.blocks for c in block.text if c.isalpha()][:20_000]
    scripts = Counter(unicodedata.name(c, "UNKNOWN").split(" ")[0] for c in letters)
    expected = SCRIPTS.get(language, "LATIN")
    if letters and scripts[expected] < len(letters) / 2:
        found = scripts.most_common(1)[0][0].title()
        raise UnknownLanguageError(
            f"--lang {language} is written in {expected.title()} letters but the document is "
            f"mostly in {found}; give its language with --lang"
        )


def _no_paragraphs(file: Path, document: Document) -> str:
    reason = f"{file.name} has no numbered paragraphs (12., 12), (12), § 12 or 1.2.3 opening one)"
    return "; ".join([reason, *document.notes])


def _sources(into: Path) -> dict[str, str]:
    """The sources already listed: id -> title."""
    try:
        items = yaml.safe_load((into / "sources.yaml").read_text(encoding="utf-8"))["sources"]
        return {str(item["id"]): str(item.get("title", "")) for item in items}
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise DocumentImportError(f"cannot read {into / 'sources.yaml'}: {exc}") from exc


def _stopwords(into: Path) -> dict[str, frozenset[str]]:
    reader = Reader(into)
    return load_stopwords(reader) if (into / "stopwords.yaml").is_file() else {}


def _source(request: ImportRequest, title: str) -> dict[str, Any]:
    source: dict[str, Any] = {
        "id": request.source,
        "title": title,
        "publisher": request.publisher or title,
    }
    if request.year is not None:
        source["year"] = request.year
    if request.url:
        source["url"] = request.url
    source["covers"] = (
        f"The organisation's own document ({request.file.name}), imported word for word: each "
        "passage citing it quotes the numbered paragraphs it names."
    )
    return source


def _check_ids_free(into: Path, output: Path, ids: list[str]) -> None:
    wanted = set(ids)
    for path in sorted((into / "passages").rglob("*.yaml")):
        if path.resolve() == output.resolve():
            continue
        taken = wanted & set(_ENTRY_ID.findall(path.read_text(encoding="utf-8")))
        if taken:
            raise DocumentImportError(
                f"{', '.join(sorted(taken))} already used in {path}; choose another --source"
            )


def _write_checked(into: Path, files: dict[Path, str]) -> list[str]:
    """Write `files`, load the corpus, and put everything back if a new file has a problem.
    Returns a note about problems the corpus had already, elsewhere."""
    before = {path: path.read_text(encoding="utf-8") if path.exists() else None for path in files}
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    try:
        load_corpus(into)
    except CorpusError as exc:
        names = {str(Path(into.name) / path.relative_to(into)) for path in files}
        ours = [p for p in exc.problems if p.file in names]
        if not ours:
            return [
                f"the corpus already had {len(exc.problems)} problem(s) elsewhere: run corpus check"
            ]
        for path, old in before.items():
            if old is None:
                path.unlink()
            else:
                path.write_text(old, encoding="utf-8")
        more = f" (and {len(ours) - 1} more)" if len(ours) > 1 else ""
        raise DocumentImportError(
            f"nothing written: the result would not pass corpus check: {ours[0]}{more}"
        ) from exc
    return []
