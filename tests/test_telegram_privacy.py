"""Privacy through Telegram: /privacy, /forget, discreet mode (surviving a restart) and /clear."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.core.library import Library
from bot.keys import load_secret, user_key
from tests.botapi import BotAPI
from tests.conftest import running_bot
from tests.test_telegram import buttons, visible

USER = 1001


def rows(data_dir: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "guidebot.sqlite3") as db:
        return db.execute(query).fetchall()


async def test_privacy_says_what_is_kept_and_that_telegram_keeps_the_chat(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path, retention_days=90):
        await api.send_text("/privacy")
        (privacy,) = await api.wait_sent(1)
    text = visible(privacy.params["text"])
    assert "end-to-end" in text and "/forget" in text and "90" in text


async def test_forget_leaves_no_row_for_the_user(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("/start")
        await api.wait_sent(1)
        await api.press("role:defender")
        await api.wait_sent(2)
        await api.send_text("/country FR")
        await api.wait_sent(3)
        assert rows(tmp_path, "SELECT role, country FROM prefs") == [("defender", "FR")]
        await api.send_text("/forget")
        (*_, done) = await api.wait_sent(4)
        await api.send_text("/sos")
        (*_, sos) = await api.wait_sent(5)
    assert visible(done.params["text"]) == library.texts.get("en", "forget_done")
    assert rows(tmp_path, "SELECT * FROM prefs") == []
    assert "3114" not in visible(sos.params["text"])  # the country is forgotten in memory too


async def test_forget_under_load_always_succeeds_and_leaves_nothing_anywhere(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    """Twenty people in discreet mode /forget at once while twenty others ask questions: every
    /forget answers "done", and no key, preference or chat id of theirs remains in the database,
    its WAL file or the table of pending deletions."""
    forgetting, asking = range(3001, 3021), range(4001, 4021)
    async with running_bot(api, library, tmp_path, discreet_minutes=30):
        for user in forgetting:
            await api.send_text("/country FR", user_id=user)
            await api.send_text("/discreet on", user_id=user)
            await api.send_text("i can't sleep", user_id=user)
        await api.wait(lambda: all(len(api.sent(u)) >= 3 for u in forgetting), timeout=30)
        assert len(rows(tmp_path, "SELECT * FROM deletions")) >= 20
        for user in forgetting:
            await api.send_text("/forget", user_id=user)
            await api.send_text("how do I sleep after a raid", user_id=user + 1000)
        await api.wait(lambda: all(len(api.sent(u)) >= 4 for u in forgetting), timeout=30)
        await api.wait(lambda: all(len(api.sent(u)) >= 1 for u in asking), timeout=30)
        done = [visible(api.texts(u)[-1]) for u in forgetting]
    assert done == [library.texts.get("en", "forget_done")] * 20
    assert rows(tmp_path, "SELECT * FROM prefs") == []
    assert rows(tmp_path, "SELECT * FROM deletions") == []
    secret = load_secret(tmp_path)
    keys = [user_key(secret, user).encode() for user in forgetting]
    for name in ("guidebot.sqlite3", "guidebot.sqlite3-wal"):
        path = tmp_path / name
        content = path.read_bytes() if path.exists() else b""
        assert not any(key in content for key in keys), name


async def test_role_defender_is_offered_discreet_mode_which_sends_quietly_with_a_neutral_preview(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path, discreet_minutes=30):
        await api.press("role:defender")
        (offer,) = await api.wait_sent(1)
        assert "discreet:on" in buttons(offer)
        await api.press("discreet:on")
        await api.wait_sent(2)
        await api.send_text("i can't sleep")
        (*_, answer) = await api.wait_sent(3)
    preview = library.texts.get("en", "discreet_preview")
    assert visible(answer.params["text"]).split("\n")[0] == preview
    assert answer.params["disable_notification"] in ("True", "true", True)
    assert answer.params["protect_content"] in ("True", "true", True)
    pending = rows(tmp_path, "SELECT chat_id, message_id, due FROM deletions")
    assert len(pending) == 2  # the confirmation and the answer
    assert all(29 * 60 < due - time.time() <= 30 * 60 for _, _, due in pending)


async def test_discreet_deletions_fire_after_a_restart(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        await api.send_text("/discreet on")
        await api.wait_sent(1)
        await api.send_text("i can't sleep")
        await api.wait_sent(2)
    pending = rows(tmp_path, "SELECT chat_id, message_id FROM deletions")
    assert len(pending) == 2
    with sqlite3.connect(tmp_path / "guidebot.sqlite3") as db:  # time passes while it is down
        db.execute("UPDATE deletions SET due = ?", (time.time() - 1,))
    api.calls.clear()
    async with running_bot(api, library, tmp_path):
        await api.wait(lambda: len(api.of("deleteMessages")) >= 2)
        await api.wait(lambda: not rows(tmp_path, "SELECT * FROM deletions"))
    deleted = {
        (int(c.params["chat_id"]), *c.params["message_ids"]) for c in api.of("deleteMessages")
    }
    assert deleted == {(int(chat), int(message)) for chat, message in pending}


async def test_clear_deletes_recent_messages_on_both_sides(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path):
        asked = await api.send_text("i can't sleep")
        await api.wait_sent(1)
        command = await api.send_text("/clear")
        await api.wait_sent(2)
    (call,) = api.of("deleteMessages")
    ids = set(call.params["message_ids"])
    mine = {asked["message"]["message_id"], command["message"]["message_id"]}
    bots = {1}  # the stand-in numbers the bot's messages per chat from 1
    assert mine | bots <= ids
    assert visible(api.texts()[-1]) == library.texts.get("en", "clear_done", count=len(ids))
    assert len(ids) == 3
