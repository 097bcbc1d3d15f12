"""The exported book's first page: what the book is, how much of the guide a reviewer has
approved, and a table per part of the guide with a link to each language's page.

A coordinator opening the folder sees at once which parts and languages are still drafts, so the
approved counts sit beside each link rather than only inside the pages.
"""

from __future__ import annotations

from bot.content.approval import approved_in_all
from bot.content.export.book import PARTS, Chapter
from bot.content.export.markup import esc, link, page
from bot.content.model import Corpus
from bot.content.texts import Texts

REQUIRED_TEXTS = (
    "export_title",
    "export_intro",
    "export_language",
    "export_entries",
    "export_approved",
    "about_approved",
    "language_name",
)
LANG = "en"  # the contents page's language; each chapter is in its own


def index_page(chapters: list[Chapter], corpus: Corpus, texts: Texts) -> str:
    title = texts.get(LANG, "export_title")
    tally = approved_in_all(corpus)
    approved = texts.get(
        LANG,
        "about_approved",
        approved=texts.number(LANG, tally.approved),
        entries=texts.number(LANG, tally.of),
    )
    body = [
        "<header>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(texts.get(LANG, 'export_intro'))}</p>",
        f'<p class="tally">{esc(approved)}</p>',
        "</header>",
        "<main>",
    ]
    for part in PARTS:
        found = [chapter for chapter in chapters if chapter.part == part]
        if found:
            body.append(_part_table(texts.get(LANG, f"guide_{part}"), found, texts))
    body.append("</main>")
    return page(LANG, title, "\n".join(body))


def _part_table(name: str, chapters: list[Chapter], texts: Texts) -> str:
    head = "".join(
        f"<th>{esc(texts.get(LANG, key))}</th>"
        for key in ("export_language", "export_entries", "export_approved")
    )
    rows = []
    for chapter in chapters:
        language = link(
            chapter.filename, texts.get(chapter.lang, "language_name"), lang=chapter.lang
        )
        tally = chapter.tally
        rows.append(
            f"<tr><td>{language}</td><td>{texts.number(LANG, tally.of)}</td>"
            f"<td>{texts.number(LANG, tally.approved)}</td></tr>"
        )
    return (
        f"<section>\n<h2>{esc(name)}</h2>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</section>"
    )
