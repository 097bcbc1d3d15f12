"""The routing table is the bot's whole surface: every command and action has a handler and its
texts, and a message is read (folded) once whatever reads it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.numbers import format_decimal

import bot.detect.features
import bot.search.analysis
import bot.utterance
from bot.core.boot import load_library
from bot.core.library import Library
from bot.core.menus import about
from bot.core.prefs import Prefs
from bot.core.respond import respond
from bot.core.routes import ACTIONS, COMMANDS, Action, Command
from bot.errors import CorpusError
from bot.paths import default_corpus_dir


def test_every_command_and_action_has_one_route() -> None:
    assert set(COMMANDS) == set(Command)
    assert set(ACTIONS) == set(Action)
    for route in (*COMMANDS.values(), *ACTIONS.values()):
        assert callable(route.handler)
        assert not (route.private and route.group)  # a private setting is never used in a group
    assert COMMANDS[Command.SOS].urgent and COMMANDS[Command.SOS].group
    assert ACTIONS[Action.SAFETY].urgent  # the crisis reply's buttons are never held back


def test_every_command_is_described_in_every_language(library: Library) -> None:
    texts = library.texts
    assert len(texts.languages) == 6
    for name in COMMANDS:
        for lang in texts.languages:
            described = texts.get(lang, f"command_{name.value}")
            assert described and (lang == "en" or described != texts.get("en", f"command_{name}"))


@pytest.mark.parametrize("lang", ["en", "es", "fr", "pt", "ru", "ar"])
def test_about_says_how_much_of_the_guide_is_approved(library: Library, lang: str) -> None:
    """In every language: none approved yet, out of every entry in every language."""
    entries = len(library.corpus.entries)
    reply = about(library, Prefs(lang=lang))
    said = library.texts.get(
        lang, "about_approved", approved="0", entries=format_decimal(entries, locale=lang)
    )
    assert reply.blocks[-1].text == said and reply.lang == lang
    assert said != library.texts.get("en", "about_approved", approved="0", entries=entries)
    if lang == "en":
        assert f"0 of {entries:,} entries approved by a reviewer; the rest are drafts" in said


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_about_counts_an_approved_translation(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(default_corpus_dir(), corpus)
    path = corpus / "passages" / "selfcare" / "es" / "everyday-practices.yaml"
    approval = "review: {status: approved, by: Revisora, on: 2026-12-01}"
    path.write_text(path.read_text().replace("review: draft", approval, 1))
    library = load_library(corpus)
    total = format_decimal(len(library.corpus.entries), locale="es")
    assert (
        about(library, Prefs(lang="es"))
        .blocks[-1]
        .text.endswith(f": 1 de {total}. Las demás son borradores.")
    )


def test_a_text_the_code_needs_is_an_error_at_start(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(default_corpus_dir(), corpus)
    english = corpus / "ui" / "en.yaml"
    kept = [line for line in english.read_text().splitlines() if not line.startswith("slow_down:")]
    english.write_text("\n".join(kept) + "\n")
    with pytest.raises(CorpusError) as raised:
        load_library(corpus)
    assert any(p.entry == "slow_down" for p in raised.value.problems), raised.value.problems


@pytest.mark.parametrize(
    "text",
    ["how do I sleep after a raid", "hola", "i want to die", "¿cómo duermo después de una redada?"],
)
def test_a_message_is_folded_once_for_every_reader(
    library: Library, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = bot.search.analysis.fold

    def counting(value: str) -> str:
        calls.append(value)
        return real(value)

    for module in (bot.search.analysis, bot.utterance, bot.detect.features):
        monkeypatch.setattr(module, "fold", counting)
    reply = respond(library, text, Prefs())
    assert reply.text
    assert len(calls) == 1, len(calls)
