"""`guidebot corpus export --html DIR [--force]`: the command line of the book export.

The edge: it loads and validates the corpus (a corpus with problems is not exported: a reviewer
must not sign off a page the bot would refuse to load), writes the book, and turns an
`ExportError` into one line on stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.content import load_corpus
from bot.content.approval import approved_in_all
from bot.content.export.writing import export_html
from bot.errors import ExportError
from bot.paths import default_corpus_dir


def add_parser(commands: Any) -> None:
    """Add `export` to the `corpus` subcommands (`commands` is argparse's subparsers object)."""
    cmd = commands.add_parser(
        "export", help="write the whole corpus as a printable book (HTML) for reviewers"
    )
    cmd.add_argument(
        "--html",
        type=Path,
        required=True,
        metavar="DIR",
        help="the folder to write the book into (created if missing; must be empty)",
    )
    cmd.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty, replacing files of the same name",
    )


def run(args: argparse.Namespace) -> int:
    corpus = load_corpus(args.corpus or default_corpus_dir())
    try:
        written = export_html(corpus, args.html, force=args.force)
    except ExportError as exc:
        print(f"guidebot: cannot export: {exc}", file=sys.stderr)
        return 1
    tally = approved_in_all(corpus)
    pages = sum(path.suffix == ".html" for path in written) - 1
    print(f"Wrote the book to {args.html}: a contents page and {pages} pages, one per part")
    print(f"and language; {tally.approved} of {tally.of} entries approved by a reviewer.")
    print(f"Open {written[0]} in a browser, or print any page.")
    return 0
