"""Writing the book into a folder: the contents page, one page per part and language, and the
stylesheet, all side by side so that the folder works from anywhere.

A folder that already holds files is written into only when asked (--force): it may be someone's
documents, or a book a reviewer has been annotating.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bot.content.export import contents, pages
from bot.content.export.book import INDEX, chapters
from bot.content.export.markup import STYLESHEET
from bot.content.model import Corpus
from bot.content.texts import Texts
from bot.errors import CorpusError, ExportError, FolderNotEmptyError, Problem

REQUIRED_TEXTS = tuple(sorted({*pages.REQUIRED_TEXTS, *contents.REQUIRED_TEXTS}))


def export_html(corpus: Corpus, folder: Path, *, force: bool = False) -> list[Path]:
    """Write the whole corpus as a book into `folder` (created if missing); return the files
    written, the contents page first. Raises `FolderNotEmptyError` for a folder with files in it
    unless `force`, `ExportError` when it cannot be written, and `CorpusError` when the corpus
    lacks an interface text the book needs (a corpus copied before the book existed)."""
    _check_texts(corpus)
    _check_folder(folder, force)
    texts = Texts(corpus.texts)
    book = chapters(corpus, texts)
    files = {
        INDEX: contents.index_page(book, corpus, texts),
        **{chapter.filename: pages.chapter_page(chapter, corpus, texts) for chapter in book},
        STYLESHEET: resources.files(__package__).joinpath(STYLESHEET).read_text("utf-8"),
    }
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = folder / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise ExportError(f"cannot write into {folder}: {exc.strerror or exc}") from exc
    return written


def _check_folder(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file, not a folder")
    if folder.is_dir() and not force and any(folder.iterdir()):
        raise FolderNotEmptyError(
            f"{folder} is not empty; choose an empty or new folder, or add --force to write "
            "into it (files of the same name are replaced, others are left as they are)"
        )


def _check_texts(corpus: Corpus) -> None:
    english = corpus.texts.get("en", {})
    missing = [key for key in REQUIRED_TEXTS if key not in english]
    if missing:
        shown = f"{Path(corpus.root).name}/ui/en.yaml"
        needed = "an interface text the exported book needs is missing"
        raise CorpusError([Problem(shown, 0, key, needed) for key in missing])
