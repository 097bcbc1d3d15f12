"""Everything read-only the core answers from, loaded and validated once at start."""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.content import Corpus, load_corpus
from bot.content.texts import Texts
from bot.core.escalation import Escalation
from bot.detect.crisis import CrisisDetector
from bot.detect.intents import IntentRecognizer
from bot.detect.places import CountryNames
from bot.errors import CorpusError, Problem
from bot.paths import default_corpus_dir, default_intents_dir
from bot.search.analysis import analyzers
from bot.search.crossing import Crossing
from bot.search.index import SearchIndex
from bot.search.scope import MODEL_FILE as SCOPE_FILE
from bot.search.scope import ScopeModel
from bot.utterance import Utterance


@dataclass(frozen=True)
class Library:
    """The corpus, its index, the crisis detector, the intents and the interface texts."""

    corpus: Corpus
    index: SearchIndex
    detector: CrisisDetector
    intents: IntentRecognizer
    places: CountryNames  # countries named in words ("я в Грузии"), for the crisis state
    texts: Texts = field(init=False)
    escalation: Escalation = field(init=False)
    stopwords: Mapping[str, frozenset[str]] = field(init=False)
    crossing: Crossing = field(init=False)  # other languages' questions carried to English

    def __post_init__(self) -> None:
        texts = Texts(self.corpus.texts)
        object.__setattr__(self, "texts", texts)
        countries = {c.iso: c for c in self.corpus.countries}
        escalation = Escalation(self.corpus.resources, texts, countries)
        object.__setattr__(self, "escalation", escalation)
        stopwords = {lang: a.stopwords for lang, a in self.index.analyzers.items()}
        object.__setattr__(self, "stopwords", stopwords)
        crossing = Crossing(self.corpus.glossaries, self.index.analyzers)
        object.__setattr__(self, "crossing", crossing)

    def read(self, text: str) -> Utterance:
        """The message prepared once for every reader (crisis, intents, language, search)."""
        return Utterance(text)


def read_library(
    corpus_dir: Path | None = None,
    intents_dir: Path | None = None,
    required_texts: Iterable[str] = (),
) -> Library:
    """Load and validate the content; raise `CorpusError` listing every problem found, including
    an interface text the code needs that `corpus/ui/en.yaml` lacks (an error at start, not a
    key error in front of a user)."""
    corpus_dir = corpus_dir or default_corpus_dir()
    intents_dir = intents_dir or default_intents_dir()
    problems: list[Problem] = []
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
    if corpus is not None:
        english = corpus.texts.get("en", {})
        shown = f"{corpus_dir.name}/ui/en.yaml"
        problems += [
            Problem(shown, 0, key, "an interface text the bot needs is missing")
            for key in sorted(set(required_texts))
            if key not in english
        ]
    if problems or corpus is None or detector is None or recognizer is None:
        raise CorpusError(problems)
    scope = None
    if (intents_dir / SCOPE_FILE).exists():
        scope = ScopeModel.load(intents_dir / SCOPE_FILE)  # a CorpusError names the file
    index = SearchIndex.build(corpus, analyzers(corpus.stopwords, corpus.synonyms), scope)
    # The asked messages live on in the index's terms; their 17,000 strings are never read again.
    corpus = replace(corpus, asked={})
    codes = {c.iso for c in corpus.countries}
    try:
        places = CountryNames.load(intents_dir, codes, tuple(corpus.texts))
    except CorpusError as exc:
        raise CorpusError(exc.problems) from exc
    library = Library(corpus, index, detector, recognizer, places)
    _give_back_freed_memory()
    return library


def _give_back_freed_memory() -> None:
    """Loading builds and drops a great deal (YAML trees, 17,000 asked messages, the index's
    term lists); glibc keeps the freed pages unless asked to return them. 4 MB at start, and a
    bot process that stays under its memory floor (bench/README.md). A no-op elsewhere."""
    gc.collect()
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (macOS, musl): nothing to trim
        return
    libc.malloc_trim(0)
