"""Named errors of the core. Adapters translate them into messages for people."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file, located so that an editor can find it."""

    file: str
    line: int
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        entry = f" [{self.entry}]" if self.entry else ""
        return f"{where}{entry}: {self.message}"


class CorpusError(Exception):
    """The corpus or intents files are malformed; `problems` says where and how."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable, never its secret."""


class DocumentImportError(Exception):
    """`guidebot corpus import` cannot import a document; the message says why in one line."""


class UnreadableDocumentError(DocumentImportError):
    """The file cannot be read as the format its name says (damaged, encrypted, no text)."""


class NoParagraphsError(DocumentImportError):
    """The document has no numbered paragraph to import."""


class UnknownCollectionError(DocumentImportError):
    """The collection named is not one the corpus has."""


class UnknownLanguageError(DocumentImportError):
    """The language named is not one the corpus has, or not the document's script."""


class OutputExistsError(DocumentImportError):
    """The passage file would replace one already there, and --force was not given."""


class MissingExtraError(DocumentImportError):
    """Reading the format needs a package of the `import` extra that is not installed."""


class ExportError(Exception):
    """`guidebot corpus export` cannot write the book; the message says why in one line."""


class FolderNotEmptyError(ExportError):
    """The folder already holds files, and --force was not given."""
