"""`guidebot corpus import FILE --into DIR ...`: the command line of the importer.

The edge: it turns options into an `ImportRequest`, prints what was written and what was left
out, and turns `DocumentImportError` into one line on stderr and exit status 1, never a traceback.
The importer itself is imported only when the command runs, so that `guidebot run` does not
load it at start.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.content.model import AUDIENCES, COLLECTIONS, LANGUAGES
from bot.content.quoting import paragraph_span
from bot.errors import DocumentImportError

SKIPPED_LISTED = 5


def add_parser(commands: Any) -> None:
    """Add `import` to the `corpus` subcommands (`commands` is argparse's subparsers object)."""
    cmd = commands.add_parser(
        "import",
        help="import an organisation's guidelines (PDF, DOCX, Markdown, text) as verbatim drafts",
    )
    cmd.add_argument("file", type=Path, metavar="FILE", help=".pdf, .docx, .md or .txt")
    cmd.add_argument("--into", type=Path, required=True, metavar="DIR", help="corpus folder")
    cmd.add_argument("--source", required=True, metavar="ID", help="the document's source id")
    cmd.add_argument(
        "--collection", required=True, metavar="C", help=f"one of: {', '.join(COLLECTIONS)}"
    )
    cmd.add_argument("--title", help="the document's title (default: its metadata or heading)")
    cmd.add_argument("--url", help="where the document can be read; shown with each citation")
    cmd.add_argument("--lang", default="en", help=f"its language: {', '.join(LANGUAGES)}")
    cmd.add_argument(
        "--audience",
        action="append",
        metavar="A",
        help=f"who it is for, repeatable (default: all of {', '.join(AUDIENCES)})",
    )
    cmd.add_argument("--publisher", help="for a new source (default: the title)")
    cmd.add_argument("--year", type=int, help="for a new source: the year it was published")
    cmd.add_argument("--force", action="store_true", help="replace a passage file imported before")


def run(args: argparse.Namespace) -> int:
    from bot.content.importing.importer import (  # noqa: PLC0415 - see the module docstring
        ImportRequest,
        import_document,
    )

    request = ImportRequest(
        file=args.file,
        into=args.into,
        source=args.source,
        collection=args.collection,
        title=args.title,
        url=args.url,
        language=args.lang,
        audiences=tuple(args.audience) if args.audience else AUDIENCES,
        publisher=args.publisher,
        year=args.year,
        force=args.force,
    )
    try:
        report = import_document(request)
    except DocumentImportError as exc:
        print(f"guidebot: cannot import {args.file.name}: {exc}", file=sys.stderr)
        return 1
    span = paragraph_span(tuple(report.paragraphs))
    print(
        f"Imported {len(report.paragraphs)} numbered paragraph(s) ({span}) as {report.passages} "
        f"draft passage(s): {report.output}"
    )
    if report.source_added:
        print(f"Added source {args.source!r} to {args.into / 'sources.yaml'}")
    for note in report.notes:
        print(f"Note: {note}")
    if report.skipped:
        print(f"Skipped {len(report.skipped)} unnumbered paragraph(s), having no number to cite:")
        for start in report.skipped[:SKIPPED_LISTED]:
            print(f"  {start}")
        if len(report.skipped) > SKIPPED_LISTED:
            print(f"  and {len(report.skipped) - SKIPPED_LISTED} more")
    print(f"Review them, then check: guidebot --corpus {args.into} corpus check")
    return 0
