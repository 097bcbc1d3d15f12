"""Faults outside the bot: a Bot API that stops answering, the process killed mid-write, and a
database that is locked, read-only or on a full disk. The bot keeps answering (crisis first),
logs the fault without content, and the database stays intact and free of message text.

Read-only and full-disk cases need a file system that really refuses the writes. As root
(where chmod is ignored) they use a read-only bind mount and a tiny tmpfs; without the rights
to mount they run with chmod or are skipped, saying why.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.library import Library
from bot.migrations import MIGRATIONS
from bot.store import Store
from tests.botapi import BotAPI, Fault
from tests.conftest import TOKEN, running_bot
from tests.test_run import MARKER, environment, reap, start_bot
from tests.test_telegram import visible

DATABASE = "guidebot.sqlite3"
CRISIS = "I want to kill myself"
QUESTION = "i can't sleep since the raid"


def bot_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("bot")]


def no_marker_in(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes(), path


# -- the Bot API stops answering -------------------------------------------------------------------


async def test_a_send_that_times_out_is_retried_and_the_answer_arrives(
    api: BotAPI, library: Library, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The stand-in stalls longer than PTB's read timeout (5 s by default): the call fails with
    TimedOut on the bot's side, and the patient sender tries again."""
    caplog.set_level(logging.INFO)
    async with running_bot(api, library, tmp_path):
        api.faults.append(Fault("sendMessage", delay=6.0))
        started = time.monotonic()
        await api.send_text(CRISIS)
        (answer,) = await api.wait_sent(1, timeout=30)
    assert answer.at - started >= 5.0
    assert "findahelpline.com" in visible(answer.params["text"]).lower()
    assert "telegram_retry endpoint=sendMessage error=TimedOut" in bot_lines(caplog)


# -- SIGKILL in the middle of writes ---------------------------------------------------------------


def _schema(path: Path) -> tuple[int, list[tuple[str, str]]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
    return int(version), tables


def _written(path: Path) -> bool:
    """Do the votes and prefs tables each hold a row yet (read beside the running bot)?"""
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=0.1)) as db:
            return all(
                db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] > 0
                for table in ("votes", "prefs")
            )
    except sqlite3.Error:  # not created or migrated yet, or busy: ask again
        return False


async def _flood(api: BotAPI, library: Library, first_user: int) -> None:
    """Messages, votes, role presses and settings from many users, all queued at once."""
    entries = [e.id for e in library.corpus.entries if e.language == "en"][:20]
    for number in range(60):
        user = first_user + number
        await api.send_text(f"i can't sleep {MARKER} {number}", user_id=user)
        await api.press(f"vote:{entries[number % len(entries)]}:up", user_id=user)
        await api.press(
            ["role:defender", "role:coordinator", "role:practitioner"][number % 3], user_id=user
        )
        if number % 5 == 0:
            await api.send_text("/discreet on", user_id=user)
        if number % 7 == 0:
            await api.send_text(f"/country {MARKER}", user_id=user)
            await api.send_text("/language es", user_id=user)


async def test_sigkill_during_writes_leaves_an_intact_database_without_content(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url)
    data = tmp_path / "data"
    database = data / DATABASE
    for cycle, kill_after in enumerate((8, 40)):
        commands_before = len(api.of("setMyCommands"))
        process = await start_bot(env, tmp_path, quiet=True)
        try:
            ready = commands_before + 6
            await api.wait(lambda: len(api.of("setMyCommands")) >= ready, timeout=30)  # noqa: B023
            enough = len(api.sent()) + kill_after
            await _flood(api, library, 10_000 * (cycle + 1))
            # Killed mid-writes, but only once a vote and a choice have reached the file: eight
            # replies alone sometimes came before the first commit (3 runs in 9 on a busy VM).
            await api.wait(
                lambda: len(api.sent()) >= enough and _written(database),  # noqa: B023
                timeout=30,
            )
            process.send_signal(signal.SIGKILL)
            await process.wait()
        finally:
            await reap(process)
        assert process.returncode == -signal.SIGKILL
        no_marker_in(data)  # the raw files as the kill left them, WAL included
        version, tables = _schema(database)  # opening recovers the WAL
        assert version == len(MIGRATIONS)
        store = await Store.open(database)  # migrations re-apply as a no-op
        await store.close()
        assert _schema(database) == (version, tables)
        with contextlib.closing(sqlite3.connect(database)) as db:  # the kill came mid-writes
            assert db.execute("SELECT COUNT(*) FROM votes").fetchone()[0] > 0
            assert db.execute("SELECT COUNT(*) FROM prefs").fetchone()[0] > 0
        no_marker_in(data)

    # Restarted on the same files, the bot starts, answers and writes as before.
    process = await start_bot(env, tmp_path, quiet=True)
    try:
        await api.send_text("/language fr", user_id=99_001)
        await api.wait_sent(1, chat_id=99_001, timeout=60)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        await reap(process)
    with contextlib.closing(sqlite3.connect(database)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT SUM(count) FROM votes").fetchone()[0] > 0
        assert ("fr",) in db.execute("SELECT lang FROM prefs").fetchall()
    no_marker_in(data)


async def test_updates_fetched_but_not_handled_before_a_sigkill_are_answered_after_restart(
    api: BotAPI, tmp_path: Path
) -> None:
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url)
    chats = set(range(20_001, 20_041))
    for attempt in range(2):
        process = await start_bot(env, tmp_path, quiet=True)
        try:
            ready = 6 * (attempt + 1)
            await api.wait(lambda: len(api.of("setMyCommands")) >= ready, timeout=30)  # noqa: B023
            if attempt == 0:
                for chat in sorted(chats):
                    await api.send_text(QUESTION, user_id=chat)
                await api.wait_sent(3, timeout=30)
                process.send_signal(signal.SIGKILL)
            else:
                await api.send_text("/help", user_id=20_999)
                await api.wait_sent(1, chat_id=20_999, timeout=30)
                process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 30)
        finally:
            await reap(process)
    answered = {int(c.params["chat_id"]) for c in api.sent()}
    assert answered >= chats, f"{len(chats - answered)} of {len(chats)} updates lost"


# -- the database locked by another process ------------------------------------------------------


async def lock(path: Path) -> sqlite3.Connection:
    """Another process's write lock (BEGIN EXCLUSIVE, and a pending write), taken without
    blocking the event loop the bot runs on: while the bot finishes a write, try again."""
    locker = sqlite3.connect(path, timeout=0, isolation_level=None)
    for _ in range(200):
        try:
            locker.execute("BEGIN EXCLUSIVE")
            break
        except sqlite3.OperationalError:
            await asyncio.sleep(0.05)
    else:
        raise AssertionError("could not lock the database")
    locker.execute("INSERT INTO counters VALUES ('1999-01-01', 'locker', 1)")
    return locker


async def test_a_locked_database_delays_no_answer_and_the_fault_is_logged_without_content(
    api: BotAPI, library: Library, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    entry = next(e for e in library.corpus.entries if e.language == "en")
    async with running_bot(api, library, tmp_path):
        await api.send_text("/start")
        await api.wait_sent(1)
        locker = await lock(tmp_path / DATABASE)
        try:
            started = time.monotonic()
            await api.send_text(f"{CRISIS} {MARKER}", user_id=2002)
            (crisis,) = await api.wait_sent(1, chat_id=2002, timeout=30)
            await api.send_text(f"{QUESTION} {MARKER}", user_id=2003)
            (answer,) = await api.wait_sent(1, chat_id=2003, timeout=30)
            await api.send_text("/language fr", user_id=2006)  # a write that must fail
            (setting,) = await api.wait_sent(1, chat_id=2006, timeout=30)
        finally:
            locker.execute("COMMIT")
            locker.close()
        # The lock is gone: writes land again.
        await api.press(f"vote:{entry.id}:up", user_id=2004)
        await api.wait(lambda: bool(api.of("answerCallbackQuery")))
        await api.send_text("/language es", user_id=2005)
        await api.wait_sent(1, chat_id=2005)
    assert crisis.at - started < 1.5, crisis.at - started  # crisis first, lock or not
    assert answer.at - started < 3.0, answer.at - started
    assert setting.at - started < 4.5, setting.at - started  # answered, though not saved
    assert "findahelpline.com" in visible(crisis.params["text"]).lower()
    assert "📖" in visible(answer.params["text"])
    lines = bot_lines(caplog)
    assert "store_unavailable error=OperationalError" in lines
    assert not any(MARKER in line for line in lines)
    with contextlib.closing(sqlite3.connect(tmp_path / DATABASE)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT entry_id FROM votes").fetchall() == [(entry.base_id,)]
        assert db.execute("SELECT lang FROM prefs").fetchall() == [("es",)]
        # Counters are added up in memory and written once the lock is gone (here: at stop).
        counted = dict(db.execute("SELECT name, count FROM counters").fetchall())
        assert counted["crisis:suicide"] == 1 and counted["command:language"] == 2


# -- read-only and full file systems -------------------------------------------------------------


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make one file or folder read-only for this process, for real."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    try:  # root ignores file modes: a read-only bind mount refuses root's writes too
        _mount("--bind", str(path), str(path))
        _mount("-o", "remount,bind,ro", str(path))
    except (OSError, subprocess.CalledProcessError):
        _umount(path)
        pytest.skip("running as root without the right to mount: cannot make a file read-only")
    try:
        yield
    finally:
        _umount(path)


@contextlib.contextmanager
def small_disk(path: Path, size_kb: int) -> Iterator[None]:
    """A tmpfs of `size_kb` at `path`: a disk that really fills up."""
    path.mkdir(parents=True, exist_ok=True)
    try:
        _mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs", str(path))
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("no right to mount a tmpfs: a full disk cannot be simulated honestly here")
    try:
        yield
    finally:
        _umount(path)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(descriptor, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == 28  # ENOSPC
    finally:
        os.close(descriptor)
    return filler


async def _crisis_and_question(api: BotAPI, first_user: int) -> tuple[str, str, float]:
    started = time.monotonic()
    await api.send_text(f"{CRISIS} {MARKER}", user_id=first_user)
    (crisis,) = await api.wait_sent(1, chat_id=first_user, timeout=30)
    await api.send_text(f"{QUESTION} {MARKER}", user_id=first_user + 1)
    (answer,) = await api.wait_sent(1, chat_id=first_user + 1, timeout=30)
    return visible(crisis.params["text"]), visible(answer.params["text"]), answer.at - started


async def test_a_read_only_database_file_still_gets_answers_and_a_logged_fault(
    api: BotAPI, library: Library, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot opens the file as it always does; SQLite falls back to read-only, and every write
    fails at once. (A read-only copy opened by URI would test something the bot never does.)"""
    store = await Store.open(tmp_path / DATABASE)  # an existing database, as after a restart
    await store.close()
    caplog.set_level(logging.INFO)
    with read_only(tmp_path / DATABASE):
        async with running_bot(api, library, tmp_path):
            crisis, answer, seconds = await _crisis_and_question(api, 3001)
            await api.send_text("/language fr", user_id=3003)
            await api.wait_sent(1, chat_id=3003)
    assert "findahelpline.com" in crisis.lower() and "📖" in answer
    assert seconds < 3.0
    lines = bot_lines(caplog)
    assert "store_unavailable error=OperationalError" in lines
    assert not any(MARKER in line for line in lines)


async def test_a_read_only_data_folder_starts_a_degraded_bot_that_answers_crises(
    api: BotAPI, tmp_path: Path
) -> None:
    """A read-only data folder no longer stops start-up: crisis replies and /sos go out, the log
    says so once, nothing is written (tests/test_run.py covers a folder that cannot exist)."""
    data = tmp_path / "data"
    data.mkdir()
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url)
    with read_only(data):
        process = await start_bot(env, tmp_path)
        try:
            await api.wait(lambda: len(api.of("setMyCommands")) >= 6, timeout=30)
            await api.send_text("they are at my door right now")
            await api.send_text("/sos")
            await api.wait_sent(2, timeout=30)
            process.send_signal(signal.SIGTERM)
            output, _ = await asyncio.wait_for(process.communicate(), 30)
        finally:
            await reap(process)
    text = output.decode()
    assert process.returncode == 0, text[-2000:]
    assert text.count("data_dir_unavailable degraded=true") == 1
    assert "Traceback" not in text
    assert all("Front Line Defenders" in t for t in api.texts())
    assert list(data.iterdir()) == []


async def test_a_full_disk_still_gets_answers_and_the_store_recovers_when_space_returns(
    api: BotAPI, library: Library, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    disk = tmp_path / "disk"
    entry = next(e for e in library.corpus.entries if e.language == "en")
    caplog.set_level(logging.INFO)
    with small_disk(disk, 1024):
        async with running_bot(api, library, disk):
            await api.send_text("/start")
            await api.wait_sent(1)
            filler = fill(disk)
            crisis, answer, seconds = await _crisis_and_question(api, 4001)
            await api.send_text("/language pt", user_id=4003)
            await api.wait_sent(1, chat_id=4003)
            full = bot_lines(caplog)
            filler.unlink()
            await api.press(f"vote:{entry.id}:down", user_id=4004)
            await api.wait(lambda: bool(api.of("answerCallbackQuery")))
        with contextlib.closing(sqlite3.connect(disk / DATABASE)) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            votes = db.execute("SELECT entry_id, vote FROM votes").fetchall()
        no_marker_in(disk)
    assert "findahelpline.com" in crisis.lower() and "📖" in answer
    assert seconds < 3.0
    assert "store_unavailable error=OperationalError" in full  # the disk really was full
    assert not any(MARKER in line for line in bot_lines(caplog))
    assert votes == [(entry.base_id, "down")]  # space came back, and so did the store


# -- SIGTERM during start-up -----------------------------------------------------------------------


async def test_sigterm_during_start_up_still_stops_the_bot(api: BotAPI, tmp_path: Path) -> None:
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url)
    api.faults.append(Fault("deleteWebhook", delay=3.0))  # the bootstrap call stalls
    process = await start_bot(env, tmp_path)
    try:
        await api.wait(lambda: len(api.of("setMyCommands")) >= 6, timeout=30)
        await asyncio.sleep(0.5)  # now inside deleteWebhook
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 10)
    finally:
        await reap(process)
    assert code == 0


async def test_sigkill_loses_no_update_fetched_but_not_yet_answered(
    api: BotAPI, tmp_path: Path
) -> None:
    """Updates are confirmed to Telegram only once handled: killed mid-burst, the restarted bot
    answers every message the first one had fetched and not answered (at least once each)."""
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url)
    api.latency = 0.05  # each answer takes a little while, as over a real network
    users, each = range(50_001, 50_301), 5  # 1,500 updates: the burst
    process = await start_bot(env, tmp_path, quiet=True)
    try:
        await api.wait(lambda: len(api.of("setMyCommands")) >= 6, timeout=30)
        for _ in range(each):
            for user in users:
                await api.send_text("i can't sleep", user_id=user)
        await api.wait(lambda: len(api.sent()) >= 200, timeout=60)
        process.send_signal(signal.SIGKILL)
        await process.wait()
    finally:
        await reap(process)
    answered_before = len(api.sent())
    assert answered_before < len(users) * each  # the kill came mid-burst
    process = await start_bot(env, tmp_path, quiet=True)
    try:
        await api.wait(lambda: all(len(api.sent(user)) >= each for user in users), timeout=120)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        await reap(process)
