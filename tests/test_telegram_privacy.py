"""Privacy through Telegram: /privacy, /forget, discreet mode (surviving a restart) and /clear."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

from bot.content.model import AUDIENCES
from bot.core.library import Library
from bot.core.routes import Command
from bot.detect.places import iso_country
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


HOSTILE = "WHITELIST-PROBE"
USERS = 400


async def test_hostile_input_through_every_path_leaves_only_whitelisted_values_in_every_table(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    """Typed text, command names and arguments, captions and forged button data, hostile and
    ordinary, from many users: afterwards every TEXT value of every table matches a whitelist
    (codes, ids, dates, fixed counter names) and none carries what was typed."""
    texts = [
        f"i can't sleep {HOSTILE}",
        f"I want to kill myself {HOSTILE}",
        f"/start {HOSTILE}",
        f"/country {HOSTILE}",
        "/country XX",
        "/country Грузия",
        f"/language {HOSTILE}",
        "/language es",
        f"/role {HOSTILE}",
        "/role practitioner",
        f"/discreet {HOSTILE}",
        f"/{HOSTILE.lower()} hello",
        f"/help\n{HOSTILE}",
        f"<b>{HOSTILE}</b>",
        "yes",
        f"estoy en {HOSTILE}",
    ]
    presses = [
        f"vote:{HOSTILE}:up",
        "vote:sc-when-to-seek-professional-help:up",
        f"country:{HOSTILE[:2]}",
        f"lang:{HOSTILE}",
        f"role:{HOSTILE}",
        f"topic:{HOSTILE}",
        f"more:{HOSTILE}",
        f"{HOSTILE}:x",
    ]
    async with running_bot(api, library, tmp_path, admin_ids=frozenset({7001})):
        for number in range(USERS):  # 25 updates each: 10,000 in all
            user = 7000 + number
            for text in texts:
                await api.send_text(text, user_id=user)
            for data in presses:
                await api.press(data, user_id=user)
            await api.send(
                photo={"file_id": "p", "file_unique_id": "p"}, caption=HOSTILE, user_id=user
            )
        await api.wait(lambda: len(api.sent(7000 + USERS - 1)) >= 5, timeout=300)
        await api.send_text("/stats", user_id=7001)
        await api.wait(lambda: any("30 days" in t for t in api.texts(7001)), timeout=30)
    languages = set(library.texts.languages)
    prefixes = {entry.id.split("-")[0] for entry in library.corpus.entries}
    counter = re.compile(
        r"^(crisis:(medical|suicide|danger|detention|sexual_violence|digital|sos|followup|check_in)"
        r"|command:[a-z]+|answer:(" + "|".join(sorted(prefixes)) + r")"
        r"|answer|no_answer|intent|menu|info|error|crisis|checklist)$"
    )
    commands = {f"command:{name.value}" for name in Command} | {"command:unknown"}
    base_ids = {entry.base_id for entry in library.corpus.entries}
    day = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    whitelist = {
        ("prefs", "user_key"): lambda v: re.fullmatch(r"[0-9a-f]{64}", v),
        ("prefs", "role"): lambda v: v in AUDIENCES,
        ("prefs", "lang"): lambda v: v in languages,
        ("prefs", "country"): iso_country,
        ("prefs", "first_seen"): day.match,
        ("prefs", "last_seen"): day.match,
        ("counters", "day"): day.match,
        ("counters", "name"): lambda v: (
            counter.match(v) and (not v.startswith("command:") or v in commands)
        ),
        ("votes", "day"): day.match,
        ("votes", "entry_id"): lambda v: v in base_ids,
        ("votes", "vote"): lambda v: v in ("up", "down"),
    }
    with sqlite3.connect(tmp_path / "guidebot.sqlite3") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        checked = 0
        for table in tables:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            for column in columns:
                for (value,) in db.execute(f"SELECT {column} FROM {table}"):
                    if not isinstance(value, str):
                        continue
                    assert (table, column) in whitelist, (table, column, value)
                    assert whitelist[table, column](value), (table, column, value)
                    assert HOSTILE.lower() not in value.lower(), (table, column)
                    checked += 1
    assert checked > 100  # prefs, counters and a vote were written
