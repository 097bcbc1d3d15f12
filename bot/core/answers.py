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
from bot.search.index import Hit, Ranking
from bot.utterance import Utterance

PREVIEW_CHARS = 520
RESULTS_KEPT = 8
ALSO = 2  # an answer shows the best passage and the next two as buttons: the best three
LABEL_CHARS = 48  # a button's title, cut to fit a phone


def search(
    library: Library, message: Utterance, lang: str, role: str | None
) -> tuple[Ranking, str | None]:
    """The ranking in `lang`; when nothing there answers, the English guide searched with the
    question carried over through the glossary, with a note saying so."""
    scope = library.index.scope_of(message, lang)
    ranking = library.index.rank(message, lang=lang, audience=role, k=RESULTS_KEPT, scope=scope)
    if ranking.answered or lang == "en":
        return ranking, None
    carried, left = library.crossing.to_english(message.words(lang), lang)
    if carried:
        english = library.index.rank(
            carried, lang="en", audience=role, k=RESULTS_KEPT, unseen=left, scope=scope
        )
        if english.answered:
            return english, library.texts.get(lang, "fallback_note")
    return ranking, None


def distinct(library: Library, hits: list[Hit], shown: tuple[str, ...] = ()) -> list[Hit]:
    """`hits` without translations or other audiences' twins of one shown or kept before."""
    kept = [e for e in (library.corpus.entry(i) for i in shown) if e is not None]
    out = []
    for hit in hits:
        base = library.corpus.entry(hit.entry.base_id) or hit.entry
        if not any(library.index.twins(base, k) for k in kept):
            kept.append(base)
            out.append(hit)
    return out


def answer(
    library: Library, message: Utterance, prefs: Prefs, session: Session, lang: str
) -> Reply:
    """The best passage for a question with the next two as buttons; below the confidence line,
    the closest topics; with nothing near, a kind "no answer" with the menus."""
    ranking, note = search(library, message, lang, prefs.role)
    hits = distinct(library, ranking.hits)
    if not hits or not ranking.near:
        return no_answer(library, lang)
    session.results = tuple(hit.entry.id for hit in hits)
    if not ranking.answered:
        return closest(library, lang, hits[: ALSO + 1])
    session.shown = (hits[0].entry.base_id,)
    return render(library, hits[0].entry, lang, note=note, also=hits[1 : ALSO + 1])


def closest(library: Library, lang: str, hits: list[Hit]) -> Reply:
    """Not sure enough to answer: the titles of the nearest entries to choose from, and the menu."""
    t = library.texts
    rows = tuple((Button(_label(h.entry.title), "open", h.entry.id),) for h in hits)
    menu = (
        Button(t.get(lang, "button_selfcare"), "menu", "selfcare"),
        Button(t.get(lang, "button_checklists"), "menu", "checklists"),
    )
    return Reply((Block(t.get(lang, "closest_topics")),), "closest", lang, (*rows, menu))


def _label(title: str) -> str:
    return title if len(title) <= LABEL_CHARS else title[: LABEL_CHARS - 1].rstrip() + "…"


def render(
    library: Library,
    entry: Entry,
    lang: str,
    *,
    full: bool = False,
    note: str | None = None,
    also: list[Hit] | None = None,
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
    if isinstance(entry, Passage) and entry.url:
        blocks.append(Block(entry.url, Style.LINK))  # the quoted document, for the whole text
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
        *((Button("› " + _label(h.entry.title), "open", h.entry.id),) for h in also or ()),
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
    """The next distinct passage: the last question's next result that is neither one already
    shown nor its translation or another audience's twin; then passages like this one."""
    base = library.corpus.entry(entry_id)
    if base is None:
        return info(library, prefs.lang, "unknown_entry")
    shown: tuple[str, ...] = (base.base_id,)
    pool: list[Hit] = []
    found = (library.corpus.entry(i) for i in session.results) if session else ()
    results = [e for e in found if e is not None]
    if session is not None and base.base_id in {e.base_id for e in results}:
        shown = (*session.shown, base.base_id)  # a button of the last answer: carry on from it
        pool = [Hit(e, 0.0, 0.0) for e in results]
    pool += library.index.similar(base, k=RESULTS_KEPT)
    for hit in distinct(library, pool, shown):
        if session is not None:
            session.shown = (*shown, hit.entry.base_id)
        return entry(library, hit.entry.id, prefs)
    return info(library, prefs.lang, "no_more")


def topic_answer(
    library: Library, query: str, prefs: Prefs, session: Session | None = None
) -> Reply:
    """A self-care topic button: the same as asking its (English) query in words."""
    hits = distinct(
        library, library.index.search(query, lang="en", audience="defender", k=RESULTS_KEPT)
    )
    if not hits:
        return no_answer(library, prefs.lang)
    if session is not None:
        session.results = tuple(h.entry.id for h in hits)
        session.shown = (hits[0].entry.base_id,)
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
