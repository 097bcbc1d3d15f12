"""Random and hostile input: unicode of every kind, right-to-left and control characters, huge
strings, HTML-like text, random button data. Through the core (`TurnService` with a real Store)
with hypothesis, and through the real Application against the Bot API stand-in with a seeded
generator. Nothing may raise, every reply must render to valid Telegram HTML within 4096 UTF-16
units, and no handler may fail."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.telegram.render import (
    CALLBACK_LIMIT,
    MESSAGE_LIMIT,
    keyboard,
    messages,
    utf16_length,
)
from bot.core.library import Library
from bot.core.menus import SELFCARE_TOPICS
from bot.core.routes import COMMANDS
from bot.core.turn import Outcome, TurnService, User
from bot.store import Store
from tests.botapi import BOT_ID, PHOTO, STICKER, VOICE, BotAPI
from tests.conftest import running_bot
from tests.test_telegram import visible

# Internal errors the core catches and logs rather than raising: fuzzing must not reach them.
SWALLOWED = ("answer_failed", "crisis_detection_failed", "update_failed", "apology_failed")
HOSTILE = [
    "\u202e",
    "\u202b",
    "\u200f",
    "\u2067",
    "\u061c",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\u0301",
    "\u0640",
    "ـ",
    "﷽",
    "👨‍👩‍👧",
    "🏳️‍🌈",
    "𝕏",
    "\U0010fffd",
    "<b>",
    "</b>",
    "<i>",
    '<a href="javascript:alert(1)">',
    "</a>",
    "<script>",
    "&amp;",
    "&",
    "&#0;",
    "&#x110000;",
    "<",
    ">",
    '"',
    "'",
    "/start",
    "/sos",
    "@GuideTestBot",
    "can't sleep",
    "suicide",
    "انتحار",
    "убить себя",
    "no puedo dormir",
    "kill myself",
    " ",
    "%s",
    "{0}",
    "\\",
]
ACTIONS = [
    "safety",
    "country",
    "role",
    "lang",
    "discreet",
    "vote",
    "file",
    "more",
    "full",
    "stage",
    "checklist",
    "topic",
    "menu",
    "x",
    "",
]


def check_outcome(outcome: Outcome, library: Library) -> None:
    assert isinstance(outcome, Outcome)
    reply = outcome.reply
    if reply is None:
        return
    preview = library.texts.get(outcome.prefs.lang, "discreet_preview")
    for pieces in (messages(reply), messages(reply, preview)):
        assert pieces
        for piece in pieces:
            assert 0 < utf16_length(piece) <= MESSAGE_LIMIT
            visible(piece)  # only Telegram's tags, balanced
    markup = keyboard(reply)
    if markup is not None:
        for row in markup.inline_keyboard:
            for button in row:
                assert len((button.callback_data or "").encode()) <= CALLBACK_LIMIT


# -- the core, with hypothesis -----------------------------------------------------------------

hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)), max_size=25).map(
    "".join
)
texts = st.one_of(st.text(max_size=300), hostile_text)
users = st.builds(
    User,
    key=st.sampled_from(["k1", "k2", "k3", "k4"]),
    language_code=st.one_of(
        st.none(),
        st.sampled_from(["en", "es", "ar", "ru", "pt-BR", "fr", "zz", ""]),
        st.text(max_size=8),
    ),
    admin=st.booleans(),
)


@st.composite
def button_data(draw: st.DrawFn, library: Library) -> str:
    ids = [e.id for e in library.corpus.entries[:: max(1, len(library.corpus.entries) // 40)]]
    known = st.sampled_from(
        ids
        + list(SELFCARE_TOPICS)
        + ["arrival", "crisis", "FR", "none", "on", "off", "es", "ar", "defender", "checklists"]
        + ["not_safe", "safe", "unsure"]
        + [f"{i}:up" for i in ids[:5]]
        + [f"{i}:down" for i in ids[:5]]
    )
    if draw(st.booleans()):
        return draw(st.text(max_size=80))
    action = draw(st.sampled_from(ACTIONS))
    return f"{action}:{draw(st.one_of(known, st.text(max_size=40), hostile_text))}"


@pytest.fixture
def core(
    library: Library, tmp_path: Path
) -> Iterator[tuple[asyncio.AbstractEventLoop, TurnService]]:
    """A TurnService with a real Store on a temporary SQLite file, on a loop of its own (the
    hypothesis tests are synchronous and run each example to completion on it)."""
    loop = asyncio.new_event_loop()
    store = loop.run_until_complete(Store.open(tmp_path / "fuzz.sqlite3"))
    try:
        yield loop, TurnService(library, store)
    finally:
        loop.run_until_complete(store.close())
        loop.close()


FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def swallowed(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(SWALLOWED)]


def test_random_messages_through_the_core_never_raise_and_always_render(
    core: tuple[asyncio.AbstractEventLoop, TurnService],
    library: Library,
    caplog: pytest.LogCaptureFixture,
) -> None:
    loop, turns = core
    caplog.set_level(logging.WARNING)

    @settings(FUZZ, max_examples=600)
    @given(user=users, text=texts)
    def run(user: User, text: str) -> None:
        check_outcome(loop.run_until_complete(turns.message(user, text)), library)

    run()
    assert swallowed(caplog) == []
    assert not any(r.getMessage().startswith("store_unavailable") for r in caplog.records)


def test_random_commands_and_buttons_through_the_core_never_raise_and_always_render(
    core: tuple[asyncio.AbstractEventLoop, TurnService],
    library: Library,
    caplog: pytest.LogCaptureFixture,
) -> None:
    loop, turns = core
    caplog.set_level(logging.WARNING)
    names = st.one_of(st.sampled_from([*COMMANDS, "stats", "", "x" * 40]), st.text(max_size=20))
    command = st.tuples(st.just("command"), users, names, st.one_of(texts, st.just("")))
    press = st.tuples(st.just("press"), users, button_data(library), st.just(""))

    @settings(FUZZ, max_examples=1000)
    @given(steps=st.lists(st.one_of(command, press), min_size=1, max_size=4))
    def run(steps: list[tuple[str, User, str, str]]) -> None:
        for kind, user, first, second in steps:
            if kind == "command":
                outcome = turns.command(user, first, second)
            else:
                outcome = turns.press(user, first)
            check_outcome(loop.run_until_complete(outcome), library)

    run()
    assert swallowed(caplog) == []


@pytest.mark.parametrize(
    "text",
    [
        "a" * 20_000,
        "😀" * 5_000,
        "<b>can't</b> &amp; <script>sleep</script> " * 300,
        ("i cant sleep since the raid and they arrested my colleague " * 70)[:4096],
        "".join(chr(0x0600 + (i * 37) % 256) if i % 6 else " " for i in range(4096)),
        "\u202e" * 4096 + "kill myself",
    ],
    ids=["latin-20k", "emoji-5k", "html-12k", "words-4096", "arabic-4096", "rtl-marks"],
)
def test_huge_messages_through_the_core(
    core: tuple[asyncio.AbstractEventLoop, TurnService], library: Library, text: str
) -> None:
    loop, turns = core
    outcome = loop.run_until_complete(turns.message(User("huge", "en"), text))
    assert outcome.reply is not None
    check_outcome(outcome, library)


# -- the Telegram edge: the real Application, seeded random updates ------------------------------


class Hostile:
    """Seeded random Telegram updates, with what the bot must do about each."""

    def __init__(self, api: BotAPI, library: Library, seed: int = 20_240_601) -> None:
        self.api = api
        self.rng = random.Random(seed)
        self.ids = [e.id for e in library.corpus.entries]
        self.user = 700_000
        self.must_answer: set[int] = set()  # chats that must get a message
        self.must_ack: set[str] = set()  # callback query ids that must be answered

    def text(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.3:
            return "".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 30)))
        if kind < 0.6:
            alphabet = rng.choice(
                [
                    (0x20, 0x7E),
                    (0x0590, 0x06FF),
                    (0x0400, 0x04FF),
                    (0x1F300, 0x1FAFF),
                    (0x0000, 0x001F),
                    (0x2000, 0x206F),
                    (0x4E00, 0x4FFF),
                    (0x20, 0x10FFF),
                ]
            )
            return "".join(chr(rng.randint(*alphabet)) for _ in range(rng.randint(1, 200)))
        if kind < 0.75:
            return rng.choice(HOSTILE) * rng.randint(100, 1500)
        if kind < 0.9:
            name = rng.choice([*COMMANDS, "stats", "x", ""])
            target = rng.choice(["", "@GuideTestBot", "@OtherBot"])
            argument = "".join(rng.choice(HOSTILE) for _ in range(rng.randint(0, 6)))
            return f"/{name}{target} {argument}"
        return rng.choice(
            ["i can't sleep", "I want to kill myself", "burnout", "ya no quiero vivir"]
        )

    def sender(self) -> dict[str, Any]:
        self.user += 1
        lang = self.rng.choice(["en", "es", "ar", "ru", None, "", "zz-ZZ", "x" * 40])
        sender: dict[str, Any] = {
            "id": self.user,
            "is_bot": False,
            "first_name": self.rng.choice(HOSTILE),
        }
        if lang is not None:
            sender["language_code"] = lang
        return sender

    def update(self) -> dict[str, Any]:
        rng, api = self.rng, self.api
        sender = self.sender()
        private = rng.random() < 0.8
        chat: dict[str, Any] = (
            {"id": sender["id"], "type": "private"}
            if private
            else {"id": -sender["id"], "type": rng.choice(["group", "supergroup"]), "title": "g"}
        )
        message: dict[str, Any] = {
            "message_id": rng.randint(1, 10**6),
            "date": 1_700_000_000,
            "chat": chat,
            "from": sender,
        }
        kind = rng.random()
        update: dict[str, Any] = {"update_id": api.next_update_id()}
        if kind < 0.15:
            data = rng.choice(
                [
                    "".join(rng.choice(HOSTILE) for _ in range(rng.randint(0, 8))),
                    f"{rng.choice(ACTIONS)}:{rng.choice(self.ids)}",
                    f"vote:{rng.choice(self.ids)}:{rng.choice(['up', 'down', 'sideways'])}",
                    f"{rng.choice(ACTIONS)}:{rng.choice(HOSTILE)}",
                    "x" * rng.randint(60, 70),
                ]
            )
            query_id = str(rng.randint(1, 10**12))
            message["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "Guide"}
            update["callback_query"] = {
                "id": query_id,
                "from": sender,
                "chat_instance": "ci",
                "data": data,
                "message": message,
            }
            self.must_ack.add(query_id)
            return update
        if kind < 0.25:
            message.update(
                rng.choice(
                    [
                        {"sticker": STICKER},
                        {"photo": PHOTO, "caption": self.text()[:1024]},
                        {
                            "location": {
                                "latitude": rng.uniform(-90, 90),
                                "longitude": rng.uniform(-180, 180),
                            }
                        },
                        {"contact": {"phone_number": "+1", "first_name": rng.choice(HOSTILE)}},
                        {"dice": {"emoji": "🎲", "value": 3}},
                        {"voice": VOICE},
                    ]
                )
            )
        else:
            text = self.text()
            message["text"] = text
            if text.startswith("/"):
                head = text.split(" ", 1)[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(head)}]
            elif rng.random() < 0.2:  # entities Telegram would never send: out of range
                message["entities"] = [
                    {"type": "bold", "offset": rng.randint(0, 5000), "length": rng.randint(1, 5000)}
                ]
            if not private and rng.random() < 0.3:
                message["reply_to_message"] = {
                    "message_id": 1,
                    "date": 1_700_000_000,
                    "chat": chat,
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "G"},
                    "text": "…",
                }
        if private and not ("text" in message and "@OtherBot" in message["text"].split(" ")[0]):
            self.must_answer.add(chat["id"])
        field = "edited_message" if rng.random() < 0.1 else "message"
        if field == "edited_message":
            message["edit_date"] = 1_700_000_100
        if rng.random() < 0.02:
            field = "channel_post"  # not in allowed_updates: the bot ignores it
            self.must_answer.discard(chat["id"])
        update[field] = message
        return update


async def test_random_updates_through_the_real_application_never_fail(
    api: BotAPI, library: Library, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    hostile = Hostile(api, library)
    async with running_bot(api, library, tmp_path):
        for _ in range(200):
            await api.push(hostile.update())
        await api.send_text("/help", user_id=999_999)  # handled last: the bot is sequential
        await api.wait_sent(1, chat_id=999_999, timeout=90)
    answered = {int(c.params["chat_id"]) for c in api.sent()}
    acked = {c.params.get("callback_query_id") for c in api.of("answerCallbackQuery")}
    assert hostile.must_answer <= answered, sorted(hostile.must_answer - answered)[:10]
    assert hostile.must_ack <= acked
    for call in api.of("sendMessage"):
        text = call.params["text"]
        assert 0 < utf16_length(text) <= MESSAGE_LIMIT
        if call.params.get("parse_mode") == "HTML":
            visible(text)
        markup = call.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in markup.get("inline_keyboard", []):
            for button in row:
                assert len(button.get("callback_data", "").encode()) <= CALLBACK_LIMIT
    assert swallowed(caplog) == []
