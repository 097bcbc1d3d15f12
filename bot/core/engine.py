"""Build the assistant from a corpus folder and an intents folder, validating everything first."""

from __future__ import annotations

from pathlib import Path

from bot.content import load_corpus
from bot.core.dialogue import Assistant
from bot.detect.crisis import CrisisDetector
from bot.detect.intents import IntentRecognizer
from bot.errors import CorpusError
from bot.paths import default_corpus_dir, default_intents_dir
from bot.search.analysis import analyzers
from bot.search.index import SearchIndex


def load_assistant(corpus_dir: Path | None = None, intents_dir: Path | None = None) -> Assistant:
    """Load and validate the content; raise `CorpusError` listing every problem found."""
    corpus_dir = corpus_dir or default_corpus_dir()
    intents_dir = intents_dir or default_intents_dir()
    problems = []
    corpus = detector = recognizer = None
    try:
        corpus = load_corpus(corpus_dir)
    except CorpusError as exc:
        problems += exc.problems
    try:
        detector = CrisisDetector.load(intents_dir)
    except CorpusError as exc:
        problems += exc.problems
    try:
        recognizer = IntentRecognizer.load(intents_dir)
    except CorpusError as exc:
        problems += exc.problems
    if problems or corpus is None or detector is None or recognizer is None:
        raise CorpusError(problems)
    index = SearchIndex.build(corpus, analyzers(corpus.stopwords, corpus.synonyms))
    return Assistant(corpus, index, detector, recognizer)
