"""Ranking, the relevance floor and determinism, on the real corpus and index."""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from bot.content import load_corpus
from bot.core.library import Library
from bot.evaluate import evaluate_retrieval, load_questions
from bot.paths import default_corpus_dir
from bot.search.analysis import Analyzer, words
from bot.search.language_index import K1, B, LuceneBM25, documents

DEV = Path(__file__).parent / "dev" / "questions.yaml"


@lru_cache(maxsize=1)
def _asked() -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """The asked messages, which the running library drops once they are indexed."""
    return load_corpus(default_corpus_dir()).asked


@pytest.mark.parametrize(
    ("query", "audience", "expected"),
    [
        ("can't sleep since the raid, what can I do tonight", "defender", "sc-"),
        ("quick breathing thing for panic", "defender", "sc-"),
        ("client says therapy is for weak people", "practitioner", "pr-therapy-is-for-the-weak"),
        ("checklist before the defender arrives", "coordinator", "cl-before-departure"),
        ("how do I know if it's burnout or depression", "defender", "sc-burnout-or-depression"),
    ],
)
def test_typical_questions_find_the_right_entry(
    library: Library, query: str, audience: str, expected: str
) -> None:
    hits = library.index.search(query, audience=audience, k=3)
    assert hits, query
    assert any(hit.entry.id.startswith(expected) for hit in hits), [h.entry.id for h in hits]


@pytest.mark.parametrize(
    "query",
    [
        "what's the weather in amsterdam tomorrow",
        "recipe for chocolate cake",
        "tell me a joke",
        "",
        "!!!",
        "the and of",
    ],
)
def test_questions_the_guide_does_not_cover_get_no_hit(library: Library, query: str) -> None:
    assert library.index.search(query, k=5) == []


def test_search_is_deterministic(library: Library) -> None:
    query = "guest is exhausted and drinking"
    first = [(h.entry.id, h.score) for h in library.index.search(query, k=8)]
    for _ in range(3):
        assert [(h.entry.id, h.score) for h in library.index.search(query, k=8)] == first


def test_audience_boost_puts_the_askers_collection_first(library: Library) -> None:
    query = "vicarious trauma signs"
    practitioner = library.index.search(query, audience="practitioner", k=1)
    defender = library.index.search(query, audience="defender", k=1)
    assert practitioner[0].entry.id.startswith("pr-")
    assert defender[0].entry.id.startswith("sc-")


def test_lucene_idf_never_goes_negative_on_a_tiny_corpus() -> None:
    # rank-bm25's own Okapi IDF gives a term found in every document a negative weight here.
    bm25 = LuceneBM25([["a", "b"], ["a", "c"], ["a"]])
    assert bm25.idf["a"] > 0
    assert math.isclose(bm25.idf["b"], math.log(1 + 2.5 / 1.5))


def test_a_term_in_half_the_documents_still_scores() -> None:
    bm25 = LuceneBM25([["a"], ["b"]])
    assert bm25.get_scores(["a"])[0] > 0


def test_similar_excludes_the_entry_itself(library: Library) -> None:
    entry = library.corpus.entry("sc-burnout-or-depression")
    assert entry is not None
    assert all(h.entry.id != entry.id for h in library.index.similar(entry))


def test_dev_set_floor(library: Library) -> None:
    """Tuned figures (the confidence line was fitted on these questions): recall@3 >= 0.95 and
    at most 20 % of out-of-scope questions answered (tuned data; the issue asks for 10 % on a
    blind set, not met yet: README).
    Blind figures are in README."""
    questions = load_questions(DEV)
    assert len(questions) >= 150
    outside = sum(not q.relevant for q in questions)
    assert outside >= 10
    report = evaluate_retrieval(library, questions)
    assert report["overall"]["recall@3"] >= 0.95, report["overall"]
    assert len(report["out_of_scope_answered"]) <= 0.20 * outside, report["out_of_scope_answered"]


TRANSLATED = ("es", "fr", "pt", "ru", "ar")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_each_language_meets_its_floor(library: Library, lang: str) -> None:
    """The multilingual issue's floor: >= 15 questions per language, recall@3 >= 0.80 in it."""
    path = DEV.with_name(f"questions-{lang}.yaml")
    questions = load_questions(path)
    assert all(q.lang == lang for q in questions)
    assert sum(bool(q.relevant) for q in questions) >= 15
    report = evaluate_retrieval(library, questions)
    assert report["languages"][lang]["recall@3"] >= 0.80, report["misses_at_3"]
    for question in questions:
        for entry_id in question.relevant:
            assert library.corpus.localized(entry_id, lang) is not None, entry_id


def test_out_of_scope_questions_in_other_languages_mostly_get_no_answer(library: Library) -> None:
    """Over the five languages' dev files together (5-10 out-of-scope questions each: one file
    alone is too small to hold a rate)."""
    questions = [
        q for lang in TRANSLATED for q in load_questions(DEV.with_name(f"questions-{lang}.yaml"))
    ]
    report = evaluate_retrieval(library, questions)
    assert len(report["out_of_scope_answered"]) <= 0.20 * report["out_of_scope"]


def test_dev_set_points_only_at_existing_entries(library: Library) -> None:
    for question in load_questions(DEV):
        for entry_id in question.relevant:
            assert library.corpus.entry(entry_id) is not None, (question.text, entry_id)


def test_analyzer_is_shared_by_index_and_query(library: Library) -> None:
    analyzer = library.index.analyzers["en"]
    assert isinstance(analyzer, Analyzer)
    assert analyzer.terms("Sleeping") == analyzer.terms("sleep")


def test_impacts_are_rank_bm25s_own_to_the_last_bit(library: Library) -> None:
    """The index computes BM25 itself, in numpy; each impact must be the very float that
    rank-bm25's model (`LuceneBM25`, built here from the same documents) gives that term in that
    document, so that the query path's sums stay what they were."""
    index = library.index._indexes["en"]
    model = LuceneBM25(documents(index.entries, index.analyzer, _asked()["en"]), k1=K1, b=B)
    assert set(index.terms) == set(model.idf)
    lengths = np.asarray(model.doc_len, dtype=float)
    norms = model.k1 * (1 - model.b + model.b * lengths / model.avgdl)
    for term, number in index.terms.items():
        ids = index.postings[number]
        assert ids.tolist() == [i for i, freqs in enumerate(model.doc_freqs) if term in freqs]
        tf = np.array([model.doc_freqs[i][term] for i in ids], dtype=float)
        expected = model.idf[term] * (tf * (model.k1 + 1) / (tf + norms[ids]))
        assert index.idf[number] == model.idf[term], term
        assert index.impacts[number].tobytes() == expected.tobytes(), term


def test_summed_impacts_give_rank_bm25s_own_scores(library: Library) -> None:
    """The query path sums impacts computed once; they must equal what rank-bm25's
    `get_batch_scores` computes for the same terms and documents."""
    index = library.index._indexes["en"]
    model = LuceneBM25(documents(index.entries, index.analyzer, _asked()["en"]), k1=K1, b=B)
    checked = 0
    for question in load_questions(DEV)[:120]:
        concepts = index.concepts(words(question.text, "en"))
        scored = index.score(concepts)
        candidates, scores = scored.docs, scored.scores
        if not len(candidates):
            continue
        known = list(dict.fromkeys(t for group in concepts for t in group if t in index.terms))
        expected = model.get_batch_scores(known, candidates)
        assert np.allclose(scores, expected, rtol=1e-12, atol=1e-12), question.text
        everyone = np.asarray(model.get_scores(known))
        assert set(np.flatnonzero(everyone).tolist()) <= set(candidates.tolist()), question.text
        checked += 1
    assert checked >= 100


def test_a_typo_in_the_key_word_still_finds_the_passage(library: Library) -> None:
    right = [h.entry.id for h in library.index.search("numb after testimonies", k=3)]
    typed = [h.entry.id for h in library.index.search("numb after testimonys", k=3)]
    assert right and typed[:1] == right[:1]
    speller = library.index._indexes["en"].speller
    assert speller.correct("exausted") == "exhausted"
    assert speller.correct("nightmears") == "nightmares"
    assert speller.correct("zzzzzzz") == "zzzzzzz"  # nothing close: left alone
    assert speller.correct("sleep") == "sleep"  # known words are never changed


def test_a_synonym_group_counts_once(library: Library) -> None:
    """ "burned out" is one thing asked about, not "burn" + "out" + "burnout"."""
    index = library.index._indexes["en"]
    groups = index.concepts(words("burned out at work", "en"))
    assert any("burnout" in g and "burn" in g for g in groups), groups
    assert len(groups) == 2, groups


def test_a_word_the_corpus_never_uses_takes_no_share_of_any_match(library: Library) -> None:
    """The old floor counted an unknown word at full weight against every entry; now it takes
    no share of an entry's coverage, and enters the confidence once, as a bounded count."""
    plain = library.index.rank("client nightmares every night after the raid", k=3)
    padded = library.index.rank("client nightmares every night after the raid zorblax", k=3)
    assert plain.answered and padded.answered
    assert [h.entry.id for h in plain.hits] == [h.entry.id for h in padded.hits]
    assert [h.coverage for h in plain.hits] == [h.coverage for h in padded.hits]
    cake = library.index.rank("recipe for a chocolate cake tonight", k=3)
    assert not cake.answered


def test_another_languages_question_is_carried_to_english_through_the_glossary(
    library: Library,
) -> None:
    words_of = library.read
    carried, left = library.crossing.to_english(
        words_of("no puedo dormir por las pesadillas").words("es"), "es"
    )
    assert "nightmares" in carried and left == 0
    carried, left = library.crossing.to_english(
        words_of("receta de pollo para esta noche").words("es"), "es"
    )
    assert "peer" not in carried and left >= 2


def test_arabic_definite_and_indefinite_forms_meet(library: Library) -> None:
    arabic = library.index.analyzers["ar"]
    for definite, bare in [("الصدمة", "صدمه"), ("الغربة", "غربة"), ("العائلة", "عائله")]:
        assert arabic.terms(definite) == arabic.terms(bare), (definite, bare)


def test_below_the_line_something_near_is_offered_not_answered(library: Library) -> None:
    ranking = library.index.rank("who won the world cup", k=3)
    assert not ranking.answered
    nothing = library.index.rank("recipe for chocolate cake", k=3)
    assert not nothing.answered and not nothing.near


def test_twins_are_translations_or_one_topic_for_another_audience(library: Library) -> None:
    corpus, index = library.corpus, library.index
    entry = corpus.entry("sc-phone-hacked")
    translation = corpus.entry("sc-phone-hacked.es")
    assert entry is not None and translation is not None
    assert index.twins(entry, translation)
    other = corpus.entry("sc-grounding-5-4-3-2-1")
    assert other is not None and not index.twins(entry, other)


def test_a_very_long_word_is_not_spell_checked(library: Library) -> None:
    """A 4,096-letter "word" must cost no more than any other (one test hung on it)."""
    speller = library.index._indexes["en"].speller
    assert speller.correct("a" * 4096) == "a" * 4096
    assert library.index.rank("a" * 4096 + " sleep").hits is not None


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        (
            "konflikt mezhdu dvumya uchastnikami programmy, zhivut v odnoy kvartire, chto delat?",
            "конфликт между двумя участниками программы, живут в одной квартире, что делать?",
        ),
        (
            "vse vremya chuvstvuyu vinu chto uehal a rebyata ostalis tam",
            "все время чувствую вину что уехал а ребята остались там",
        ),
    ],
)
def test_russian_typed_in_latin_letters_finds_what_cyrillic_finds(
    library: Library, latin: str, cyrillic: str
) -> None:
    """Without the Cyrillic reading the Latin question shares no word with the Russian guide."""
    typed = library.index.rank(latin, lang="ru", k=3)
    written = library.index.rank(cyrillic, lang="ru", k=3)
    assert typed.answered and written.answered
    assert typed.hits[0].entry.id == written.hits[0].entry.id


def test_english_words_in_a_russian_question_are_not_transliterated(library: Library) -> None:
    index = library.index._indexes["ru"]
    assert index.concepts(["burnout", "pfa"]) == index.analyzer.concepts(["burnout", "pfa"])
    assert index.concepts(["vinu"]) == index.analyzer.concepts(["вину"])
