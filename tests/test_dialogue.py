"""The channel-neutral core: crisis first, cited answers, buttons that carry ids only."""

from __future__ import annotations

from bot.core.dialogue import Assistant, Prefs, Session
from bot.core.reply import Style


def test_crisis_reply_comes_first_with_a_direct_line(assistant: Assistant) -> None:
    reply = assistant.respond("I don't want to live anymore", Prefs())
    assert reply.kind == "crisis" and reply.category == "suicide"
    assert reply.entry_ids[0] == "res-findahelpline"
    assert "findahelpline.com" in reply.text
    assert "I'm still here" in reply.text


def test_danger_lane_offers_the_protection_line_not_the_police(assistant: Assistant) -> None:
    reply = assistant.respond("they are at my door", Prefs())
    assert reply.entry_ids[0] == "res-fld-emergency"
    assert "+353 1 21 00 489" in reply.text
    assert "police" not in reply.text.lower()


def test_country_line_comes_first_when_the_user_set_a_country(assistant: Assistant) -> None:
    reply = assistant.respond("i want to die", Prefs(country="FR"))
    assert reply.entry_ids[0] == "res-fr-3114"


def test_unconfirmed_contacts_are_never_shown(assistant: Assistant) -> None:
    hidden = [r for r in assistant.corpus.resources if not r.showable]
    assert hidden
    for country in ("BR", "MX", "PT", "UA", "RU", None):
        for text in ("i want to die", "they are at my door", "they hacked my account"):
            reply = assistant.respond(text, Prefs(country=country))
            for resource in hidden:
                assert resource.phone not in reply.text
        sos = assistant.sos(Prefs(country=country))
        assert not any(r.id in sos.entry_ids for r in hidden)


def test_after_a_crisis_the_next_answers_keep_a_footer(assistant: Assistant) -> None:
    session = Session()
    assistant.respond("i want to die", Prefs(), session)
    follow_up = assistant.respond("how do I sleep better", Prefs(), session)
    assert follow_up.blocks[-1].text.endswith("/sos")


def test_answer_has_title_citation_sources_and_id_only_buttons(assistant: Assistant) -> None:
    reply = assistant.respond("quick breathing exercise for panic", Prefs(role="defender"))
    assert reply.kind == "answer"
    styles = [block.style for block in reply.blocks]
    assert Style.TITLE in styles and Style.CITATION in styles
    for row in reply.buttons:
        for button in row:
            assert assistant.corpus.entry(button.arg.split(":")[0]) is not None
            assert len(f"{button.action}:{button.arg}".encode()) <= 64


def test_sensitive_question_gets_guidance_with_the_lines_on_top(assistant: Assistant) -> None:
    """Resources are never buried under a long answer (crisis.md §5): they open the reply."""
    reply = assistant.respond(
        "how do I assess suicide risk in a client?", Prefs(role="practitioner")
    )
    assert reply.kind == "answer"
    assert reply.tier == "sensitive"
    assert "/sos" in reply.blocks[0].text
    lines = [b.text for b in reply.blocks[1:3]]
    assert all(":" in line for line in lines), lines  # "Name: contact"
    assert reply.entry_ids  # the passage is still there, after the lines


def test_out_of_scope_gets_a_kind_no_answer_with_topics(assistant: Assistant) -> None:
    reply = assistant.respond("recipe for chocolate cake", Prefs())
    assert reply.kind == "no_answer"
    assert {b.arg for row in reply.buttons for b in row} == {"selfcare", "checklists"}


def test_short_messages_are_intents(assistant: Assistant) -> None:
    assert assistant.respond("hi", Prefs()).kind == "intent"
    assert assistant.respond("thanks!", Prefs()).kind == "intent"
    assert assistant.respond("who are you?", Prefs()).kind == "info"


def test_more_gives_the_next_result_then_full_text(assistant: Assistant) -> None:
    session = Session()
    first = assistant.respond(
        "guest is exhausted, how much programme first month", Prefs(role="coordinator"), session
    )
    more = assistant.more(first.entry_ids[0], Prefs(), session)
    assert more.entry_ids and more.entry_ids != first.entry_ids
    full = assistant.entry(first.entry_ids[0], Prefs(), full=True)
    entry = assistant.corpus.entry(first.entry_ids[0])
    assert entry is not None and entry.search_text.strip() in full.text


def test_stale_or_unknown_ids_get_a_polite_answer(assistant: Assistant) -> None:
    assert assistant.more("no-such-id", Prefs()).kind == "info"
    assert assistant.entry("no-such-id", Prefs()).kind == "info"
    assert assistant.topic("no-such-topic", Prefs()).kind == "info"


def test_checklist_renders_items_and_a_printable_file(assistant: Assistant) -> None:
    reply = assistant.checklists_for_stage("arrival", Prefs())
    assert reply.kind == "checklist"
    assert [b.text for b in reply.blocks if b.style.value == "item"]
    (file_button,) = [b for row in reply.buttons for b in row if b.action == "file"]
    printable = assistant.checklist_file(file_button.arg, Prefs())
    assert printable.attachment is not None and "[ ]" in printable.attachment.text
    assert printable.attachment.filename == "cl-arrival.en.txt"


def test_huge_emoji_and_html_like_input_does_not_break(assistant: Assistant) -> None:
    for text in ("😀" * 5000, "<b>sleep</b> & <script>", "نوم " * 2000, "\u202e\u200f", " "):
        reply = assistant.respond(text, Prefs())
        assert reply.blocks


def test_sos_lists_every_lane(assistant: Assistant) -> None:
    reply = assistant.sos(Prefs())
    assert {"res-findahelpline", "res-fld-emergency", "res-access-now"} <= set(reply.entry_ids)
