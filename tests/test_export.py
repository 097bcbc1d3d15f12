"""`guidebot corpus export --html`: the printable book for reviewers. The structure, links and
escaping are checked on the files; what a reader sees is checked in a real browser (Debian's
Chromium, headless): the DOM it builds, and the PDF it prints."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.content import COLLECTIONS, LANGUAGES, Corpus, load_corpus
from bot.content.export import export_html
from bot.content.importing.importer import ImportRequest, import_document
from bot.core.library import Library
from bot.errors import CorpusError, ExportError, FolderNotEmptyError
from bot.paths import default_corpus_dir

PARTS = (*COLLECTIONS, "checklists")
HOSTILE_TITLE = "Respiración <script>alert('x')</script> & \"pánico\" <b>ya</b>"
HOSTILE_ITEM = "Pregunta <img src=x onerror=alert(1)> qué espera & cómo"
FIRST_ITEM = (
    "Pregunta a la persona solicitante, con sus propias palabras, qué espera que cambie con la "
    "reubicación."
)
APPROVER = "Dr <i>Ana</i> Ruiz, psychologist"
NIGHT_SHIFTS = (
    "Staff on night shifts keep a fixed sleeping schedule and a dark, quiet room for daytime "
    "sleep. Nobody works more than three night shifts in a row, and after the last night shift "
    "of a week the next day is free. Coordinators check the rota every month to make sure the "
    "rule is kept, and they record every exception with its reason."
)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def book(library: Library, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus, exported once for the module."""
    folder = tmp_path_factory.mktemp("book")
    export_html(library.corpus, folder)
    return folder


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path]:
    """A copy of the corpus with one approval, markup in a title, an item, a source and a
    reviewer's name, and an organisation's document imported (verbatim, ¶ 14), exported."""
    root = tmp_path_factory.mktemp("edited")
    corpus_dir = root / "corpus"
    shutil.copytree(default_corpus_dir(), corpus_dir)
    english = corpus_dir / "passages" / "selfcare" / "everyday-practices.yaml"
    approval = f"review: {{status: approved, by: {json.dumps(APPROVER)}, on: 2026-11-30}}"
    _replace(english, "review: draft", approval)
    spanish = corpus_dir / "passages" / "selfcare" / "es" / "everyday-practices.yaml"
    _replace(spanish, '"Respiración lenta para el pánico"', json.dumps(HOSTILE_TITLE))
    checklist = corpus_dir / "checklists" / "relocation.es.yaml"
    _replace(checklist, f"- {FIRST_ITEM}\n", f"- {json.dumps(HOSTILE_ITEM)}\n")
    _replace(corpus_dir / "sources.yaml", "(incl. the Capacitar kit)", "<em>Capacitar</em> & kit")
    document = root / "guide.md"
    document.write_text(f"# Acme guide\n\n## Sleep\n\n14. {NIGHT_SHIFTS} {NIGHT_SHIFTS}\n", "utf-8")
    request = ImportRequest(
        document, corpus_dir, "acme", "relocation", url="https://example.org/guide?a=1&b=2"
    )
    import_document(request)
    corpus = load_corpus(corpus_dir)
    folder = root / "book"
    export_html(corpus, folder)
    return corpus, folder


# -- the files -------------------------------------------------------------------------------


class _Page(HTMLParser):
    """What a page links to and which ids it has, for the link checks."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.addresses: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.addresses.append(value)


def _parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_the_book_is_a_contents_page_and_a_page_per_part_and_language(
    book: Path, library: Library
) -> None:
    expected = {"index.html", "book.css"} | {
        f"{p}-{lang}.html" for p in PARTS for lang in LANGUAGES
    }
    assert {path.name for path in book.iterdir()} == expected
    ids = [i for path in book.glob("*-*.html") for i in _parsed(path).ids]
    assert sorted(ids) == sorted(entry.id for entry in library.corpus.entries)  # each once
    css = (book / "book.css").read_text()
    assert len(css) < 4000 and "@media print" in css


def test_links_stay_in_the_folder_and_lead_somewhere(book: Path) -> None:
    """Offline from any folder: only relative links inside the book, each to a page that exists
    and an entry on it; web addresses only as links out; no script anywhere."""
    pages = {path.name: _parsed(path) for path in book.glob("*.html")}
    for name, page in pages.items():
        assert "script" not in page.tags and "iframe" not in page.tags, name
        policy = "Content-Security-Policy\" content=\"script-src 'none'; object-src 'none'\""
        assert policy in (book / name).read_text(encoding="utf-8"), name  # even if one slipped
        for address in page.addresses:
            if address.startswith("https://") or address.startswith("http://"):
                continue
            assert ":" not in address and not address.startswith(("/", "//")), (name, address)
            target, _, fragment = address.partition("#")
            assert target in pages or target == "book.css", (name, address)
            assert not fragment or fragment in pages[target].ids, (name, address)
    assert "checklists-ar.html" in pages["index.html"].addresses


def test_a_folder_with_files_is_written_into_only_with_force(
    library: Library, tmp_path: Path
) -> None:
    kept = tmp_path / "notes.txt"
    kept.write_text("a reviewer's notes")
    with pytest.raises(FolderNotEmptyError):
        export_html(library.corpus, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    written = export_html(library.corpus, tmp_path, force=True)
    assert written[0] == tmp_path / "index.html" and kept.read_text() == "a reviewer's notes"
    with pytest.raises(ExportError, match="is a file, not a folder"):
        export_html(library.corpus, kept, force=True)


def test_a_corpus_without_the_books_texts_is_a_content_problem(
    library: Library, tmp_path: Path
) -> None:
    """A corpus copied before the book existed lacks its interface texts: say which."""
    texts = {lang: dict(strings) for lang, strings in library.corpus.texts.items()}
    del texts["en"]["export_sources"]
    corpus = Corpus(**{**_fields(library.corpus), "texts": texts})
    with pytest.raises(CorpusError) as raised:
        export_html(corpus, tmp_path / "book")
    assert [p.entry for p in raised.value.problems] == ["export_sources"]
    assert not (tmp_path / "book").exists()


def _fields(corpus: Corpus) -> dict[str, object]:
    names = ("passages", "checklists", "resources", "countries", "sources", "synonyms")
    return {name: getattr(corpus, name) for name in (*names, "texts", "stopwords", "root")}


def test_every_text_is_escaped(edited: tuple[Corpus, Path]) -> None:
    _, folder = edited
    spanish = (folder / "selfcare-es.html").read_text(encoding="utf-8")
    assert "<script" not in spanish and "<b>ya" not in spanish
    assert "Respiración &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;" in spanish
    assert "&lt;em&gt;Capacitar&lt;/em&gt; &amp; kit" in spanish  # a source's title
    checklists = (folder / "checklists-es.html").read_text(encoding="utf-8")
    assert "<img" not in checklists and "&lt;img src=x onerror=alert(1)&gt;" in checklists
    english = (folder / "selfcare-en.html").read_text(encoding="utf-8")
    assert "<i>Ana" not in english and "Dr &lt;i&gt;Ana&lt;/i&gt; Ruiz" in english


def test_an_approval_shows_who_and_when_and_only_on_its_own_entry(
    edited: tuple[Corpus, Path],
) -> None:
    _, folder = edited
    english = (folder / "selfcare-en.html").read_text(encoding="utf-8")
    entry = _article(english, "sc-slow-exhale-breathing")
    assert 'class="review approved">Approved by <bdi>Dr &lt;i&gt;Ana' in entry
    assert 'on <time datetime="2026-11-30">2026-11-30</time>.' in entry
    assert "Draft: not yet approved by a reviewer." in _article(english, "sc-quiet-breathing")
    french = _article((folder / "selfcare-fr.html").read_text(), "sc-slow-exhale-breathing.fr")
    assert "Brouillon : pas encore validé" in french
    assert 'href="selfcare-en.html#sc-slow-exhale-breathing" lang="en" dir="ltr"' in french


def test_a_quoted_passage_shows_its_paragraphs_and_its_document(
    edited: tuple[Corpus, Path],
) -> None:
    corpus, folder = edited
    quoted = next(p for p in corpus.passages if p.verbatim)
    entry = _article((folder / "relocation-en.html").read_text(encoding="utf-8"), quoted.id)
    assert "Quoted word for word: <bdi>¶ 14</bdi>" in entry
    assert '<a href="https://example.org/guide?a=1&amp;b=2">' in entry
    assert "Nobody works more than three night shifts in a row" in entry


def _article(page: str, entry_id: str) -> str:
    start = page.index(f'<article class="entry" id="{entry_id}">')
    return page[start : page.index("</article>", start)]


# -- in a real browser -----------------------------------------------------------------------


# Each starts Chromium (1-4 s): slow, like the tests that start guidebot; CI runs them all.
BROWSER = pytest.mark.slow


def _chromium() -> str:
    """Debian's Chromium. CI installs it (.ci/run), so there its absence is a failure."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs it (apt-get install -y chromium)")
    pytest.skip("needs Debian's chromium (apt-get install -y chromium); CI always runs this test")


def _browse(page: Path, *options: str) -> str:
    """Open a page of the book in headless Chromium from its file:// address."""
    profile = page.parent.parent / "chromium-profile"
    result = subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *options,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class _Dom(HTMLParser):
    """The parts of a page the browser built that a reader relies on."""

    def __init__(self) -> None:
        super().__init__()
        self.root: dict[str, str | None] = {}
        self.titles: list[str] = []
        self.ticks: list[tuple[bool, str]] = []  # (a checkbox?, the item's words), per item
        self.reviews: list[str] = []
        self.text: list[str] = []
        self._into: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.root = found
        elif tag == "h3":
            self._open("title", self.titles)
        elif tag == "li" and self._into is None:
            self._into, self.ticks = "item", [*self.ticks, (False, "")]
        elif tag == "input" and self._into == "item" and found.get("type") == "checkbox":
            self.ticks[-1] = (True, self.ticks[-1][1])
        elif tag == "p" and "review" in (found.get("class") or ""):
            self._open("review", self.reviews)

    def _open(self, kind: str, into: list[str]) -> None:
        self._into = kind
        into.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h3", "li", "p"):
            self._into = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._into == "title":
            self.titles[-1] += data
        elif self._into == "review":
            self.reviews[-1] += data
        elif self._into == "item":
            self.ticks[-1] = (self.ticks[-1][0], (self.ticks[-1][1] + data).strip())


def _dom(page: Path) -> _Dom:
    dom = _Dom()
    dom.feed(_browse(page, "--dump-dom"))
    return dom


@BROWSER
def test_chromium_shows_an_entry_its_text_and_who_approved_it(
    edited: tuple[Corpus, Path],
) -> None:
    corpus, folder = edited
    dom = _dom(folder / "selfcare-en.html")
    assert dom.root == {"lang": "en", "dir": "ltr"}
    passage = corpus.entry("sc-slow-exhale-breathing")
    assert passage is not None and passage.title in dom.titles
    text = " ".join(" ".join(dom.text).split())
    assert "When panic rises, a long, slow out-breath is one of the fastest ways" in text
    assert "Approved by Dr <i>Ana</i> Ruiz, psychologist on 2026-11-30." in dom.reviews
    assert "Draft: not yet approved by a reviewer." in dom.reviews
    spanish = _dom(folder / "selfcare-es.html")
    assert HOSTILE_TITLE in spanish.titles  # markup in a title is shown, never run


@BROWSER
def test_chromium_shows_a_checklist_as_boxes_to_tick(edited: tuple[Corpus, Path]) -> None:
    corpus, folder = edited
    dom = _dom(folder / "checklists-en.html")
    checklist = next(c for c in corpus.checklists if c.id == "cl-selection")
    assert checklist.title in dom.titles
    ticked = [words for box, words in dom.ticks if box]
    assert ticked[: len(checklist.items)] == list(checklist.items)
    assert "Ask the applicant, in their own words, what they hope relocation will change." in ticked
    assert dom.reviews[0] == "Draft: not yet approved by a reviewer."


@BROWSER
def test_the_arabic_page_reads_right_to_left(book: Path, tmp_path: Path) -> None:
    """The page says so (lang, dir), and the browser lays it out so: printed, its heading starts
    in the right half of the page, where the English one starts at the left margin."""
    dom = _dom(book / "selfcare-ar.html")
    assert dom.root == {"lang": "ar", "dir": "rtl"}
    starts = {}
    for lang in ("ar", "en"):
        reader = _printed(book / f"selfcare-{lang}.html", tmp_path / f"{lang}.pdf")
        width = float(reader.pages[0].mediabox.width)
        heading = {"ar": "الرعاية الذاتية", "en": "Self-care"}[lang]
        starts[lang] = _x_of(reader, heading) / width
    assert starts["ar"] > 0.5 > starts["en"], starts


@BROWSER
def test_a_page_prints_with_its_checklists_and_review_status(book: Path, tmp_path: Path) -> None:
    reader = _printed(book / "checklists-en.html", tmp_path / "checklists.pdf")
    printed = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) > 1
    for words in (
        "Selection: is relocation the right option?",
        "Ask the applicant, in their own words, what they hope relocation will change.",
        "Draft: not yet approved by a reviewer.",
        "Sources:",
    ):
        assert words in printed, words
    assert re.search(r"https://protectdefenders\.eu/\S*", printed)  # a link prints its address


def _printed(page: Path, pdf: Path) -> PdfReader:
    _browse(page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    return PdfReader(pdf)


def _x_of(reader: PdfReader, words: str) -> float:
    """Where on the first page `words` begin, from the left edge (PDF units)."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if unicodedata.normalize("NFKC", text).strip() == words and not found:
            found.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

    reader.pages[0].extract_text(visitor_text=visit)
    assert found, f"{words!r} is not on the first page"
    return found[0]
