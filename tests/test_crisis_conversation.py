"""The crisis conversation through the real Application and the Bot API stand-in: after the
first crisis reply, the next turns are read in its context, in its language, and nothing in the
crisis state is answered with "I have no guidance on that"."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.core.library import Library
from tests.botapi import BotAPI
from tests.conftest import running_bot
from tests.test_telegram import buttons, visible

LANGUAGES = ("en", "es", "fr", "pt", "ru", "ar")
SUICIDAL = {
    "en": "i want to kill myself",
    "es": "ya no quiero vivir",
    "fr": "je veux mourir",
    "pt": "quero me matar",
    "ru": "я хочу умереть",
    "ar": "بدي موت",
}
YES = {"en": "yes", "es": "sí", "fr": "oui", "pt": "sim", "ru": "да", "ar": "نعم"}
NO = {"en": "no", "es": "no", "fr": "non", "pt": "não", "ru": "нет", "ar": "لا"}
UNRECOGNISED = "qwzx plonk 42"


def _says(library: Library, lang: str, key: str, text: str) -> bool:
    return library.texts.get(lang, key) in visible(text)


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_yes_no_and_anything_else_are_answered_in_the_crisis_language(
    api: BotAPI, library: Library, tmp_path: Path, lang: str
) -> None:
    """The suicide reply asks "are you thinking about ending your life right now?": a typed
    "yes" gets the lines at once, "no" the plan for the next hour, anything else "I'm still
    here" with the contacts. The Telegram client is in English; the conversation is not."""
    async with running_bot(api, library, tmp_path):
        await api.send_text(SUICIDAL[lang], user_id=11)
        await api.wait_sent(1, chat_id=11)
        await api.send_text(YES[lang], user_id=11)
        await api.wait_sent(2, chat_id=11)
        await api.send_text(UNRECOGNISED, user_id=11)
        await api.wait_sent(3, chat_id=11)
        await api.send_text(SUICIDAL[lang], user_id=12)
        await api.wait_sent(1, chat_id=12)
        await api.send_text(NO[lang], user_id=12)
        await api.wait_sent(2, chat_id=12)
    first, yes, other = api.texts(11)
    _, no = api.texts(12)
    assert _says(library, lang, "crisis_ack_suicide", first)
    assert _says(library, lang, "reply_not_safe", yes), visible(yes)
    assert _says(library, lang, "followup_still_here", other), visible(other)
    assert _says(library, lang, "reply_safe_struggling", no), visible(no)
    for text in (yes, other, no):
        assert library.texts.get(lang, "no_answer") not in visible(text)


async def test_not_safe_he_is_still_here_after_a_disclosure_of_rape(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("he raped me last night")
        await api.wait_sent(1)
        await api.send_text("no I'm not safe, he is still here")
        await api.wait_sent(2)
    first, second = api.texts()
    assert _says(library, "en", "crisis_ack_sexual_violence", first)
    assert _says(library, "en", "reply_not_safe", second), visible(second)


@pytest.mark.parametrize(
    "case",
    [
        ("ru", "я хочу умереть", "я в Грузии", "Грузия"),
        ("es", "ya no quiero vivir", "estoy en los Países Bajos", "Países Bajos"),
        ("en", "they are at my door right now", "I'm in Germany", "Germany"),
        ("ar", "بدي موت", "أنا في ألمانيا", "ألمانيا"),
    ],
)
async def test_a_country_typed_in_words_is_understood_and_kept(
    api: BotAPI, library: Library, tmp_path: Path, case: tuple[str, str, str, str]
) -> None:
    lang, crisis, place, name = case
    async with running_bot(api, library, tmp_path):
        await api.send_text(crisis)
        await api.wait_sent(1)
        await api.send_text(place)
        await api.wait_sent(2)
        await api.send_text("/sos")
        await api.wait_sent(3)
    _, answer, sos = api.texts()
    assert name in visible(answer)
    assert library.texts.get(lang, "followup_country", country="").split(":")[0] in visible(answer)
    assert _says(library, lang, "sos_intro", sos)  # /sos stays in the crisis's language


async def test_the_crisis_replys_buttons_answer_in_its_language(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("ya no quiero vivir")
        (crisis,) = await api.wait_sent(1)
        assert "safety:not_safe" in buttons(crisis)
        await api.press("safety:not_safe")
        await api.wait_sent(2)
    assert _says(library, "es", "reply_not_safe", api.texts()[1])


@pytest.mark.parametrize(
    ("lang", "call"),
    [("en", "help me"), ("es", "ayuda"), ("pt", "me ajuda"), ("ru", "помогите"), ("ar", "النجدة")],
)
async def test_a_plain_call_for_help_is_sos_in_that_language(
    api: BotAPI, library: Library, tmp_path: Path, lang: str, call: str
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text(call)
        await api.wait_sent(1)
    assert _says(library, lang, "sos_intro", api.texts()[0])


async def test_outside_a_crisis_a_lone_yes_is_not_no_guidance(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("yes")
        await api.wait_sent(1)
    assert _says(library, "en", "intent_short", api.texts()[0])


async def test_silence_after_a_crisis_reply_gets_one_check_in_in_its_language(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    """Someone who says nothing after the crisis reply hears once more that the bot is there,
    with the contacts; someone who answered gets no extra message."""
    async with running_bot(api, library, tmp_path, check_in_seconds=0.5):
        await api.send_text("я хочу умереть", user_id=21)
        await api.send_text("ya no quiero vivir", user_id=22)
        await api.wait_sent(1, chat_id=22)
        await api.send_text("sí", user_id=22)
        await api.wait_sent(2, chat_id=21, timeout=10)
        await asyncio.sleep(1.0)
    silent, answered = api.texts(21), api.texts(22)
    assert len(silent) == 2 and _says(library, "ru", "followup_still_here", silent[1])
    assert len(answered) == 2  # the crisis reply and the answer to "sí": no check-in
