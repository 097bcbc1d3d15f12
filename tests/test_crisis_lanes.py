"""Every lane of the routing matrix (shared/domain/crisis.md §7.2), in six languages and for
every country the brief covers: its own reply, in the message's language, with at least one
confirmed contact; never the emergency number first where the police may be the threat."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.core.library import Library
from bot.core.prefs import Prefs
from bot.core.respond import respond
from tests.botapi import BotAPI
from tests.conftest import running_bot
from tests.test_telegram import visible

LANES = ("suicide", "medical", "danger", "detention", "sexual_violence", "digital")
MESSAGES = {
    "suicide": {
        "en": "i want to kill myself",
        "es": "ya no quiero vivir",
        "fr": "je veux mourir",
        "pt": "quero me matar",
        "ru": "я хочу умереть",
        "ar": "بدي موت",
    },
    "medical": {
        "en": "i took all my pills an hour ago",
        "es": "me tomé todas las pastillas hace una hora",
        "fr": "j'ai avalé toutes mes pilules il y a une heure",
        "pt": "tomei todos os comprimidos agora",
        "ru": "я выпила все таблетки час назад",
        "ar": "بلعت كل الحبوب من ساعة",
    },
    "danger": {
        "en": "armed men are outside my house right now",
        "es": "hay hombres armados afuera de mi casa ahora",
        "fr": "des hommes armés sont devant ma maison maintenant",
        "pt": "tem homens armados na frente da minha casa agora",
        "ru": "у моего дома сейчас вооружённые люди",
        "ar": "في مسلحين قدام بيتي هلق",
    },
    "detention": {
        "en": "they just arrested my brother and we don't know where he is",
        "es": "acaban de detener a mi hermano y no sabemos dónde está",
        "fr": "ils viennent d'arrêter mon frère et on ne sait pas où il est",
        "pt": "acabaram de prender meu irmão e não sabemos onde ele está",
        "ru": "только что задержали моего брата, и мы не знаем, где он",
        "ar": "اعتقلوا أخي قبل ساعة وما منعرف وينه",
    },
    "sexual_violence": {
        "en": "he raped me last night",
        "es": "me violó anoche",
        "fr": "il m'a violée hier soir",
        "pt": "ele me estuprou ontem à noite",
        "ru": "он изнасиловал меня вчера ночью",
        "ar": "اغتصبني امبارح بالليل",
    },
    "digital": {
        "en": "someone hacked my account and is posting from it right now",
        "es": "me hackearon la cuenta y están publicando desde ella ahora",
        "fr": "on a piraté mon compte et quelqu'un publie avec en ce moment",
        "pt": "hackearam minha conta e estão postando agora",
        "ru": "мой аккаунт взломали и прямо сейчас пишут с него",
        "ar": "اخترقوا حسابي وعم ينشروا منه هلق",
    },
}


@pytest.mark.parametrize("lane", LANES)
@pytest.mark.parametrize("lang", ("en", "es", "fr", "pt", "ru", "ar"))
def test_every_lane_is_answered_in_the_message_language_with_a_confirmed_contact(
    library: Library, lane: str, lang: str
) -> None:
    assessment = library.detector.assess(MESSAGES[lane][lang])
    assert lane in assessment.lanes, assessment
    reply = respond(library, MESSAGES[lane][lang], Prefs(lang="en"))
    assert reply.kind == "crisis" and reply.lang == lang
    assert reply.category == assessment.category
    assert library.texts.get(lang, f"crisis_ack_{reply.category}") in reply.text
    assert reply.entry_ids, "at least one contact"
    shown = {r.id: r for r in library.corpus.resources}
    assert all(shown[i].showable for i in reply.entry_ids)


def test_a_medical_emergency_comes_first_and_sexual_violence_names_the_72_hours(
    library: Library,
) -> None:
    overdose = respond(library, MESSAGES["medical"]["en"], Prefs())
    assert overdose.category == "medical"
    assert library.texts.get("en", "crisis_ask_medical") in overdose.text
    assault = respond(library, MESSAGES["sexual_violence"]["es"], Prefs(country="ES"))
    assert "72" in assault.text


def test_no_country_is_offered_a_risky_line_first(library: Library) -> None:
    """For every country of contacts-by-country.md and every lane: at least one line, and the
    first is never a ⚠ line, nor the emergency number where the police may be the threat or
    suicide is a crime."""
    router = library.escalation.router
    assert len(library.corpus.countries) >= 50
    for country in library.corpus.countries:
        for lane in LANES:
            lines = library.escalation.resources_for(lane, country.iso, "en")
            assert lines, (country.iso, lane)
            first = lines[0]
            assert not first.caution, (country.iso, lane, first.id)
            if country.police_threat or country.suicide_criminalised:
                assert not router.is_emergency(first), (country.iso, lane, first.id)


async def test_in_russia_the_emergency_number_is_never_first_and_says_if_safe(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    russia = library.corpus.country("RU")
    assert russia is not None and russia.police_threat
    async with running_bot(api, library, tmp_path):
        await api.send_text("/country RU", lang="ru")
        await api.wait_sent(1)
        await api.send_text(MESSAGES["medical"]["ru"], lang="ru")
        await api.wait_sent(2)
        await api.send_text("/country TR", user_id=7, lang="en")
        await api.wait_sent(1, chat_id=7)
        await api.send_text(MESSAGES["suicide"]["en"], user_id=7, lang="en")
        await api.wait_sent(2, chat_id=7)
    medical = visible(api.texts(1001)[1])
    first_line = next(line for line in medical.splitlines() if line.startswith("• "))
    assert "112" not in first_line and ": 03" not in first_line, first_line
    assert library.texts.get("ru", "line_if_safe") in medical  # beside 112 / 03
    suicidal = visible(api.texts(7)[1])
    first_line = next(line for line in suicidal.splitlines() if line.startswith("• "))
    assert "112" not in first_line, first_line


FOLLOW_UP = {"en": "no", "es": "no", "fr": "non", "pt": "não", "ru": "нет", "ar": "لا"}


async def test_every_lane_and_language_through_telegram_with_a_follow_up_turn(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    """36 people at once, one per lane and language: each first reply is the crisis reply in
    the message's language with a contact, within 2 s; each typed "no" that follows is answered
    in the same language, never with "I have no guidance"."""
    cases = [(lane, lang) for lane in LANES for lang in FOLLOW_UP]
    users = {case: 60_000 + number for number, case in enumerate(cases)}
    sent_at: dict[int, float] = {}
    async with running_bot(api, library, tmp_path):
        for (lane, lang), user in users.items():
            sent_at[user] = time.monotonic()
            await api.send_text(MESSAGES[lane][lang], user_id=user)
        await api.wait(lambda: all(len(api.sent(u)) >= 1 for u in users.values()), timeout=20)
        for (_, lang), user in users.items():
            await api.send_text(FOLLOW_UP[lang], user_id=user)
        await api.wait(lambda: all(len(api.sent(u)) >= 2 for u in users.values()), timeout=20)
    for (lane, lang), user in users.items():
        first, second = api.sent(user)[:2]
        crisis, follow = visible(first.params["text"]), visible(second.params["text"])
        assert first.at - sent_at[user] <= 2.0, (lane, lang)
        category = library.detector.assess(MESSAGES[lane][lang]).category
        assert library.texts.get(lang, f"crisis_ack_{category}") in crisis, (lane, lang)
        assert "• " in crisis, (lane, lang)  # at least one contact line
        assert library.texts.get(lang, "no_answer") not in follow, (lane, lang)
        replies = ("reply_not_safe", "reply_safe_struggling")
        assert any(library.texts.get(lang, key) in follow for key in replies), (lane, lang)
