"""`guidebot run` as an operator starts it: a real process, settings from the environment,
talking HTTP to the Bot API stand-in. Covers start-up errors, SIGTERM, /healthz and the marker
test: message content must reach no file and no log line, and the token no log line."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from tests.botapi import PHOTO, BotAPI, Fault
from tests.conftest import TOKEN

MARKER = "zq7marker"  # letters only, so it survives being a command argument or payload


def guidebot(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot", *args]


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir(exist_ok=True)
    temp.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "TMPDIR": str(temp),
        "GUIDEBOT_DATA_DIR": str(tmp_path / "data"),
        "GUIDEBOT_HEALTH_PORT": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update(extra)
    return env


async def start_bot(
    env: dict[str, str], cwd: Path, *args: str, quiet: bool = False
) -> asyncio.subprocess.Process:
    """`guidebot ARGS` (default `run`) as a process; its output captured unless `quiet`."""
    out = asyncio.subprocess.DEVNULL if quiet else asyncio.subprocess.PIPE
    err = asyncio.subprocess.DEVNULL if quiet else asyncio.subprocess.STDOUT
    return await asyncio.create_subprocess_exec(
        *guidebot(*(args or ("run",))), env=env, cwd=cwd, stdout=out, stderr=err
    )


async def reap(process: asyncio.subprocess.Process) -> None:
    """Kill `process` if a test left it running (a failed assertion, a time-out): no test may
    leave a bot polling the next test's stand-in."""
    if process.returncode is None:
        process.kill()
        await process.wait()


async def run_until_exit(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str]:
    process = await start_bot(env, cwd, *args)
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, output.decode()


@pytest.mark.parametrize(
    ("token", "expected"),
    [("", "TELEGRAM_BOT_TOKEN is not set"), ("12345", "does not look like a bot token")],
)
async def test_a_missing_or_malformed_token_is_one_clear_line(
    tmp_path: Path, token: str, expected: str
) -> None:
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=token)
    code, output = await run_until_exit(env, tmp_path, "run")
    assert code == 2
    assert expected in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1


async def test_a_broken_corpus_stops_start_up_naming_file_and_line(
    tmp_path: Path, corpus_copy: Path
) -> None:
    broken = corpus_copy / "passages" / "selfcare" / "everyday-practices.yaml"
    broken.write_text(broken.read_text().replace("    title:", "    titel:", 1))
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, GUIDEBOT_CORPUS=str(corpus_copy))
    code, output = await run_until_exit(env, tmp_path, "run")
    assert code == 1
    assert "everyday-practices.yaml:" in output and "titel" in output
    assert "Traceback" not in output


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def http_get(port: int, path: str) -> str:
    for _ in range(50):  # the endpoint opens last in start-up
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            break
        except ConnectionRefusedError:
            await asyncio.sleep(0.1)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    return data.decode()


async def test_marker_reaches_no_file_and_no_log_and_sigterm_stops_cleanly(
    api: BotAPI, tmp_path: Path
) -> None:
    health = free_port()
    env = environment(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=api.base_url,
        GUIDEBOT_LOG_LEVEL="DEBUG",
        GUIDEBOT_HEALTH_PORT=str(health),
        GUIDEBOT_DISCREET_MINUTES="30",
    )
    process = await start_bot(env, tmp_path)
    try:
        await api.wait(lambda: bool(api.of("setMyCommands")), timeout=30)
        await api.wait(lambda: len(api.of("setMyCommands")) >= 6, timeout=30)
        assert (await http_get(health, "/healthz")).startswith("HTTP/1.1 200")
        paths = [
            f"i can't sleep {MARKER}",  # an answer
            f"what is the capital of {MARKER}",  # out of scope
            f"I want to kill myself {MARKER}",  # crisis
            f"/start {MARKER}",  # deep-link payload
            f"/country {MARKER}",  # command argument
            f"/discreet on {MARKER}",
            f"/language {MARKER}",
        ]
        for text in paths:
            await api.send_text(text)
        edited = await api.send_text(f"burnout {MARKER}")
        await api.edit(edited, f"guilt {MARKER}")
        await api.send(
            photo=PHOTO,
            caption=f"{MARKER} look",
        )
        await api.press(f"more:{MARKER}")
        await api.wait_sent(len(paths) + 3, timeout=30)
        api.faults.append(Fault("sendMessage", status=400))  # an error path: BadRequest
        await api.send_text(f"i feel numb {MARKER}")
        await api.send_text("/discreet on")
        await api.wait_sent(len(paths) + 5, timeout=30)
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    finally:
        await reap(process)
    log = output.decode()
    assert process.returncode == 0, log[-2000:]
    assert "update_failed error=BadRequest" in log
    assert "bot_stopped" in log
    assert MARKER not in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    for folder in (tmp_path / "data", tmp_path / "home", tmp_path / "tmp"):
        for path in folder.rglob("*"):
            if path.is_file():
                assert MARKER.encode() not in path.read_bytes(), path
    database = tmp_path / "data" / "guidebot.sqlite3"
    assert database.exists()


async def test_an_unusable_data_folder_starts_a_degraded_bot_that_still_answers_a_crisis(
    api: BotAPI, tmp_path: Path
) -> None:
    """A data folder that cannot be created or written (here: a path through a file) no longer
    stops start-up: crisis replies and /sos go out, nothing is stored, the log says so once, and
    /healthz and doctor show it."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    health = free_port()
    env = environment(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=api.base_url,
        GUIDEBOT_DATA_DIR=str(blocker / "data"),
        GUIDEBOT_HEALTH_PORT=str(health),
    )
    process = await start_bot(env, tmp_path)
    try:
        await api.wait(lambda: len(api.of("setMyCommands")) >= 6, timeout=30)
        assert (await http_get(health, "/healthz")).rstrip().endswith("degraded")
        await api.send_text("they are at my door right now")
        await api.send_text("/sos")
        await api.wait_sent(2, timeout=30)
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 30)
    finally:
        await reap(process)
    log = output.decode()
    assert process.returncode == 0, log[-2000:]
    assert log.count("data_dir_unavailable degraded=true") == 1
    first, sos = api.texts()
    assert "Front Line Defenders" in first and "Front Line Defenders" in sos
    code, report = await run_until_exit(env, tmp_path, "doctor")
    assert code == 1 and "degraded" in report
