"""Cold start to ready, RSS of the running bot, and `guidebot ask` wall time.

`python -m bot run` is started as an operator starts it (settings from the environment) against
the Bot API stand-in; it is ready when the stand-in sees its 6th setMyCommands (start-up
registers the command menu in six languages, last but one step; then the health endpoint opens).
Its RSS is read from /proc/<pid>/status then, and again after it has answered messages.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.e2e import TOKEN, StandIn, workload

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = 6


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _environment(base_url: str, data: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": data,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": base_url,
        "GUIDEBOT_DATA_DIR": str(Path(data) / "state"),
        "GUIDEBOT_HEALTH_PORT": "0",
    }
    return env


async def _one_start(answers: int) -> dict[str, Any]:
    api = StandIn(TOKEN)
    await api.start()
    with tempfile.TemporaryDirectory() as data:
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=_environment(api.base_url, data),
            cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await api.wait(lambda: len(api.of("setMyCommands")) >= LANGUAGES, timeout=60)
            ready = api.of("setMyCommands")[LANGUAGES - 1].at - started
            result: dict[str, Any] = {
                "ready_s": round(ready, 3),
                "rss_ready_mb": _status_mb(process.pid, "VmRSS"),
            }
            if answers:
                await api.wait_sent(0)
                chats = set()
                for chat, update in workload(api, answers, 50_000):
                    chats.add(chat)
                    await api.push(update)
                await api.wait(
                    lambda: {int(c.params["chat_id"]) for c in api.sent()} >= chats,
                    timeout=answers * 0.5 + 30,
                )
                result["rss_after_answers_mb"] = _status_mb(process.pid, "VmRSS")
                result["rss_peak_mb"] = _status_mb(process.pid, "VmHWM")
                result["answers"] = answers
            else:
                # Polling for sure before SIGTERM: one right at the end of start-up (before
                # "Application started") has been seen to hang shutdown (see bench/README.md).
                await api.push(workload(api, 1, 60_000, "/help")[0][1])
                await api.wait_sent(1, chat_id=60_000, timeout=30)
            stop = time.monotonic()
            process.send_signal(signal.SIGTERM)
            try:
                result["exit_code"] = await asyncio.wait_for(process.wait(), 30)
                result["stop_s"] = round(time.monotonic() - stop, 3)
            except TimeoutError:
                result["exit_code"] = None
                result["stop_hung"] = True
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    await api.stop()
    return result


def _ask(text: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", text],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    return time.monotonic() - started


def _parts() -> dict[str, float]:
    """Where start-up time goes, each step timed in a fresh interpreter."""
    script = (
        "import time, json\n"
        "t0 = time.perf_counter()\n"
        "import bot.channels.telegram.app\n"
        "t1 = time.perf_counter()\n"
        "from bot.content import load_corpus\n"
        "from bot.paths import default_corpus_dir, default_intents_dir\n"
        "from bot.detect.crisis import CrisisDetector\n"
        "from bot.detect.intents import IntentRecognizer\n"
        "from bot.search.analysis import analyzers\n"
        "from bot.search.index import SearchIndex\n"
        "t2 = time.perf_counter(); corpus = load_corpus(default_corpus_dir())\n"
        "t3 = time.perf_counter(); CrisisDetector.load(default_intents_dir())\n"
        "IntentRecognizer.load(default_intents_dir())\n"
        "t4 = time.perf_counter()\n"
        "SearchIndex.build(corpus, analyzers(corpus.stopwords, corpus.synonyms))\n"
        "t5 = time.perf_counter()\n"
        "print(json.dumps({'import_bot_and_telegram_s': t1 - t0, 'load_corpus_s': t3 - t2,\n"
        "  'load_intents_s': t4 - t3, 'build_index_s': t5 - t4}))\n"
    )
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    interpreter = time.monotonic() - started
    output = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    import json  # noqa: PLC0415

    parts = {k: round(v, 3) for k, v in json.loads(output).items()}
    return {"python_start_s": round(interpreter, 3), **parts}


def run(repeats: int = 3, answers: int = 200) -> dict[str, Any]:
    _ask("warm up")  # byte-code caches, page cache: what a restarted service finds
    starts = [asyncio.run(_one_start(answers if n == 0 else 0)) for n in range(repeats)]
    asks = [_ask("i can't sleep since the raid") for _ in range(repeats)]
    ready = [s["ready_s"] for s in starts]
    return {
        "ready_s_median": round(statistics.median(ready), 3),
        "ready_s_runs": ready,
        "rss_ready_mb": starts[0]["rss_ready_mb"],
        "rss_after_answers_mb": starts[0].get("rss_after_answers_mb"),
        "rss_peak_mb": starts[0].get("rss_peak_mb"),
        "answers": answers,
        "stop_s": starts[0].get("stop_s"),
        "stops_hung": sum(bool(s.get("stop_hung")) for s in starts),
        "exit_codes": [s["exit_code"] for s in starts],
        "ask_s_median": round(statistics.median(asks), 3),
        "ask_s_runs": [round(a, 3) for a in asks],
        "parts": _parts(),
    }


if __name__ == "__main__":
    print(run())
