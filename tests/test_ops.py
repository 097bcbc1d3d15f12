"""Operator commands against a real data folder: doctor, stats, backup; /stats for admins."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from bot.core.library import Library
from bot.paths import default_corpus_dir
from tests.botapi import BotAPI
from tests.conftest import TOKEN, running_bot
from tests.test_telegram import visible


def guidebot(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "GUIDEBOT_DATA_DIR": str(tmp_path / "data"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=environ,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_stats_and_backup_from_a_used_database(
    api: BotAPI, library: Library, tmp_path: Path
) -> None:
    async with running_bot(api, library, tmp_path / "data", admin_ids=frozenset({1001})):
        for text in ("i can't sleep", "I want to die", "/stats"):
            await api.send_text(text)
        await api.send_text("/stats", user_id=2002)
        await api.wait_sent(3)
        await api.wait_sent(1, chat_id=2002)
    admin_stats = visible(api.texts(1001)[2])
    assert "crisis:suicide: 1" in admin_stats and "answer:sc: 1" in admin_stats
    refusal = visible(api.texts(2002)[0])
    assert "crisis" not in refusal  # not an admin: no figures, only their own id to set one up
    assert refusal.endswith("id: 2002")
    result = guidebot(tmp_path, "stats", "--json")
    assert result.returncode == 0 and '"crisis:suicide": 1' in result.stdout
    copy = tmp_path / "backup" / "copy.sqlite3"
    result = guidebot(tmp_path, "backup", str(copy))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT sum(count) FROM counters").fetchone()[0] >= 3
    assert guidebot(tmp_path, "backup", str(copy)).returncode == 1  # never overwrites


def test_doctor_passes_on_a_good_set_up_and_fails_clearly_on_a_bad_one(tmp_path: Path) -> None:
    good = guidebot(tmp_path, "doctor", TELEGRAM_BOT_TOKEN=TOKEN)
    assert good.returncode == 0, good.stdout
    assert "PASS  corpus" in good.stdout and "PASS  token" in good.stdout
    (tmp_path / "data").mkdir(mode=0o755)
    os.chmod(tmp_path / "data", 0o755)
    bad = guidebot(tmp_path, "doctor", TELEGRAM_BOT_TOKEN="nope", GUIDEBOT_LOG_LEVEL="LOUD")
    assert bad.returncode == 1
    assert "FAIL  token" in bad.stdout and "FAIL  settings" in bad.stdout
    assert "nope" not in bad.stdout


async def test_doctor_online_asks_the_bot_api(api: BotAPI, tmp_path: Path) -> None:
    result = await asyncio.to_thread(
        guidebot,
        tmp_path,
        "doctor",
        "--online",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=api.base_url,
    )
    assert "PASS  telegram   getMe answered: @GuideTestBot" in result.stdout, result.stdout


def test_a_flag_beats_the_environment_for_every_command(tmp_path: Path) -> None:
    """`--corpus` wins over GUIDEBOT_CORPUS, for doctor as for corpus check."""
    empty = tmp_path / "empty"
    empty.mkdir()
    good = str(default_corpus_dir())
    for command in (("doctor",), ("corpus", "check")):
        flag_good = guidebot(
            tmp_path,
            "--corpus",
            good,
            *command,
            TELEGRAM_BOT_TOKEN=TOKEN,
            GUIDEBOT_CORPUS=str(empty),
        )
        assert flag_good.returncode == 0, (command, flag_good.stdout, flag_good.stderr)
        flag_bad = guidebot(
            tmp_path,
            "--corpus",
            str(empty),
            *command,
            TELEGRAM_BOT_TOKEN=TOKEN,
            GUIDEBOT_CORPUS=good,
        )
        assert flag_bad.returncode != 0, (command, flag_bad.stdout)


def test_doctor_reports_an_empty_secret_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    (data / "secret.key").write_text("")
    (data / "secret.key").chmod(0o600)
    result = guidebot(tmp_path, "doctor", TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.returncode == 1
    assert "FAIL  secret" in result.stdout and "empty or damaged" in result.stdout, result.stdout
