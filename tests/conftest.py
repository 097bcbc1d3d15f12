"""Shared fixtures: the real bundled corpus, intents and index, loaded once per session."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.channels.telegram.app import ALLOWED_UPDATES, Runtime, build
from bot.core.boot import load_library
from bot.core.library import Library
from bot.detect.crisis import CrisisDetector
from bot.paths import default_corpus_dir, default_intents_dir
from bot.settings import Settings
from tests.botapi import BotAPI

DEV = Path(__file__).parent / "dev"
# Modules whose tests start `guidebot` as a process, restart the bot or fuzz it: slow by nature.
SLOW_MODULES = {"test_cli", "test_faults", "test_fuzz", "test_ops", "test_run"}
SLOW_TESTS = {
    "test_updates_arriving_while_sending_fails_are_all_answered",
    "test_server_errors_and_time_outs_are_retried_until_the_answer_is_sent",
    "test_discreet_deletions_fire_after_a_restart",
    "test_the_gate_agrees_on_mixed_fragments",
    "test_the_gate_agrees_with_every_expression_on_the_dev_messages",
    "test_index_equals_phrase_by_phrase_matching",
    "test_hostile_input_through_every_path_leaves_only_whitelisted_values_in_every_table",
    "test_sigkill_loses_no_update_fetched_but_not_yet_answered",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in SLOW_MODULES or item.originalname in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="session")
def detector(library: Library) -> CrisisDetector:
    return library.detector


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled corpus, for tests that break it on purpose."""
    target = tmp_path / "corpus"
    shutil.copytree(default_corpus_dir(), target)
    return target


@pytest.fixture
def intents_copy(tmp_path: Path) -> Path:
    target = tmp_path / "intents"
    shutil.copytree(default_intents_dir(), target)
    return target


# -- Telegram end to end: the real Application against the loopback Bot API stand-in ------------

TOKEN = "123456789:AAH" + "x" * 32  # the shape of a BotFather token; only the stand-in knows it


@pytest.fixture
async def api() -> AsyncIterator[BotAPI]:
    server = BotAPI(TOKEN)
    await server.start()
    yield server
    await server.stop()


@asynccontextmanager
async def running_bot(
    api: BotAPI, library: Library, data_dir: Path, **overrides: Any
) -> AsyncIterator[Runtime]:
    """Start the bot as `guidebot run` does (same builder, same hooks), polling the stand-in."""
    flood = overrides.pop("flood", None)
    patience = overrides.pop("patience", 30.0)
    settings = Settings(
        token=TOKEN, base_url=api.base_url, data_dir=data_dir, health_port=0, **overrides
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    runtime = build(settings, library, secret="test-secret", flood=flood, patience=patience)
    app = runtime.application
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
    await app.start()
    try:
        yield runtime
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)
