"""Answering a question from the corpus: search, the passage trimmed for a phone, its citation.

Plain functions over the `Library`; crisis handling happens before any of this is called
(`bot.core.turn`), and nothing here can hold up a crisis reply.
"""

from __future__ import annotations

from bot.content import Checklist, Entry, Passage
from bot.core.library import Library
from bot.core.prefs import Prefs
from bot.core.reply import Attachment, Block, Button, Reply, Style
from bot.core.sessions import Session
from bot.search.index import Hit
from bot.utterance import Utterance

PREVIEW_CHARS = 520
RESULTS_KEPT = 8


def search(
    library: Library, message: Utterance, lang: str, role: str | None
) -> tuple[list[Hit], str | None]:
    """Hits in `lang`, or in English with a note saying so when `lang` has none."""
    hits = library.index.search(message, lang=lang, audience=role, k=RESULTS_KEPT)
    if hits or lang == "en":
        return hits, None
    hits = library.index.search(message, lang="en", audience=role, k=RESULTS_KEPT)
    return hits, library.texts.get(lang, "fallback_note") if hits else None


def answer(
    library: Library, message: Utterance, prefs: Prefs, session: Session, lang: str
) -> Reply:
    """The best passage for a question, or a kind "no answer" with the menus."""
    hits, note = search(library, message, lang, prefs.role)
    if not hits:
        return no_answer(library, lang)
    session.results = tuple(hit.entry.id for hit in hits)
    return render(library, hits[0].entry, lang, note=note)


def render(
    library: Library, entry: Entry, lang: str, *, full: bool = False, note: str | None = None
) -> Reply:
    """A passage (trimmed for a phone unless `full`) or a checklist, with its citation."""
    t = library.texts
    blocks: list[Block] = [Block(note, Style.NOTE)] if note else []
    blocks.append(Block(entry.title, Style.TITLE))
    trimmed = False
    if isinstance(entry, Passage):
        body, trimmed = (entry.text, False) if full else preview(entry.text)
        blocks.append(Block(body))
    else:
        blocks += [Block(item, Style.ITEM) for item in entry.items]
    blocks.append(Block(entry.citation, Style.CITATION))
    sources = ", ".join(s.short for s in entry.sources)
    blocks.append(
        Block(
            t.get(lang, "sources", sources=sources) if sources else t.get(lang, "no_sources"),
            Style.NOTE,
        )
    )
    first_row = [Button(t.get(lang, "button_more"), "more", entry.id)]
    if trimmed:
        first_row.append(Button(t.get(lang, "button_full"), "full", entry.id))
    if isinstance(entry, Checklist):
        first_row.append(Button(t.get(lang, "checklist_file"), "file", entry.id))
    buttons = (
        tuple(first_row),
        (
            Button(t.get(lang, "button_vote_up"), "vote", f"{entry.id}:up"),
            Button(t.get(lang, "button_vote_down"), "vote", f"{entry.id}:down"),
        ),
    )
    kind = "checklist" if isinstance(entry, Checklist) else "answer"
    return Reply(tuple(blocks), kind, lang, buttons, entry_ids=(entry.id,))


def entry(library: Library, entry_id: str, prefs: Prefs, *, full: bool = False) -> Reply:
    """One passage or checklist by id, in the user's language where translated."""
    found = library.corpus.localized(entry_id, prefs.lang)
    if found is None:
        return info(library, prefs.lang, "unknown_entry")
    note = None
    if found.language != prefs.lang:
        note = library.texts.get(prefs.lang, "fallback_note")
    return render(library, found, prefs.lang, full=full, note=note)


def more(library: Library, entry_id: str, prefs: Prefs, session: Session | None = None) -> Reply:
    """The next result after `entry_id` for the last question, or passages like it."""
    base = library.corpus.entry(entry_id)
    if base is None:
        return info(library, prefs.lang, "unknown_entry")
    results = session.results if session else ()
    if base.base_id in results or entry_id in results:
        position = results.index(entry_id if entry_id in results else base.base_id)
        if position + 1 < len(results):
            return entry(library, results[position + 1], prefs)
        return info(library, prefs.lang, "no_more")
    similar = library.index.similar(base, k=1)
    if not similar:
        return info(library, prefs.lang, "no_more")
    return entry(library, similar[0].entry.id, prefs)


def topic_answer(
    library: Library, query: str, prefs: Prefs, session: Session | None = None
) -> Reply:
    """A self-care topic button: the same as asking its (English) query in words."""
    hits = library.index.search(query, lang="en", audience="defender", k=RESULTS_KEPT)
    if not hits:
        return no_answer(library, prefs.lang)
    if session is not None:
        session.results = tuple(h.entry.id for h in hits)
    return entry(library, hits[0].entry.id, prefs)


def checklist_file(library: Library, entry_id: str, prefs: Prefs) -> Reply:
    """A checklist as a plain-text file to print, with a one-line caption."""
    found = library.corpus.localized(entry_id, prefs.lang)
    if not isinstance(found, Checklist):
        return info(library, prefs.lang, "unknown_entry")
    return Reply(
        (Block(found.title, Style.TITLE),),
        "checklist",
        prefs.lang,
        entry_ids=(found.id,),
        attachment=Attachment(f"{found.base_id}.{found.language}.txt", _checklist_text(found)),
    )


def no_answer(library: Library, lang: str, kind: str = "no_answer") -> Reply:
    t = library.texts
    buttons = (
        (
            Button(t.get(lang, "button_selfcare"), "menu", "selfcare"),
            Button(t.get(lang, "button_checklists"), "menu", "checklists"),
        ),
    )
    return Reply((Block(t.get(lang, "no_answer")),), kind, lang, buttons)


def info(library: Library, lang: str, key: str, **values: object) -> Reply:
    return Reply((Block(library.texts.get(lang, key, **values)),), "info", lang)


def preview(text: str) -> tuple[str, bool]:
    """The start of `text`, cut at a sentence end near `PREVIEW_CHARS`, and whether it was cut."""
    text = text.strip()
    if len(text) <= PREVIEW_CHARS * 1.25:
        return text, False
    cut = -1
    for end in (". ", "? ", "! ", "\n"):
        position = text.rfind(end, 0, PREVIEW_CHARS)
        cut = max(cut, position)
    if cut < PREVIEW_CHARS // 3:
        cut = text.rfind(" ", 0, PREVIEW_CHARS)
    return text[: cut + 1].rstrip() + " …", True


def _checklist_text(checklist: Checklist) -> str:
    lines = [
        checklist.title,
        "",
        *[f"[ ] {item}" for item in checklist.items],
        "",
        checklist.citation,
    ]
    lines += [
        f"- {s.title} ({s.publisher}{', ' + str(s.year) if s.year else ''})"
        + (f" {s.url}" if s.url else "")
        for s in checklist.sources
    ]
    return "\n".join(lines) + "\n"
