"""Where an update's CPU time goes, without Telegram: the core's steps on 240 of the dev questions
(spread over the six languages' files), each timed alone in this process.

- `crisis.assess`: `CrisisDetector.assess` (the lexicons of every language, typo-tolerant);
- `search`: `SearchIndex.search` in the question's language;
- `respond`: the whole answer (it assesses, detects the language, searches, renders);
- `turns.message`: what the Telegram handler calls (it assesses, then `respond` uses
  that assessment; with a real Store on a temporary SQLite file, one new user per message, so
  one preferences read each; CPU includes the database thread's).
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.library import Library
from bot.core.prefs import Prefs, User
from bot.core.respond import respond
from bot.core.turn import TurnService
from bot.evaluate import load_questions
from bot.store import Store

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "dev"


def _questions() -> list[tuple[str, str]]:
    out = []
    for path in sorted(QUESTIONS.glob("questions*.yaml")):
        out += [(q.text, q.lang) for q in load_questions(path)]
    return out


def _figures(wall: list[float], cpu: float) -> dict[str, float]:
    values = np.array(wall) * 1000
    return {
        "cpu_ms_per_call": round(cpu * 1000 / len(wall), 2),
        "p50_ms": round(float(np.percentile(values, 50)), 2),
        "p99_ms": round(float(np.percentile(values, 99)), 2),
        "calls": len(wall),
    }


def _time(run: Callable[[str, str], Any], questions: list[tuple[str, str]]) -> dict[str, float]:
    # Every question once first: the steady state, as the e2e benchmark measures it. The first
    # typo in a language builds that language's spelling table (about 50 ms, once per process).
    for text, lang in questions:
        run(text, lang)
    gc.collect()
    wall = []
    cpu = time.process_time()
    for text, lang in questions:
        started = time.perf_counter()
        run(text, lang)
        wall.append(time.perf_counter() - started)
    return _figures(wall, time.process_time() - cpu)


async def _time_async(
    run: Callable[[int, str, str], Awaitable[Any]], questions: list[tuple[str, str]]
) -> dict[str, float]:
    wall = []
    cpu = time.process_time()
    for number, (text, lang) in enumerate(questions):
        started = time.perf_counter()
        await run(number, text, lang)
        wall.append(time.perf_counter() - started)
    return _figures(wall, time.process_time() - cpu)


async def _conversations(library: Library, questions: list[tuple[str, str]]) -> Any:
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(Path(folder) / "bench.sqlite3")
        try:
            turns = TurnService(library, store)
            for number, (text, lang) in enumerate(questions):  # warm, as `_time` does
                await turns.message(User(f"warm{number}", lang), text)

            async def message(number: int, text: str, lang: str) -> Any:
                return await turns.message(User(f"user{number}", lang), text)

            return await _time_async(message, questions)
        finally:
            await store.close()


def run(library: Library, count: int = 240) -> dict[str, Any]:
    every = _questions()
    questions = every[:: max(1, len(every) // count)][:count]  # spread over the six files
    index, detector = library.index, library.detector
    return {
        "questions": len(questions),
        "crisis.assess": _time(lambda text, lang: detector.assess(text), questions),
        "search": _time(lambda text, lang: index.search(text, lang=lang), questions),
        "respond": _time(lambda text, lang: respond(library, text, Prefs(lang=lang)), questions),
        "turns.message": asyncio.run(_conversations(library, questions)),
    }


if __name__ == "__main__":
    from bot.core.boot import load_library

    print(run(load_library()))
