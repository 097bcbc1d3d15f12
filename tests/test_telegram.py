"""End to end through python-telegram-bot: the real Application, Updater and httpx transport,
polling the loopback Bot API stand-in (tests/botapi.py). Nothing of ours is faked."""

from __future__ import annotations

import html.parser
import sqlite3
from pathlib import Path

from bot.core.library import Library
from tests.botapi import DOCUMENT, PHOTO, STICKER, VOICE, BotAPI
from tests.conftest import running_bot

USER = 1001


class _Tags(html.parser.HTMLParser):
    """Checks that a message's HTML uses only Telegram's tags, balanced."""

    ALLOWED = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: object) -> None:
        assert tag in self.ALLOWED, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, tag

    def handle_data(self, data: str) -> None:
        self.text += data


def visible(text: str) -> str:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    assert not parser.stack, parser.stack
    return parser.text


def buttons(call: object) -> list[str]:
    markup = getattr(call, "params", {}).get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


async def test_start_offers_roles_and_registers_commands_in_every_language(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("/start")
        (welcome,) = await api.wait_sent(1)
    assert "Guide" in visible(welcome.params["text"])
    assert buttons(welcome) == ["role:practitioner", "role:coordinator", "role:defender"]
    menus = {c.params.get("language_code"): c.params["commands"] for c in api.of("setMyCommands")}
    assert set(menus) == {None, "es", "fr", "pt", "ru", "ar"}
    for commands in menus.values():
        names = [c["command"] for c in commands]
        assert {"start", "help", "sos", "checklists", "selfcare", "privacy", "forget"} <= set(names)
        assert all(0 < len(c["description"]) <= 256 for c in commands)
    assert menus["es"] != menus[None]


async def test_a_question_gets_a_cited_answer_with_buttons_that_carry_ids_only(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    question = "client keeps saying therapy is for the weak"
    async with running_bot(api, library, tmp_path):
        await api.send_text(question)
        (answer,) = await api.wait_sent(1)
        data = buttons(answer)
        assert data and all(len(d.encode()) <= 64 for d in data)
        for item in data:  # an action and an entry id, never words of the question
            action, _, arg = item.partition(":")
            assert action in ("more", "full", "vote", "file", "open")
            assert library.corpus.entry(arg.removesuffix(":up").removesuffix(":down"))
        assert answer.params["parse_mode"] == "HTML"
        assert "📖" in visible(answer.params["text"])
        more = next(d for d in data if d.startswith("more:"))
        await api.press(more)
        await api.wait_sent(2)
        vote = next(d for d in data if d.endswith(":up"))
        await api.press(vote)
        await api.wait(lambda: any(c.params.get("text") for c in api.of("answerCallbackQuery")))
    second = api.sent()[1]
    assert visible(second.params["text"]) != visible(answer.params["text"])
    with sqlite3.connect(tmp_path / "guidebot.sqlite3") as db:
        votes = db.execute("SELECT entry_id, vote, count FROM votes").fetchall()
    assert votes == [(vote.split(":")[1], "up", 1)]


async def test_crisis_is_answered_first_in_the_users_language_and_then_keeps_a_footer(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("ya no quiero vivir", lang="es")
        (crisis,) = await api.wait_sent(1)
        await api.send_text("no puedo dormir", lang="es")
        await api.wait_sent(2)
    first = visible(crisis.params["text"])
    assert "findahelpline.com" in first.lower()  # a way to reach a person, at once
    assert library.texts.get("es", "crisis_still_here") in first
    assert "safety:not_safe" in buttons(crisis)
    assert library.texts.get("es", "crisis_footer") in visible(api.texts()[1])


async def test_crisis_is_answered_even_right_after_the_same_user_flooded_the_bot(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        for number in range(40):
            await api.send_text(f"hello {number}")
        await api.send_text("they are at my door right now")
        await api.send_text("/sos")
        await api.wait(lambda: sum("Front Line" in t for t in api.texts()) >= 2)
    texts = [visible(t) for t in api.texts()]
    slow = library.texts.get("en", "slow_down")
    assert texts.count(slow) == 1  # told once, not forty times
    assert len(texts) < 40
    assert library.texts.get("en", "crisis_ack_danger") in texts[-2]
    assert library.texts.get("en", "sos_intro") in texts[-1]


async def test_sos_answers_at_once_and_its_country_picker_sets_national_lines(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("/sos")
        (sos,) = await api.wait_sent(1)
        assert "country:" in buttons(sos)
        await api.press("country:")
        (_, picker) = await api.wait_sent(2)
        assert "country:FR" in buttons(picker) and "country:none" in buttons(picker)
        await api.press("country:FR")
        await api.wait_sent(3)
        await api.send_text("/sos")
        await api.wait_sent(4)
    assert "3114" in visible(api.texts()[3])  # France's suicide prevention line, confirmed
    assert "3114" not in visible(api.texts()[0])


async def test_edited_messages_are_answered_like_new_ones(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        original = await api.send_text("what is the capital of peru")
        await api.wait_sent(1)
        await api.edit(original, "i can't sleep since the raid")
        await api.wait_sent(2)
    assert visible(api.texts()[0]).startswith(library.texts.get("en", "no_answer")[:20])
    assert "📖" in visible(api.texts()[1])


async def test_stickers_voice_photos_and_locations_get_a_kind_text_only_reply(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    kinds = [
        {"sticker": STICKER},
        {"voice": VOICE},
        {"photo": PHOTO},
        {"location": {"latitude": 1.0, "longitude": 2.0}},
        {"document": DOCUMENT},
    ]
    async with running_bot(api, library, tmp_path):
        for fields in kinds:
            await api.send(**fields)
        await api.wait_sent(len(kinds))
    expected = library.texts.get("en", "unsupported_message")
    assert [visible(t) for t in api.texts()] == [expected] * len(kinds)


async def test_html_like_emoji_and_right_to_left_text_are_escaped_and_answered(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    messages = [
        "<b>can't sleep</b> & <script>alert(1)</script>",
        "😀" * 3000,
        "لا أستطيع النوم",
        "\u202e\u200f",
        "a" * 4096,
    ]
    async with running_bot(api, library, tmp_path):
        for text in messages:
            await api.send_text(text)
        await api.wait_sent(len(messages))
    for text in api.texts():
        assert len(text) <= 4096
        visible(text)  # only Telegram's tags, balanced: user text was escaped


async def test_in_a_group_only_commands_are_answered_and_private_chat_is_suggested(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    group = -5005
    async with running_bot(api, library, tmp_path):
        await api.send_text("i can't sleep", chat_id=group, chat_type="group")
        await api.send_text("/checklists@GuideTestBot", chat_id=group, chat_type="group")
        await api.send_text("/sos@OtherBot", chat_id=group, chat_type="group")
        await api.send_text("/sos", chat_id=group, chat_type="group")
        await api.wait_sent(2, chat_id=group)
    first, second = api.sent(group)
    assert visible(first.params["text"]) == library.texts.get("en", "group_private_only")
    url = first.params["reply_markup"]["inline_keyboard"][0][0]["url"]
    assert url == "https://t.me/GuideTestBot?start=checklists"
    assert "Front Line Defenders" in visible(second.params["text"])
    assert len(api.sent(group)) == 2


async def test_malformed_and_stale_buttons_get_a_polite_answer(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        for data in (
            "garbage",
            "more:no-such-id",
            "x" * 80,
            "vote:nope:up",
            "role:king",
            "stage:<b>",
            "full:",
            "lang:xx",
        ):
            await api.press(data)
        await api.wait(lambda: len(api.of("answerCallbackQuery")) >= 8)
        await api.send_text("/help")
        await api.wait(lambda: any("/sos" in t for t in api.texts()))
    assert len(api.of("answerCallbackQuery")) == 8  # every spinner stopped; the bot still runs


async def test_checklists_browse_by_stage_and_print_as_a_text_file(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("/checklists")
        (menu,) = await api.wait_sent(1)
        assert "stage:arrival" in buttons(menu)
        await api.press("stage:arrival")
        (_, checklist) = await api.wait_sent(2)
        assert "•" in visible(checklist.params["text"])
        await api.press(next(d for d in buttons(checklist) if d.startswith("file:")))
        await api.wait(lambda: bool(api.of("sendDocument")))
    (document,) = api.of("sendDocument")
    (content,) = document.files.values()
    assert content.decode().count("[ ]") >= 6


async def test_deep_link_payload_opens_the_checklists(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("/start checklists")
        (menu,) = await api.wait_sent(1)
    assert "stage:arrival" in buttons(menu)


LANGUAGES = ("en", "es", "fr", "pt", "ru", "ar")
CRISIS = {
    "en": "I don't want to live anymore",
    "es": "ya no quiero vivir",
    "fr": "je veux mourir",
    "pt": "quero me matar",
    "ru": "я не хочу жить",
    "ar": "اريد ان انتحر",
}


async def test_start_help_sos_and_a_crisis_reply_in_each_language(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        for number, lang in enumerate(LANGUAGES):
            user = 2000 + number
            for text in ("/start", "/help", "/sos", CRISIS[lang]):
                await api.send_text(text, user_id=user, lang=lang)
            await api.wait_sent(4, chat_id=user)
    t = library.texts
    for number, lang in enumerate(LANGUAGES):
        start, help_, sos, crisis = (
            visible(x).replace("\u200f", "") for x in api.texts(2000 + number)
        )
        assert start == t.get(lang, "welcome").strip()
        assert help_ == t.get(lang, "help").strip()
        assert t.get(lang, "sos_intro") in sos
        assert t.get(lang, "crisis_still_here") in crisis, (lang, crisis)
        assert t.get(lang, "crisis_ack_suicide") in crisis, (lang, crisis)


async def test_language_comes_from_telegram_and_can_be_changed_and_is_remembered(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    t = library.texts
    async with running_bot(api, library, tmp_path):
        await api.send_text("/help", lang="fr")
        await api.send_text("/language", lang="fr")
        (_, menu) = await api.wait_sent(2)
        assert {f"lang:{code}" for code in LANGUAGES} <= set(buttons(menu))
        await api.press("lang:ar", lang="fr")
        await api.wait_sent(3)
    async with running_bot(api, library, tmp_path):  # after a restart, from the store
        await api.send_text("/help", lang="fr")
        await api.wait_sent(4)
    first, _, chosen, after = (visible(x).replace("\u200f", "") for x in api.texts())
    assert first == t.get("fr", "help").strip()
    assert chosen == t.get("ar", "language_set")
    assert after == t.get("ar", "help").strip()


async def test_a_spanish_question_finds_the_spanish_passage(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("no puedo dormir desde el allanamiento", lang="en")
        (answer,) = await api.wait_sent(1)
    data = buttons(answer)
    assert any(d.endswith(".es") for d in data), data


async def test_a_photo_captioned_with_a_crisis_is_answered_with_crisis_resources(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send(photo=PHOTO, caption="they are at my door")
        # Not "my garden": the learned layer flags it (it shares letters with "garde a vue"),
        # a known false alarm listed in README.
        await api.send(photo=PHOTO, caption="the view from my window")
        await api.wait_sent(2)
    crisis, other = (visible(t) for t in api.texts())
    assert library.texts.get("en", "crisis_ack_danger") in crisis
    assert other == library.texts.get("en", "unsupported_message")


async def test_sos_however_it_is_typed_and_danger_after_any_command(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    """The command is the entity Telegram marks, not the text up to a space; and the words after
    any command are read for danger before the command is run."""
    spellings = ("/sos!", "/sos.", "/sos\nplease", "/sos\u00a0", "/SOS", "/sos@GuideTestBot\nhelp")
    async with running_bot(api, library, tmp_path):
        for text in spellings:
            await api.send_text(text)
        await api.send_text("/start they are at my door now")
        await api.send_text("/help\u00a0someone is following me right now")
        await api.wait_sent(len(spellings) + 2)
    texts = [visible(t) for t in api.texts()]
    sos = library.texts.get("en", "sos_intro")
    assert all(sos in text for text in texts[: len(spellings)]), texts
    danger = library.texts.get("en", "crisis_ack_danger")
    assert danger in texts[-2] and danger in texts[-1], texts[-2:]


async def test_a_group_sees_nothing_private(api: BotAPI, library: Library, tmp_path: Path) -> None:
    """In a group, /sos does not use the sender's stored country, offers no settings buttons, and
    a settings button pressed there sets nothing and posts nothing."""
    group = -7007
    async with running_bot(api, library, tmp_path):
        await api.send_text("/country FR")
        await api.wait_sent(1)
        await api.send_text("/sos")  # privately: France's line
        await api.wait_sent(2)
        await api.send_text("/sos", chat_id=group, chat_type="group")
        await api.wait_sent(1, chat_id=group)
        await api.press("country:DE", chat_id=group)
        await api.wait(lambda: len(api.of("answerCallbackQuery")) >= 1)
        await api.send_text("/sos")  # the private country is still France
        await api.wait_sent(4)
    private_sos, group_sos = api.sent(1001)[1], api.sent(group)[0]
    assert "3114" in visible(private_sos.params["text"])
    assert "3114" not in visible(group_sos.params["text"])
    assert not any(b.startswith(("country:", "role:", "lang:")) for b in buttons(group_sos))
    assert len(api.sent(group)) == 1  # nothing posted by the button
    assert "3114" in visible(api.sent(1001)[-1].params["text"])
