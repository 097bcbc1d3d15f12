"""BM25 search over the corpus, one index per language (`language_index.py`), with an audience
boost; whether to answer at all is decided once per question by `bot.search.confidence`, never by
a per-entry gate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.content import Corpus, Entry
from bot.search.analysis import Analyzer, fold, split_words, words
from bot.search.confidence import ANSWER_LINE, NEAR_LINE, confidence, features
from bot.search.language_index import LanguageIndex, Scored
from bot.search.scope import BOUND, ScopeModel
from bot.utterance import Utterance

_CYRILLIC = re.compile("[\u0400-\u04ff]")
# Passages written for the asker's audience go first among comparable matches.
AUDIENCE_BOOST = 2.0


@dataclass(frozen=True)
class Hit:
    """A passage or checklist ranked for a query, with its score and the share of the query's
    meaning (its known word groups, by IDF) it matches."""

    entry: Entry
    score: float
    coverage: float


@dataclass(frozen=True)
class Ranking:
    """The best entries for a query, best first, and how sure the search is that the first
    answers it (a calibrated probability; `answered` when it clears the line)."""

    hits: list[Hit]
    confidence: float
    features: tuple[float, ...] = ()  # what the confidence was computed from (for calibration)

    @property
    def answered(self) -> bool:
        return bool(self.hits) and self.confidence >= ANSWER_LINE

    @property
    def near(self) -> bool:
        """Something is close enough to offer as "closest topics" when not answered."""
        return bool(self.hits) and self.confidence >= NEAR_LINE


class SearchIndex:
    """Per-language BM25 indexes over passages and checklists."""

    def __init__(
        self,
        entries: Iterable[Entry],
        analyzers: Mapping[str, Analyzer],
        asked: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
        scope: ScopeModel | None = None,
    ) -> None:
        """`asked`: per language, how people ask for each English entry id (corpus/asked/);
        `scope`: whether a message is about the guide's field (none: every message is)."""
        self.scope = scope
        by_language: dict[str, list[Entry]] = {}
        for entry in entries:
            by_language.setdefault(entry.language, []).append(entry)
        asked = asked or {}
        self._indexes = {
            lang: LanguageIndex(items, analyzers[lang], asked.get(lang))
            for lang, items in by_language.items()
        }
        self.analyzers = analyzers
        for analyzer in analyzers.values():
            analyzer.forget_stems()

    @classmethod
    def build(
        cls, corpus: Corpus, analyzers: Mapping[str, Analyzer], scope: ScopeModel | None = None
    ) -> SearchIndex:
        return cls(corpus.entries, analyzers, corpus.asked, scope)

    def scope_of(self, query: str | Utterance, lang: str = "en") -> float:
        """The scope model's bounded log-odds that `query` is about the guide's field. Russian
        typed in Latin letters is read in Cyrillic first, as the search reads it: the model
        learnt Russian from Cyrillic messages and scored the same words -1.6 in Latin letters
        against +1.6 in Cyrillic."""
        if self.scope is None:
            return BOUND
        folded = query.folded if isinstance(query, Utterance) else fold(query)
        index = self._indexes.get(lang)
        if lang == "ru" and index is not None and not _CYRILLIC.search(folded):
            folded = " ".join(index.cyrillic(w) for w in split_words(folded, lang))
        return self.scope.log_odds(folded)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._indexes)

    def rank(
        self,
        query: str | Utterance,
        *,
        lang: str = "en",
        audience: str | None = None,
        k: int = 5,
        exclude: frozenset[str] = frozenset(),
        unseen: int = 0,
        scope: float | None = None,
    ) -> Ranking:
        """The best `k` entries of language `lang`, best first, and the confidence that the
        first answers the query. `unseen` adds words the caller knows were dropped, and `scope`
        is the original message's (a question carried over from another language). Ties break
        on the entry id, so the same query always gives the same answer."""
        index = self._indexes.get(lang)
        if index is None or not index.entries or k <= 0:
            return Ranking([], 0.0)
        # A message's words were split once by its Utterance; a plain string is split here.
        tokens = query.words(lang) if isinstance(query, Utterance) else words(query, lang)
        scored = index.score(index.concepts(tokens))
        docs, scores = scored.docs, scored.scores
        if exclude:
            excluded = [index.position[e] for e in exclude if e in index.position]
            keep = ~np.isin(docs, excluded)
            scored = Scored(
                docs[keep],
                scores[keep],
                scored.coverage[keep],
                scored.about[keep],
                scored.matched[keep],
                scored.concepts,
                scored.unseen,
            )
            docs, scores = scored.docs, scored.scores
        if not len(docs):
            return Ranking([], 0.0)
        boosted = scores
        if audience:
            boosted = scores * np.where(index.audience(audience)[docs], AUDIENCE_BOOST, 1.0)
        boosted = np.round(boosted, 4)
        if len(boosted) > k:  # only the k best (and any tied with the k-th) need sorting
            kth = np.partition(boosted, len(boosted) - k)[len(boosted) - k]
            near = np.flatnonzero(boosted >= kth)
        else:
            near = np.arange(len(boosted))
        order = np.lexsort((index.id_rank[docs[near]], -boosted[near]))[:k]
        best = near[order]  # ties break on the entry id
        first = int(best[0])
        figures = features(
            score=float(scores[first]) / index.max_idf,
            about=float(scored.about[first]),
            matched=float(scored.matched[first]),
            concepts=scored.concepts,
            unseen=scored.unseen + unseen,
            scope=self.scope_of(query, lang) if scope is None else scope,
        )
        hits = [
            Hit(index.entries[docs[i]], float(boosted[i]), round(float(scored.coverage[i]), 4))
            for i in best.tolist()
        ]
        return Ranking(hits, confidence(figures), figures)

    def search(
        self,
        query: str | Utterance,
        *,
        lang: str = "en",
        audience: str | None = None,
        k: int = 5,
        exclude: frozenset[str] = frozenset(),
    ) -> list[Hit]:
        """The best `k` entries when the search is confident the first answers the query,
        else none."""
        ranking = self.rank(query, lang=lang, audience=audience, k=k, exclude=exclude)
        return ranking.hits if ranking.answered else []

    def twins(self, entry: Entry, other: Entry) -> bool:
        """Whether `other` is `entry` again: a translation of it, or the same topic written for
        another audience (their titles and topics mostly the same words)."""
        if entry.base_id == other.base_id:
            return True
        if entry.language != other.language or set(entry.audiences) & set(other.audiences):
            return False
        index = self._indexes[entry.language]
        return index.same_topic(index.position[entry.id], index.position[other.id])

    def similar(
        self, entry: Entry, *, k: int = 3, exclude: frozenset[str] = frozenset()
    ) -> list[Hit]:
        """Entries close to `entry` (its title and topics as the query), for "more like this".
        Only the hits are used, so the scope model is not asked: the guide's own title is in
        its field."""
        query = " ".join((entry.title, *entry.topics))
        excluded = exclude | {entry.id}
        return self.rank(query, lang=entry.language, k=k, exclude=excluded, scope=BOUND).hits
