"""Telegram rendering: escaping, splitting at Telegram's limit, callback data size."""

from __future__ import annotations

from bot.channels.telegram.render import keyboard, messages, utf16_length
from bot.core.reply import Block, Button, Reply, Style
from tests.test_telegram import visible


def test_user_and_corpus_text_is_escaped_for_html() -> None:
    reply = Reply((Block("<b>x</b> & <script>", Style.TITLE), Block("a < b > c")), "answer", "en")
    (text,) = messages(reply)
    assert text == "<b>&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;</b>\na &lt; b &gt; c"
    assert visible(text) == "<b>x</b> & <script>\na < b > c"


def test_long_replies_are_split_within_the_limit_without_breaking_tags() -> None:
    long_block = Block("word " * 3000, Style.NOTE)
    emoji_block = Block("😀" * 3000)  # two UTF-16 units each: Telegram counts those
    items = tuple(Block(f"item {n} " + "x" * 50, Style.ITEM) for n in range(200))
    reply = Reply((Block("Title", Style.TITLE), long_block, emoji_block, *items), "answer", "en")
    pieces = messages(reply)
    assert len(pieces) > 3
    for piece in pieces:
        assert utf16_length(piece) <= 4096
        visible(piece)  # balanced tags in every piece
    joined = "".join(visible(p) for p in pieces)
    assert joined.count("😀") == 3000 and joined.count("item ") == 200


def test_a_discreet_preview_is_the_first_line() -> None:
    reply = Reply((Block("Can't sleep after a raid", Style.TITLE),), "answer", "en")
    assert messages(reply, preview="New message")[0].startswith("New message\n\n<b>")


def test_buttons_over_64_bytes_are_dropped_not_sent() -> None:
    reply = Reply(
        (Block("x"),),
        "answer",
        "en",
        ((Button("ok", "more", "pr-x"), Button("too long", "more", "y" * 80)),),
    )
    markup = keyboard(reply)
    assert markup is not None
    assert [b.callback_data for row in markup.inline_keyboard for b in row] == ["more:pr-x"]


def test_every_entry_id_fits_in_callback_data(library) -> None:  # type: ignore[no-untyped-def]
    longest = max(len(f"checklist:{e.id}".encode()) for e in library.corpus.entries)
    longest_vote = max(len(f"vote:{e.id}:down".encode()) for e in library.corpus.entries)
    assert max(longest, longest_vote) <= 64


def test_arabic_paragraphs_open_with_a_right_to_left_mark(library) -> None:  # type: ignore[no-untyped-def]
    reply = library.escalation.sos("ar", None)
    (text,) = messages(reply)
    lines = [line for line in visible(text).split("\n") if line]
    assert all(line.startswith("\u200f") or line.startswith("• \u200f") for line in lines)
