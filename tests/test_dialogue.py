"""The channel-neutral core: crisis first, cited answers, buttons that carry ids only."""

from __future__ import annotations

from bot.core import answers, menus
from bot.core.library import Library
from bot.core.prefs import Prefs
from bot.core.reply import Style
from bot.core.respond import respond
from bot.core.sessions import Session


def test_crisis_reply_comes_first_with_a_direct_line(library: Library) -> None:
    reply = respond(library, "I don't want to live anymore", Prefs())
    assert reply.kind == "crisis" and reply.category == "suicide"
    assert reply.entry_ids[0] == "res-findahelpline"
    assert "findahelpline.com" in reply.text
    assert "I'm still here" in reply.text


def test_danger_lane_offers_the_protection_line_not_the_police(library: Library) -> None:
    reply = respond(library, "they are at my door", Prefs())
    assert reply.entry_ids[0] == "res-fld-emergency"
    assert "+353 1 21 00 489" in reply.text
    assert "police" not in reply.text.lower()


def test_country_line_comes_first_when_the_user_set_a_country(library: Library) -> None:
    reply = respond(library, "i want to die", Prefs(country="FR"))
    assert reply.entry_ids[0] == "res-fr-3114"


def test_unconfirmed_contacts_are_never_shown(library: Library) -> None:
    hidden = [r for r in library.corpus.resources if not r.showable]
    assert hidden
    for country in ("BR", "MX", "PT", "UA", "RU", None):
        for text in ("i want to die", "they are at my door", "they hacked my account"):
            reply = respond(library, text, Prefs(country=country))
            for resource in hidden:
                assert resource.phone not in reply.text
        sos = library.escalation.sos("en", country)
        assert not any(r.id in sos.entry_ids for r in hidden)


def test_after_a_crisis_the_next_answers_keep_a_footer(library: Library) -> None:
    session = Session()
    respond(library, "i want to die", Prefs(), session)
    follow_up = respond(library, "how do I sleep better", Prefs(), session)
    assert follow_up.blocks[-1].text.endswith("/sos")


def test_answer_has_title_citation_sources_and_id_only_buttons(library: Library) -> None:
    reply = respond(library, "quick breathing exercise for panic", Prefs(role="defender"))
    assert reply.kind == "answer"
    styles = [block.style for block in reply.blocks]
    assert Style.TITLE in styles and Style.CITATION in styles
    for row in reply.buttons:
        for button in row:
            assert library.corpus.entry(button.arg.split(":")[0]) is not None
            assert len(f"{button.action}:{button.arg}".encode()) <= 64


def test_sensitive_question_gets_guidance_with_the_lines_on_top(library: Library) -> None:
    """Resources are never buried under a long answer (crisis.md §5): they open the reply."""
    reply = respond(
        library, "how do I assess suicide risk in a client?", Prefs(role="practitioner")
    )
    assert reply.kind == "answer"
    assert reply.tier == "sensitive"
    assert "/sos" in reply.blocks[0].text
    lines = [b.text for b in reply.blocks[1:3]]
    assert all(":" in line for line in lines), lines  # "Name: contact"
    assert reply.entry_ids  # the passage is still there, after the lines


def test_out_of_scope_gets_a_kind_no_answer_with_topics(library: Library) -> None:
    reply = respond(library, "recipe for chocolate cake", Prefs())
    assert reply.kind == "no_answer"
    assert {b.arg for row in reply.buttons for b in row} == {"selfcare", "checklists"}


def test_short_messages_are_intents(library: Library) -> None:
    assert respond(library, "hi", Prefs()).kind == "intent"
    assert respond(library, "thanks!", Prefs()).kind == "intent"
    assert respond(library, "who are you?", Prefs()).kind == "info"


def test_more_gives_the_next_result_then_full_text(library: Library) -> None:
    session = Session()
    first = respond(
        library,
        "guest is exhausted, how much programme first month",
        Prefs(role="coordinator"),
        session,
    )
    more = answers.more(library, first.entry_ids[0], Prefs(), session)
    assert more.entry_ids and more.entry_ids != first.entry_ids
    full = answers.entry(library, first.entry_ids[0], Prefs(), full=True)
    entry = library.corpus.entry(first.entry_ids[0])
    assert entry is not None and entry.search_text.strip() in full.text


def test_stale_or_unknown_ids_get_a_polite_answer(library: Library) -> None:
    assert answers.more(library, "no-such-id", Prefs()).kind == "info"
    assert answers.entry(library, "no-such-id", Prefs()).kind == "info"
    assert menus.topic(library, "no-such-topic", Prefs()).kind == "info"


def test_checklist_renders_items_and_a_printable_file(library: Library) -> None:
    reply = menus.checklists_for_stage(library, "arrival", Prefs())
    assert reply.kind == "checklist"
    assert [b.text for b in reply.blocks if b.style.value == "item"]
    (file_button,) = [b for row in reply.buttons for b in row if b.action == "file"]
    printable = answers.checklist_file(library, file_button.arg, Prefs())
    assert printable.attachment is not None and "[ ]" in printable.attachment.text
    assert printable.attachment.filename == "cl-arrival.en.txt"


def test_huge_emoji_and_html_like_input_does_not_break(library: Library) -> None:
    for text in ("😀" * 5000, "<b>sleep</b> & <script>", "نوم " * 2000, "\u202e\u200f", " "):
        reply = respond(library, text, Prefs())
        assert reply.blocks


def test_sos_lists_every_lane(library: Library) -> None:
    reply = library.escalation.sos("en", None)
    assert {"res-findahelpline", "res-fld-emergency", "res-access-now"} <= set(reply.entry_ids)


def test_an_answer_offers_the_next_two_distinct_entries_as_buttons(library: Library) -> None:
    """The best three: the first shown, the next two by title; none is a twin of another."""
    session = Session()
    reply = respond(
        library, "client has nightmares after the raid", Prefs(role="practitioner"), session
    )
    assert reply.kind == "answer"
    opened = [b.arg for row in reply.buttons for b in row if b.action == "open"]
    assert 1 <= len(opened) <= 2
    shown = [reply.entry_ids[0], *opened]
    entries = [library.corpus.entry(i) for i in shown]
    assert all(entries)
    for i, a in enumerate(entries):
        for b in entries[i + 1 :]:
            assert not library.index.twins(a, b), (a.id, b.id)  # type: ignore[union-attr]


def test_below_the_confidence_line_the_closest_topics_are_offered(library: Library) -> None:
    reply = respond(library, "who won the world cup", Prefs())
    assert reply.kind in ("closest", "no_answer")
    if reply.kind == "closest":
        assert [b.action for row in reply.buttons[:-1] for b in row] == ["open"] * (
            len(reply.buttons) - 1
        )
    nothing = respond(library, "recipe for a chocolate cake", Prefs())
    assert nothing.kind == "no_answer"


def test_more_never_shows_a_twin_of_what_was_shown(library: Library) -> None:
    session = Session()
    prefs = Prefs(role="defender")
    first = respond(library, "i feel guilty for leaving my colleagues behind", prefs, session)
    assert first.kind == "answer"
    seen = [library.corpus.entry(first.entry_ids[0])]
    current = first.entry_ids[0]
    for _ in range(3):
        nxt = answers.more(library, current, prefs, session)
        if nxt.kind != "answer":
            break
        entry = library.corpus.entry(nxt.entry_ids[0])
        assert entry is not None
        assert all(not library.index.twins(s, entry) for s in seen if s), entry.id
        seen.append(entry)
        current = entry.id
    assert len(seen) >= 2
