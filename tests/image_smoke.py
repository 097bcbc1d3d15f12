"""Smoke-test a built container image against the tests' Bot API stand-in (needs Docker).

    docker build -f deploy/Dockerfile -t guidebot .
    python -m tests.image_smoke guidebot

Runs the image as deploy/compose.yaml does (read-only root, tmpfs /tmp, a named volume on /data,
all capabilities dropped, no-new-privileges) on the host network so that it reaches the stand-in
on 127.0.0.1, and checks: it starts and registers its commands, answers a question and a crisis
message, reports healthy, runs as uid 10001, cannot write to its root filesystem, keeps its
database and secret in /data, stops on SIGTERM with exit code 0, and its log holds neither the
token nor the messages. Not part of `pytest` (CI machines have no Docker engine); run it before
publishing an image. Exit status 0 when every check passes.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

from tests.botapi import BotAPI

TOKEN = "123456789:AAH" + "x" * 32
NAME = "guidebot-smoke"
VOLUME = "guidebot-smoke-data"
HEALTH_PORT = "18081"
QUESTION, CRISIS = "i can't sleep", "I want to die"


def docker(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, check=False)
    if check and result.returncode:
        raise SystemExit(f"docker {args[0]} failed: {result.stderr.strip()[-500:]}")
    return result


async def smoke(image: str) -> list[str]:
    """Run the checks; return the failures (empty: all passed)."""
    failures: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(("PASS  " if ok else "FAIL  ") + what)
        if not ok:
            failures.append(what)

    api = BotAPI(TOKEN)
    await api.start()
    docker("rm", "-f", NAME, check=False)
    docker("volume", "rm", "-f", VOLUME, check=False)
    try:
        docker(
            *("run", "-d", "--name", NAME, "--network", "host", "--read-only"),
            *("--tmpfs", "/tmp", "--cap-drop", "ALL", "--security-opt", "no-new-privileges"),
            *("-v", f"{VOLUME}:/data", "-e", f"TELEGRAM_BOT_TOKEN={TOKEN}"),
            *("-e", f"TELEGRAM_BASE_URL={api.base_url}"),
            *("-e", f"GUIDEBOT_HEALTH_PORT={HEALTH_PORT}"),
            *("--health-interval", "2s", "--health-start-period", "1s", image),
        )
        started = time.monotonic()
        await api.wait(lambda: len(api.of("setMyCommands")) >= 6, timeout=60)
        check(True, f"started and registered its commands in {time.monotonic() - started:.1f} s")
        await api.send_text(QUESTION, user_id=501)
        await api.send_text(CRISIS, user_id=502)
        await api.wait(lambda: bool(api.sent(501) and api.sent(502)), timeout=30)
        check("📖" in api.texts(501)[0], "answered a question with a citation")
        check("findahelpline.com" in api.texts(502)[0].lower(), "answered a crisis with resources")
        status = ""
        for _ in range(30):
            status = docker("inspect", "-f", "{{.State.Health.Status}}", NAME).stdout.strip()
            if status == "healthy":
                break
            await asyncio.sleep(1)
        check(status == "healthy", f"health check: {status}")
        check(docker("exec", NAME, "id", "-u").stdout.strip() == "10001", "runs as uid 10001")
        write = docker("exec", NAME, "touch", "/probe", check=False)
        check(write.returncode != 0, "root filesystem is read-only")
        files = docker("exec", NAME, "ls", "/data").stdout.split()
        check({"guidebot.sqlite3", "secret.key"} <= set(files), "database and secret in /data")
        docker("stop", "-t", "20", NAME)
        code = docker("inspect", "-f", "{{.State.ExitCode}}", NAME).stdout.strip()
        check(code == "0", f"stopped on SIGTERM with exit code {code}")
        logs = docker("logs", NAME)
        text = logs.stdout + logs.stderr
        check(TOKEN not in text and TOKEN.split(":")[1] not in text, "token not in the log")
        check(QUESTION not in text and CRISIS not in text, "messages not in the log")
    finally:
        docker("rm", "-f", NAME, check=False)
        docker("volume", "rm", "-f", VOLUME, check=False)
        await api.stop()
    return failures


def main() -> int:
    image = sys.argv[1] if len(sys.argv) > 1 else "guidebot"
    failures = asyncio.run(smoke(image))
    print(f"{'all checks passed' if not failures else f'{len(failures)} failed'} ({image})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
