"""The Bot API failing for a stretch: no answer is lost. And errors reach the user as an apology."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from bot.core.library import Library
from bot.core.turn import TurnService
from tests.botapi import STICKER, BotAPI, Fault
from tests.conftest import running_bot
from tests.test_telegram import visible


async def test_server_errors_and_time_outs_are_retried_until_the_answer_is_sent(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        api.faults += [Fault("sendMessage", status=500, times=3), Fault("sendMessage", status=502)]
        await api.send_text("i can't sleep")
        await api.send_text("/sos")
        await api.wait_sent(2, timeout=30)
    first, second = (visible(t) for t in api.texts())
    assert "📖" in first and "Front Line Defenders" in second  # both answers, in order
    assert all(f.times == 0 for f in api.faults)


async def test_flood_control_retry_after_is_respected(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        api.faults.append(Fault("sendMessage", retry_after=2))
        started = time.monotonic()
        await api.send_text("i can't sleep")
        (answer,) = await api.wait_sent(1, timeout=30)
    assert answer.at - started >= 2.0
    assert "📖" in visible(api.texts()[0])


async def test_a_rate_limited_chat_never_holds_up_another_chats_crisis_reply(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    """Telegram's 429 is per chat: one person's flood must not delay someone else's help."""
    async with running_bot(api, library, tmp_path):
        api.faults.append(Fault("sendMessage", retry_after=5, chat_id=1001))
        await api.send_text("hello", user_id=1001)
        await asyncio.sleep(0.5)  # the 429 has been answered: chat 1001 is paused
        started = time.monotonic()
        await api.send_text("they are at my door right now", user_id=2002)
        (crisis,) = await api.wait_sent(1, chat_id=2002, timeout=10)
        (greeting,) = await api.wait_sent(1, chat_id=1001, timeout=30)
    assert crisis.at - started <= 1.0, crisis.at - started
    assert greeting.at - started >= 4.0  # the limited chat did wait


async def test_forty_stickers_get_a_dozen_replies_and_hold_up_nobodys_crisis_reply(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    """One flood guard for every kind of update; never for a crisis message."""
    async with running_bot(api, library, tmp_path):
        for _ in range(40):
            await api.send(sticker=STICKER, user_id=1001)
        started = time.monotonic()
        await api.send_text("they are at my door right now", user_id=2002)
        (crisis,) = await api.wait_sent(1, chat_id=2002, timeout=10)
        await api.send_text("they are at my door right now", user_id=1001)
        await api.wait(lambda: any("Front Line" in t for t in api.texts(1001)), timeout=10)
    assert crisis.at - started <= 2.0
    replies = api.texts(1001)
    assert len(replies) <= 14, len(replies)  # at most the limit, one warning, the crisis reply
    assert library.texts.get("en", "slow_down") in replies


async def test_an_update_the_library_cannot_read_is_skipped_with_one_line_and_nothing_stops(
    api: BotAPI, library: Library, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    poison = api.message("my secret words")
    poison["chat"] = "not a chat"  # python-telegram-bot cannot parse this update
    caplog.set_level(logging.INFO)
    async with running_bot(api, library, tmp_path):
        await api.push({"update_id": next(api._update_ids), "message": poison})
        await api.send_text("they are at my door right now")
        await api.wait(lambda: any("Front Line" in t for t in api.texts()), timeout=10)
        await api.send_text("i can't sleep")
        await api.wait_sent(2, timeout=10)
    logged = [r.getMessage() for r in caplog.records]
    skipped = [m for m in logged if "poison_update_skipped" in m]
    assert skipped == ["poison_update_skipped kind=message error=TypeError"]
    assert not any("my secret words" in m for m in logged)


async def test_updates_arriving_while_sending_fails_are_all_answered(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        api.faults.append(Fault("*", status=500, times=6))
        for text in ("i can't sleep", "burnout", "guilty resting", "/help", "/about"):
            await api.send_text(text)
        await api.wait_sent(5, timeout=60)
    assert len(api.texts()) == 5


async def test_an_error_in_a_handler_gets_an_apology_and_a_log_without_content(
    api: BotAPI,
    library: Library,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(self: TurnService, user: object, text: str, **_: object) -> None:
        raise ValueError(f"boom with the user's words: {text}")

    monkeypatch.setattr(TurnService, "message", broken)
    caplog.set_level(logging.DEBUG)
    async with running_bot(api, library, tmp_path):
        await api.send_text("zebra-marker-77 i can't sleep")
        (apology,) = await api.wait_sent(1)
    assert visible(apology.params["text"]) == library.texts.get("en", "error_apology")
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
    assert "update_failed error=ValueError" in ours
    assert "zebra-marker-77" not in ours  # PTB's own DEBUG lines are held by bot.logs at run time


async def test_crisis_is_answered_when_the_database_is_unavailable(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "guidebot.sqlite3").write_bytes(b"this is not a database" * 100)
    async with running_bot(api, library, data) as runtime:
        assert runtime.turns.store is None
        await api.send_text("I don't want to live anymore")
        await api.send_text("i can't sleep")
        await api.wait_sent(2)
    crisis, answer = (visible(t) for t in api.texts())
    assert "findahelpline.com" in crisis.lower() and "📖" in answer


async def test_a_slow_bot_api_holds_up_one_chat_not_everyone_and_keeps_each_chats_order(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    api.latency = 0.3
    users = range(3001, 3021)
    async with running_bot(api, library, tmp_path):
        started = time.monotonic()
        for user in users:
            await api.send_text("i can't sleep", user_id=user)
        for text in ("/help", "/about", "I want to die", "/privacy"):
            await api.send_text(text, user_id=4001)
        await api.wait(lambda: all(api.sent(u) for u in users), timeout=30)
        elapsed = time.monotonic() - started
        await api.wait_sent(4, chat_id=4001, timeout=30)
    assert elapsed < 20 * 0.3 / 2  # one at a time would take 6 s and more
    t = library.texts
    ordered = [visible(x) for x in api.texts(4001)]
    assert ordered[0] == t.get("en", "help").strip()
    assert "The guide has" in ordered[1]
    assert t.get("en", "crisis_still_here") in ordered[2]
    assert "end-to-end" in ordered[3]
