"""The corpus format: the bundled content is valid, and each kind of error is reported with file,
line and entry."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.content import COLLECTIONS, Passage, Review, load_corpus
from bot.content.approval import Tally, approvals, approved_in_all
from bot.content.coverage import coverage
from bot.content.model import DRAFT
from bot.content.quoting import paragraph_span
from bot.content.stamp import stamp
from bot.core.library import Library
from bot.errors import CorpusError
from bot.paths import default_corpus_dir


def test_bundled_corpus_meets_the_starter_floor(library: Library) -> None:
    corpus = library.corpus
    for collection in COLLECTIONS:
        assert sum(p.collection == collection for p in corpus.passages) >= 15
    assert len(corpus.checklists) >= 3
    assert {"res-fld-emergency", "res-access-now", "res-findahelpline"} <= {
        r.id for r in corpus.resources if r.showable
    }


def test_every_passage_is_a_draft_with_a_citation(library: Library) -> None:
    for passage in library.corpus.passages:
        assert passage.citation.count(" › ") == 2
        assert 60 <= len(passage.text.split()) <= 250


def test_passages_invent_no_contact_details(library: Library) -> None:
    phone = re.compile(r"\+?\d[\d ]{6,}\d")
    for passage in library.corpus.passages:
        assert not phone.search(passage.text), passage.id
        assert "@" not in passage.text and "http" not in passage.text, passage.id


def test_barcelona_guidelines_are_never_cited_by_section_number(library: Library) -> None:
    for passage in library.corpus.passages:
        assert not re.search(r"(section|para(graph)?|§)\s*\d", passage.text, re.I), passage.id


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(corpus_dir: Path) -> list[str]:
    with pytest.raises(CorpusError) as caught:
        load_corpus(corpus_dir)
    return [str(p) for p in caught.value.problems]


def _first_passage_file(corpus_dir: Path) -> Path:
    return sorted((corpus_dir / "passages" / "selfcare").glob("*.yaml"))[0]


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    review: draft", "    review: finished", "'review' is 'finished'"),
        ("    sources: [", "    sorces: [", "unknown field 'sorces'"),
        ("audiences: [defender]", "audiences: [donor]", "'audiences' has 'donor'"),
        ("language: en", "language: xx", "'language' is 'xx'"),
        ("    sources: [", "    sources: [no-such-source, ", "source 'no-such-source' is not in"),
    ],
)
def test_passage_errors_name_file_line_and_entry(
    corpus_copy: Path, old: str, new: str, message: str
) -> None:
    path = _first_passage_file(corpus_copy)
    _break(path, old, new)
    problems = _problems(corpus_copy)
    assert any(message in p and path.name in p and re.search(r"\.yaml:\d+", p) for p in problems), (
        problems
    )


# -- review: who signed an entry off, and when -----------------------------------------------

APPROVED = "    review: {status: approved, by: Relocation coordinator, on: 2026-11-30}"


def test_nothing_in_the_shipped_corpus_is_approved(library: Library) -> None:
    """Nobody qualified has reviewed the bundled guide yet: every entry, in every language, must
    stay a draft until someone has (corpus/README.md, "Reviewing")."""
    assert {entry.review for entry in library.corpus.entries} == {DRAFT}
    assert approved_in_all(library.corpus) == Tally(0, len(library.corpus.entries))


def test_readme_says_how_much_of_the_guide_is_approved(library: Library) -> None:
    """The README's figure is the corpus's: an approval, or a new entry, updates it."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    words = " ".join(readme.replace("\n>", " ").split())  # as read, whatever the line breaks
    tally = approved_in_all(library.corpus)
    figure = f"{tally.approved:,} of {tally.of:,} entries are approved by a reviewer"
    assert figure in words, f"README.md should say: {figure!r}"


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
@pytest.mark.parametrize(
    "written",
    [
        APPROVED,
        "    review:\n      status: approved\n      by: Relocation coordinator\n"
        "      on: '2026-11-30'",
    ],
)
def test_an_approval_says_who_and_when(corpus_copy: Path, written: str) -> None:
    _break(_first_passage_file(corpus_copy), "    review: draft", written)
    entry = load_corpus(corpus_copy).entry("sc-slow-exhale-breathing")
    assert entry is not None
    assert entry.review == Review("approved", "Relocation coordinator", dt.date(2026, 11, 30))


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_a_checklist_is_approved_the_same_way(corpus_copy: Path) -> None:
    _break(corpus_copy / "checklists" / "relocation.yaml", "    review: draft", APPROVED)
    corpus = load_corpus(corpus_copy)
    assert [c.id for c in corpus.checklists if c.review.approved] == ["cl-selection"]
    assert approvals(corpus)["en"]["checklists"].approved == 1


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_approving_an_original_never_approves_its_translations(corpus_copy: Path) -> None:
    _break(_first_passage_file(corpus_copy), "    review: draft", APPROVED)
    corpus = load_corpus(corpus_copy)
    assert corpus.entry("sc-slow-exhale-breathing").review.approved  # type: ignore[union-attr]
    for lang in ("es", "fr", "pt", "ru", "ar"):
        assert corpus.entry(f"sc-slow-exhale-breathing.{lang}").review == DRAFT  # type: ignore[union-attr]
    counted = approvals(corpus)
    assert counted["en"]["selfcare"].approved == 1
    assert all(counted[lang]["selfcare"].approved == 0 for lang in ("es", "fr", "pt", "ru", "ar"))
    assert approved_in_all(corpus).approved == 1


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_a_translation_is_approved_on_its_own(corpus_copy: Path) -> None:
    path = corpus_copy / "passages" / "selfcare" / "es" / "everyday-practices.yaml"
    _break(path, "    review: draft", APPROVED)
    corpus = load_corpus(corpus_copy)
    assert corpus.entry("sc-slow-exhale-breathing.es").review.approved  # type: ignore[union-attr]
    assert corpus.entry("sc-slow-exhale-breathing").review == DRAFT  # type: ignore[union-attr]
    assert approvals(corpus)["es"]["selfcare"] == Tally(1, 63)


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("    review: reviewed", "'review' is 'reviewed'; expected review: draft, or review: {"),
        ("    review: draft\n    reviewed_by: Ana", "unknown field 'reviewed_by'"),
        ("    review: {status: finished}", "review 'status' is 'finished'"),
        ("    review: {status: approved, on: 2026-11-30}", "review needs 'by'"),
        ("    review: {status: approved, by: ' ', on: 2026-11-30}", "review needs 'by'"),
        ("    review: {status: approved, by: Ana}", "review needs 'on'"),
        ("    review: {status: approved, by: Ana, on: 2026-02-30}", "2026-02-30: not a real date"),
        ("    review: {status: approved, by: Ana, on: 30/11/2026}", "not a real date written"),
        ("    review: {status: approved, by: Ana, on: 2999-01-01}", "a day still to come"),
        ("    review: {status: approved, by: Ana, on: 2026-11-30, ok: y}", "unknown field 'ok'"),
        ("    review: {status: draft, by: Ana}", "a draft has no sign-off"),
    ],
)
def test_review_problems_name_file_line_and_entry(
    corpus_copy: Path, written: str, message: str
) -> None:
    """A sign-off's problems point at its own line; the entry's line for the rest."""
    path = _first_passage_file(corpus_copy)
    sign_off = written.startswith("    review: {")
    line = _line_of(path, "    review: draft" if sign_off else "  - id: sc-slow-exhale-breathing")
    _break(path, "    review: draft", written)
    where = f"{path.name}:{line} [sc-slow-exhale-breathing]: "
    problems = _problems(corpus_copy)
    assert any(where in p and message in p for p in problems), (where, problems)


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_duplicate_ids_are_reported_with_both_places(corpus_copy: Path) -> None:
    path = _first_passage_file(corpus_copy)
    first = re.search(r"- id: (\S+)", path.read_text()).group(1)  # type: ignore[union-attr]
    second = re.findall(r"- id: (\S+)", path.read_text())[1]
    _break(path, f"- id: {second}", f"- id: {first}")
    assert any(f"id {first!r} is already used at line" in p for p in _problems(corpus_copy))


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_text_length_is_checked(corpus_copy: Path) -> None:
    path = _first_passage_file(corpus_copy)
    _break(path, "    text: |", "    text: Too short.\n    unused: |")
    problems = _problems(corpus_copy)
    assert any("text has 2 words" in p for p in problems), problems


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_yaml_syntax_error_names_the_line(corpus_copy: Path) -> None:
    path = corpus_copy / "resources.yaml"
    lines = path.read_text().splitlines()
    line_number = next(i for i, line in enumerate(lines, 1) if "id: res-access-now" in line)
    lines[line_number - 1] = "  - id: [unclosed"
    path.write_text("\n".join(lines))
    problems = _problems(corpus_copy)
    assert any("resources.yaml:" in p and "YAML error" in p for p in problems), problems


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_resource_without_contact_and_bad_country(corpus_copy: Path) -> None:
    path = corpus_copy / "resources.yaml"
    _break(path, 'contact: {phone: "3114"}', "contact: {}")
    _break(path, "countries: [FR]", "countries: [France]")
    problems = _problems(corpus_copy)
    assert any("res-fr-3114" in p and "'contact'" in p for p in problems), problems
    assert any("country 'France'" in p for p in problems), problems


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_a_date_that_does_not_exist_is_a_problem_with_its_line(corpus_copy: Path) -> None:
    """PyYAML raises a bare ValueError on 2026-02-30; the loader must report it, not crash."""
    path = corpus_copy / "resources.yaml"
    line = _line_of(path, "  - id: res-fld-emergency")
    _break(path, "    checked: 2026-11-24", "    checked: 2026-02-30")
    where = f"resources.yaml:{line} [res-fld-emergency]: 'checked' must be a date written"
    problems = _problems(corpus_copy)
    assert any(where in p for p in problems), problems


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_checklist_stage_and_item_count(corpus_copy: Path) -> None:
    path = corpus_copy / "checklists" / "relocation.yaml"
    _break(path, "stage: arrival", "stage: landing")
    assert any("'stage' is 'landing'" in p for p in _problems(corpus_copy))


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_missing_interface_text_in_a_language(corpus_copy: Path) -> None:
    english = (corpus_copy / "ui" / "en.yaml").read_text()
    (corpus_copy / "ui" / "es.yaml").write_text("welcome: Hola\n")
    problems = _problems(corpus_copy)
    assert any("ui/es.yaml" in p and "text missing in this language" in p for p in problems)
    assert "welcome" in english


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_yes_and_no_stay_words_not_booleans(corpus_copy: Path) -> None:
    path = corpus_copy / "synonyms.yaml"
    path.write_text(path.read_text().replace("en:\n", 'en:\n  - [refusal, no, "say no"]\n', 1))
    corpus = load_corpus(corpus_copy)
    assert ("refusal", "no", "say no") in corpus.synonyms["en"]


def test_bundled_corpus_dir_exists() -> None:
    assert (default_corpus_dir() / "sources.yaml").is_file()


# -- countries.yaml: the facts crisis routing reads per country ---------------------------------


def test_countries_load_with_the_facts_routing_needs(library: Library) -> None:
    corpus = library.corpus
    assert len(corpus.countries) >= 50
    assert {"NL", "DE", "NO", "IE", "ES", "FR", "RU"} <= {c.iso for c in corpus.countries}
    russia = corpus.country("RU")
    assert russia is not None and russia.police_threat
    assert corpus.country("ru") is russia  # stored choices are upper case; lookups need not be
    assert corpus.country("XX") is None
    # Norway's code must survive YAML (NO is a boolean to YAML 1.1) and its medical number is 113.
    norway = corpus.country("NO")
    assert norway is not None and norway.emergency == "113"
    # "Unknown" stays unknown: absence from the brief's lists is not proof of legality.
    assert corpus.country("FR").suicide_criminalised is None  # type: ignore[union-attr]


def test_every_resource_country_is_known(library: Library) -> None:
    known = {c.iso for c in library.corpus.countries} | {"international"}
    for resource in library.corpus.resources:
        assert set(resource.countries) <= known, resource.id


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(text))


def _entry_line(path: Path, old: str) -> int:
    """The line of the country entry holding the first `old`: where its problems must point."""
    text = path.read_text(encoding="utf-8")
    start = text.rfind("  - iso: ", 0, text.index(old) + len("  - iso: "))
    return text[:start].count("\n") + 1


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
@pytest.mark.parametrize(
    ("old", "new", "entry", "message"),
    [
        ('  - iso: "NO"', "  - iso: Norway", "Norway", "'iso' is 'Norway'"),
        ("  - iso: SE\n", "  - iso: DE\n", "DE", "country 'DE' is already listed at line"),
        ("    police_threat: true", "    police_threat: yes", "NL", "'police_threat' is 'yes'"),
        ("    suicide_criminalised: unknown", "    suicide_criminalised:", "FR", "missing"),
        ('    emergency: "15"', "    emergency: 15", "FR", "'emergency' must be quoted text"),
        ("    name: Spain\n", "    name: Spain\n    capital: Madrid\n", "ES", "unknown field"),
    ],
)
def test_country_errors_name_file_line_and_entry(
    corpus_copy: Path, old: str, new: str, entry: str, message: str
) -> None:
    path = corpus_copy / "countries.yaml"
    line = _entry_line(path, old)
    _break(path, old, new)
    where = f"countries.yaml:{line} [{entry}]: "
    problems = _problems(corpus_copy)
    assert any(where in p and message in p for p in problems), (where, problems)


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_a_resource_for_a_country_not_in_countries_yaml_is_reported(corpus_copy: Path) -> None:
    path = corpus_copy / "countries.yaml"
    text = path.read_text(encoding="utf-8")
    lebanon = re.search(r"  - iso: LB\n(?:    .*\n)+", text)
    assert lebanon is not None
    path.write_text(text.replace(lebanon.group(0), ""), encoding="utf-8")
    line = _line_of(corpus_copy / "resources.yaml", "  - id: res-lb-embrace")
    problems = _problems(corpus_copy)
    expected = f"resources.yaml:{line} [res-lb-embrace]: country 'LB' is not in countries.yaml"
    assert any(expected in p for p in problems), problems


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_a_translation_older_than_its_english_original_fails_the_check(corpus_copy: Path) -> None:
    """`corpus check` fails, naming the translation, once its English original changes; the
    translator updates it and stamps it (`guidebot corpus stamp ID`), and the check passes."""
    english = corpus_copy / "passages" / "selfcare" / "getting-help.yaml"
    text = english.read_text(encoding="utf-8")
    english.write_text(
        text.replace("Consider seeing a doctor", "Please consider seeing a doctor", 1),
        encoding="utf-8",
    )
    with pytest.raises(CorpusError) as caught:
        load_corpus(corpus_copy)
    stale = [p for p in caught.value.problems if "older than its English original" in p.message]
    expected = {f"sc-when-to-seek-professional-help.{lang}" for lang in ("es", "fr")}
    assert {p.entry for p in stale} >= expected
    assert all("guidebot corpus stamp" in p.message for p in stale)
    assert stamp(corpus_copy, [p.entry for p in stale]) == [p.entry for p in stale]
    assert load_corpus(corpus_copy).entry("sc-when-to-seek-professional-help.es") is not None


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_a_translation_without_a_stamp_fails_the_check(corpus_copy: Path) -> None:
    path = corpus_copy / "checklists" / "relocation.es.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if "original_hash:" in line)
    path.write_text("".join(lines[:first] + lines[first + 1 :]), encoding="utf-8")
    with pytest.raises(CorpusError) as caught:
        load_corpus(corpus_copy)
    assert any("needs 'original_hash'" in p.message for p in caught.value.problems)


# -- passages quoted verbatim from an organisation's own guidelines (bot/content/quoting.py) ------

_QUOTED = """\
collection: practitioners
language: en
passages:
  - id: pr-acme-p12
    title: Staff take a day of rest
    section: Rest and leave
    audiences: [practitioner]
    topics: [rest]
    text: |
      12. {text}
    sources: [acme]
    review: draft
    verbatim: true
    paragraphs: ["12", "13"]
    url: https://example.org/acme.pdf
"""
_ACME = (
    "\n  - id: acme\n    title: Acme wellbeing guidelines\n    publisher: Acme\n"
    "    covers: Test document.\n"
)


def _quoted_corpus(corpus_dir: Path, old: str = "", new: str = "") -> Path:
    with (corpus_dir / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(_ACME)
    path = corpus_dir / "passages" / "practitioners" / "acme.yaml"
    text = _QUOTED.format(text="Staff take a day of rest after each mission abroad. " * 8)
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_a_verbatim_passage_is_cited_by_document_section_and_paragraph(corpus_copy: Path) -> None:
    _quoted_corpus(corpus_copy)
    corpus = load_corpus(corpus_copy)
    passage = corpus.entry("pr-acme-p12")
    assert isinstance(passage, Passage) and passage.verbatim
    assert passage.citation == "Acme wellbeing guidelines › Rest and leave › ¶ 12–13"
    assert passage.paragraphs == ("12", "13") and passage.url == "https://example.org/acme.pdf"
    assert "pr-acme-p12" not in str(coverage(corpus))  # not listed as awaiting translation


def test_passages_in_our_own_words_keep_their_citation(library: Library) -> None:
    passage = library.corpus.entry("sc-when-to-seek-professional-help")
    assert isinstance(passage, Passage) and not passage.verbatim and passage.url is None
    assert passage.citation == "Self-care › Getting help › When to seek professional help"


@pytest.mark.parametrize(
    ("labels", "shown"),
    [
        (("12",), "¶ 12"),
        (("12", "13", "14"), "¶ 12–14"),
        (("12", "14"), "¶ 12, 14"),
        (("3", "4", "7"), "¶ 3–4, 7"),
        (("12", "12"), "¶ 12"),
        (("1.2.3", "1.2.4"), "¶ 1.2.3–1.2.4"),
        (("1.9", "2.0"), "¶ 1.9, 2.0"),
    ],
)
def test_paragraph_spans(labels: tuple[str, ...], shown: str) -> None:
    assert paragraph_span(labels) == shown


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('paragraphs: ["12", "13"]', 'paragraphs: ["twelve"]', "paragraph number 'twelve'"),
        ("url: https://example.org/acme.pdf", "url: example.org", "'url' is 'example.org'"),
        ('    paragraphs: ["12", "13"]\n', "", "a verbatim passage needs 'paragraphs'"),
        ("    verbatim: true\n", "", "'paragraphs' belongs to a quoted passage"),
        ("verbatim: true", "verbatim: yes", "'verbatim' is 'yes'"),
        ("sources: [acme]", "sources: [acme, bg-2019]", "must name exactly one id"),
        (
            "review: draft",
            "review: draft\n    translation_of: pr-x",
            "cannot have 'translation_of'",
        ),
    ],
)
def test_quote_field_errors_name_file_line_and_entry(
    corpus_copy: Path, old: str, new: str, message: str
) -> None:
    _quoted_corpus(corpus_copy, old, new)
    problems = _problems(corpus_copy)
    assert any("practitioners/acme.yaml:4 [pr-acme-p12]" in p and message in p for p in problems), (
        problems
    )


@pytest.mark.slow  # loads a copy of the whole six-language corpus: CI runs it
def test_a_verbatim_passage_in_another_language_needs_no_english_original(
    corpus_copy: Path,
) -> None:
    path = _quoted_corpus(corpus_copy)
    path.write_text(path.read_text().replace("language: en", "language: ru"), encoding="utf-8")
    corpus = load_corpus(corpus_copy)
    assert corpus.entry("pr-acme-p12").language == "ru"  # type: ignore[union-attr]
    assert "pr-acme-p12" not in str(
        coverage(corpus)
    )  # the organisation's words: not ours to translate
