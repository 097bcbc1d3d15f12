"""The analyzer: folding, tokenizing, stemming, stopwords and synonyms."""

from __future__ import annotations

import pytest

from bot.core.library import Library
from bot.search.analysis import STEMS_CACHED, Analyzer, fold, stemmer, words
from bot.search.translit import is_latin, to_cyrillic


def test_fold_removes_latin_accents_and_case() -> None:
    assert fold("Évaluación ÇA") == "evaluacion ca"


def test_fold_keeps_russian_short_i_but_folds_yo() -> None:
    assert fold("Ёлка й") == "елка й"


def test_fold_unifies_arabic_letter_variants_and_strips_harakat() -> None:
    assert fold("أَنا إلى آخر مدرسة مستشفى") == "انا الي اخر مدرسه مستشفي"


def test_fold_strips_invisible_characters_inside_words() -> None:
    assert fold("sui\u00adcide\u200b") == "suicide"


def test_english_apostrophes_join_but_french_elision_splits() -> None:
    assert words("I can't sleep", "en") == ["i", "cant", "sleep"]
    assert words("l'anxiété", "fr") == ["l", "anxiete"]


def test_stemming_and_stopwords() -> None:
    analyzer = Analyzer("en", stopwords=["the", "i"])
    assert analyzer.terms("I was sleeping the nights") == ["was", "sleep", "night"]


def test_synonym_phrase_adds_the_corpus_word() -> None:
    analyzer = Analyzer("en", synonyms=[["insomnia", "can't sleep", "sleepless"]])
    assert "insomnia" in analyzer.terms("I can't sleep at all")
    assert "insomnia" in analyzer.terms("sleepless nights")
    assert "insomnia" not in analyzer.terms("I can sleep")


def test_stems_are_cached_once_and_within_a_bound() -> None:
    """PyStemmer's own cache (10,000 words per stemmer) stays off: the analyzer's is the only
    one, and it holds at most STEMS_CACHED words, whatever people write."""
    assert getattr(stemmer("ru"), "maxCacheSize", 0) == 0
    analyzer = Analyzer("en")
    for n in range(STEMS_CACHED + 10):
        analyzer.stem(f"word{n}ing")
    assert analyzer._stem_word.cache_info().currsize == STEMS_CACHED
    analyzer.forget_stems()
    assert analyzer._stem_word.cache_info().currsize == 0
    assert analyzer.stem("sleeping") == "sleep"


def test_bundled_synonyms_map_what_people_type(library: Library) -> None:
    english = library.index.analyzers["en"]
    assert "burnout" in english.terms("I am completely burned out")


def test_fold_keeps_short_i_and_drops_every_other_mark() -> None:
    """The fast path (regex classes) and the slow one (astral characters present) agree."""
    assert fold("Йод и\u0306 ёлка") == "йод й елка"
    assert fold("café NAÏVE ă") == "cafe naive a"
    assert fold("أَحْمَد ة ى ١٢") == "احمد ه ي 12"
    assert fold("𝒜 café й") == fold("𝒜") + " cafe й"
    assert fold("don`t a\u200bb") == "don't ab"


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("chuvstvuyu", "чувствую"),
        ("odnoy", "одной"),
        ("programmy", "программы"),
        ("mezhdu", "между"),
        ("pomoshch", "помощ"),
    ],
)
def test_russian_typed_in_latin_letters_reads_back_in_cyrillic(latin: str, cyrillic: str) -> None:
    assert is_latin(latin)
    assert to_cyrillic(latin) == cyrillic


def test_translit_applies_only_to_latin_words() -> None:
    assert not is_latin("между")
    assert not is_latin("burnout2")
