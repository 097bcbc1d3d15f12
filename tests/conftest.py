"""Shared fixtures: the real bundled corpus, intents and index, loaded once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.dialogue import Assistant
from bot.engine import load_assistant
from bot.paths import default_corpus_dir, default_intents_dir

DEV = Path(__file__).parent / "dev"


@pytest.fixture(scope="session")
def assistant() -> Assistant:
    return load_assistant()


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
