"""A chapter of the exported book as HTML: every entry of one part of the guide in one language,
with what a reviewer needs beside its text (its sources, the paragraphs it quotes, who approved it
and when, the original it translates) and checklists as boxes to tick on paper.

Each entry keeps its id and the file and line it comes from, so that a reviewer's note on paper
leads an editor straight to the YAML to change.
"""

from __future__ import annotations

from bot.content.export.book import INDEX, Chapter, anchor
from bot.content.export.markup import esc, fill, link, page, running_text, web_link
from bot.content.model import Checklist, Corpus, Entry, Passage, Review, Source
from bot.content.quoting import paragraph_span
from bot.content.texts import Texts

REQUIRED_TEXTS = (
    "export_contents",
    "export_review_draft",
    "export_review_approved",
    "export_sources",
    "export_quoted",
    "export_translation_of",
    "about_approved",
    "no_sources",
    "language_name",
)


def chapter_page(chapter: Chapter, corpus: Corpus, texts: Texts) -> str:
    """The page of one part in one language, its interface texts in that language."""
    lang = chapter.lang
    title = texts.get(lang, f"guide_{chapter.part}")
    language = texts.get(lang, "language_name")
    tally = chapter.tally
    body = [
        f'<nav><a href="{INDEX}">{esc(texts.get(lang, "export_contents"))}</a></nav>',
        "<header>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="language">{esc(language)}</p>',
        '<p class="tally">'
        + esc(
            texts.get(
                lang,
                "about_approved",
                approved=texts.number(lang, tally.approved),
                entries=texts.number(lang, tally.of),
            )
        )
        + "</p>",
        "</header>",
        "<main>",
    ]
    for section in chapter.sections:
        body.append(f"<section>\n<h2>{esc(section.heading)}</h2>")
        body += [_entry(entry, corpus, texts, lang) for entry in section.entries]
        body.append("</section>")
    body.append("</main>")
    return page(lang, f"{title} · {language}", "\n".join(body))


def _entry(entry: Entry, corpus: Corpus, texts: Texts, lang: str) -> str:
    parts = [
        f'<article class="entry" id="{esc(entry.id)}">',
        f"<h3>{esc(entry.title)}</h3>",
        f'<p class="where"><code dir="ltr">{esc(entry.id)}</code> '
        f'<code dir="ltr">{esc(entry.file)}:{entry.line}</code></p>',
        _review(entry.review, texts, lang),
    ]
    if isinstance(entry, Checklist):
        parts.append(_tick_list(entry.items))
    else:
        parts.append(f'<div class="text">\n{running_text(entry.text)}\n</div>')
        if entry.verbatim:
            parts.append(_quoted(entry, texts, lang))
    parts.append(_sources(entry.sources, texts, lang))
    original = corpus.entry(entry.translation_of) if entry.translation_of else None
    if original is not None:
        to = link(anchor(original), original.title, lang=original.language)
        parts.append(
            f'<p class="original">{fill(texts.get(lang, "export_translation_of"), original=to)}</p>'
        )
    parts.append("</article>")
    return "\n".join(parts)


def _review(review: Review, texts: Texts, lang: str) -> str:
    """Who approved the entry and when, or that it is still a draft."""
    if not review.approved or review.on is None:
        return f'<p class="review draft">{esc(texts.get(lang, "export_review_draft"))}</p>'
    day = review.on.isoformat()
    said = fill(
        texts.get(lang, "export_review_approved"),
        by=f"<bdi>{esc(review.by or '')}</bdi>",
        on=f'<time datetime="{day}">{day}</time>',
    )
    return f'<p class="review approved">{said}</p>'


def _tick_list(items: tuple[str, ...]) -> str:
    """Real checkboxes: they can be ticked on screen and print as boxes, with no script."""
    rows = "\n".join(
        f'<li><label><input type="checkbox"> {esc(item)}</label></li>' for item in items
    )
    return f'<ul class="checklist">\n{rows}\n</ul>'


def _quoted(passage: Passage, texts: Texts, lang: str) -> str:
    """The paragraphs a verbatim passage quotes (¶ 12–13) and where the document is."""
    span = esc(paragraph_span(passage.paragraphs))
    where = f"<br>\n<bdi>{web_link(passage.url, passage.url)}</bdi>" if passage.url else ""
    said = fill(texts.get(lang, "export_quoted"), paragraphs=f"<bdi>{span}</bdi>")
    return f'<p class="quoted">{said}{where}</p>'


def _sources(sources: tuple[Source, ...], texts: Texts, lang: str) -> str:
    if not sources:
        return f'<p class="sources">{esc(texts.get(lang, "no_sources"))}</p>'
    items = "\n".join(
        f'<li><bdi>{web_link(s.url, s.title)}</bdi> <span class="by">{esc(s.short)}</span></li>'
        for s in sources
    )
    label = esc(texts.get(lang, "export_sources"))
    return f'<p class="label">{label}</p>\n<ul class="sources">\n{items}\n</ul>'
