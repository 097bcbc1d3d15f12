"""The whole guide in six languages: coverage, glossaries and the back-translation reviews."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.content.coverage import coverage
from bot.core.library import Library
from bot.paths import default_corpus_dir

LANGUAGES = ("es", "fr", "pt", "ru", "ar")
REVIEWS = default_corpus_dir() / "review"
# The safety-critical entries are back-translated in full in every language.
SAFETY_CRITICAL = (
    "pr-suicide-risk-asking",
    "pr-not-wanting-to-wake-up",
    "pr-remote-risk-assessment",
    "pr-crisis-handover-temporary-visa",
    "co-guest-suicidal-thoughts",
    "co-after-suicidal-disclosure",
    "co-crisis-protocol-ready",
    "sc-plan-for-a-hard-night",
    "sc-after-sexual-violence",
    "sc-thoughts-of-suicide",
    "cl-crisis-home-incident",
    "cl-crisis-acute-distress",
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_98_percent_of_every_collection(library: Library, lang: str) -> None:
    for part, figures in coverage(library.corpus)[lang].items():
        assert figures["have"] >= 0.98 * figures["of"], (lang, part, figures["missing"])


def test_every_glossary_lists_the_same_english_terms(library: Library) -> None:
    glossaries = library.corpus.glossaries
    assert set(glossaries) == set(LANGUAGES)
    english = [t.en for t in glossaries["es"]]
    assert len(english) >= 150
    for lang, terms in glossaries.items():
        assert [t.en for t in terms] == english, lang


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_back_translation_review_is_complete_and_every_flag_resolved(
    library: Library, lang: str
) -> None:
    review = yaml.safe_load((REVIEWS / f"back-translation-{lang}.yaml").read_text("utf-8"))
    assert review["language"] == lang
    reviewed = {item["id"] for item in review["entries"]}
    for base in SAFETY_CRITICAL:
        assert f"{base}.{lang}" in reviewed, base
    translations = sum(e.language == lang for e in library.corpus.entries)
    random = sum(item["why"] == "random" for item in review["entries"])
    assert random >= 0.09 * translations
    for item in review["entries"]:
        assert library.corpus.entry(item["id"]) is not None, item["id"]
        assert item["back_translation"].strip()
        for flag in item["flags"] or []:
            assert flag["severity"] in ("major", "minor")
            assert flag["resolution"].startswith(("fixed:", "explained:")), (item["id"], flag)


def test_a_question_in_spanish_finds_the_practitioners_guide_in_spanish(library: Library) -> None:
    """At least offered as the closest topics: no practitioners' passage is about nightmares
    after a raid by its title, and since round 3 the confidence needs that to answer outright."""
    ranking = library.index.rank(
        "mi consultante tiene pesadillas desde el allanamiento, por dónde empiezo",
        lang="es",
        audience="practitioner",
        k=3,
    )
    assert ranking.near
    assert ranking.hits[0].entry.language == "es"
    assert any(h.entry.base_id.startswith("pr-") for h in ranking.hits)


def test_review_files_exist_for_every_language() -> None:
    assert sorted(p.name for p in Path(REVIEWS).glob("back-translation-*.yaml")) == sorted(
        f"back-translation-{lang}.yaml" for lang in LANGUAGES
    )
