"""`guidebot corpus import`: an organisation's guidelines (PDF, DOCX, Markdown) become verbatim
draft passages that pass `corpus check`, are found by the real search and are cited to the
paragraph.

Every document is made here at run time: a PDF with a running header and footer, a footnote and
its marker, a paragraph carried over a page break and a two-column page written to the file
line by line across both columns; a DOCX with headings, several ways of numbering and a Word
list; a DOCX numbered only by Word (levels, a restart, bullets, a numbering style), its lists
written by `wordmaker`; a Russian Markdown file with dotted numbers.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import docx
import pypdf
import pytest
from docx.enum.style import WD_STYLE_TYPE

from bot.cli import main
from bot.content import Passage, load_corpus
from bot.content.importing.document import Kind
from bot.content.importing.from_docx import read_docx
from bot.content.importing.importer import ImportRequest, import_document
from bot.content.importing.numbering import paragraph_number
from bot.content.importing.paragraphs import numbered_paragraphs
from bot.content.model import DRAFT
from bot.core.boot import load_library
from bot.core.library import Library
from bot.core.prefs import Prefs
from bot.core.respond import respond
from bot.paths import default_corpus_dir
from tests.pdfmaker import MARGIN, PAGE_HEIGHT, Page, Text, lines, pdf_bytes, write_pdf
from tests.wordmaker import add_instance, define_list, number

URL = "https://example.org/acme-guidelines.pdf"
TITLE = "Acme Staff Wellbeing Guidelines"

# -- the documents ---------------------------------------------------------------------------

PDF_PARAGRAPHS = {
    "1": "1. Every staff member takes a full day of rest after returning from a field mission. "
    "On that day nobody sends them emails or calls them about work, and the coordinator plans "
    "the rota in advance so that the work is covered by someone else. Rest after a mission is "
    "part of the job, not a favour, and managers set the example by taking their own rest days "
    "and saying so openly to the team.",
    "2": "2. Annual leave is planned with the coordinator before the year starts, so that every "
    "person knows when their holidays fall and can book them early. Leave that is not taken by "
    "the end of September is discussed in a one-to-one meeting, because a person who never takes "
    "holidays is a warning sign for the whole team and not a proof of dedication. Nobody is asked "
    "to cancel planned leave except in an emergency.",
    "3": "3. Stress is a normal reaction to abnormal work, and talking about it is encouraged in "
    "every team meeting without fear of judgement.",
    "4": "4. Each team meets once a month for a confidential conversation about stress, led by an "
    "external facilitator who is not part of the management line. What is said in that room "
    "stays there, unless someone is at risk of serious harm. Attendance is voluntary and happens "
    "during working hours, and the organisation pays for the facilitator from its core budget "
    "rather than from project funds.",
    "5": "5. "
    + " ".join(
        f"Peer supporter number {n} is a colleague trained to listen after a hard event, "
        f"and the training for group {n} takes three days with a refresher every year."
        for n in range(1, 15)
    ),
    "6": "6. Staff on night shifts keep a fixed sleeping schedule and a dark, quiet room for "
    "daytime sleep, which the organisation helps to arrange when they travel. Nobody works more "
    "than three night shifts in a row. After the last night shift of a week, the next day is "
    "free, and the person is not expected to answer messages until the following morning. "
    "Coordinators check the rota every month to make sure the rule is kept.",
    "7": "7. During field missions the team stops for proper meals at regular times, even on busy "
    "days. The mission budget includes food and clean drinking water for everyone, including "
    "drivers and interpreters, and nobody should pay for their own meals out of pocket. When a "
    "mission takes place in a remote area, the logistics officer plans the supplies before "
    "departure and carries a reserve for two extra days.",
}
HEADER = "Acme Staff Wellbeing Guidelines 2024 - internal"
FOOTNOTE = "1 Leave rules are set out in the staff handbook, annex C."


def _edges(page: Page, number: int) -> Page:
    return page.add(
        Text(MARGIN, PAGE_HEIGHT - 30, HEADER, 9), Text(280, 30, f"Page {number} of 3", 9)
    )


def _with_marker(page: Page, text: str, after: str) -> Page:
    """A paragraph whose word `after` carries a superscript footnote marker, as its own run."""
    head, tail = text.split(after, 1)
    first = lines(head + after, MARGIN, page.y)
    last = first[-1]
    marker_x = last.x + len(last.text) * 5.3
    page.runs += first
    page.runs.append(Text(marker_x, last.y + 4, "1", 6))  # the marker, raised and small
    rest = lines(tail.strip(), MARGIN, last.y - 11 * 1.3)
    page.runs.append(Text(marker_x + 4, last.y, rest[0].text, 11))  # the line goes on after it
    page.runs += [Text(r.x, r.y + 11 * 1.3, r.text, r.size) for r in rest[1:]]
    page.y = page.runs[-1].y - 11 * 1.3 * 1.8
    return page


def make_pdf(path: Path) -> Path:
    one = Page().heading(TITLE, 18).heading("1. Rest and leave").paragraph(PDF_PARAGRAPHS["1"])
    _with_marker(one, PDF_PARAGRAPHS["2"], "coordinator")
    one.add(Text(MARGIN, 60, FOOTNOTE, 8))
    two = Page().heading("2. Stress and support")
    two.paragraph(PDF_PARAGRAPHS["3"]).paragraph(PDF_PARAGRAPHS["4"])
    # Paragraph 5 runs over the page break, mid-sentence.
    five = lines(PDF_PARAGRAPHS["5"], MARGIN, two.y)
    on_two = five[:20]
    two.add(*on_two)
    three = Page()
    three.add(*lines(" ".join(r.text for r in five[len(on_two) :]), MARGIN, three.y))
    three.y = three.runs[-1].y - 30
    three.heading("3. Sleep and food")
    left = lines(PDF_PARAGRAPHS["6"], MARGIN, three.y, width=40)
    right = lines(PDF_PARAGRAPHS["7"], 320, three.y, width=40)
    # Written across both columns line by line: the file's order is not the reading order.
    three.add(*[run for pair in zip(left, right, strict=False) for run in pair])
    three.add(*left[len(right) :], *right[len(left) :])
    pages = [_edges(page, n).runs for n, page in enumerate((one, two, three), 1)]
    return write_pdf(path, pages, title=TITLE)


DOCX_PARAGRAPHS = {
    "1": "1. Before a trip, every traveller agrees a check-in schedule with a named contact "
    "person at the office, with a fixed hour for a short message each evening. If the "
    "message does not come within two hours, the contact person follows the agreed steps,"
    " starting with a call to the traveller and then to the local partner, and records "
    "every step taken in the incident log so that the next person on duty can continue "
    "without delay.",
    "2": "2) Laptops and phones used on missions are encrypted, protected with a long "
    "passphrase and cleaned of old files before departure. Travellers carry only the "
    "documents they need for the trip, and back up their notes every evening to the "
    "organisation's server, never to a personal account. A lost or seized device is "
    "reported at once, so that passwords can be changed before anyone else can use them.",
    "3": "(3) Drivers hired for a mission are paid the full agreed fee even when a trip is "
    "cancelled for security reasons, and they receive the same safety briefing as the "
    "rest of the team. Their contact details are kept in the mission file, and they are "
    "told whom to call if the team is stopped at a checkpoint or separated from them, "
    "because their safety matters as much as anyone else's on the road.",
    "4": "§ 4 After any security incident the team holds a debrief within three days, focused "
    "on what happened, what helped and what must change, and never on blame. Notes from "
    "the debrief are shared with the security focal point, who updates the mission plan, "
    "and every member of the team is offered a conversation with a counsellor of their "
    "choice, paid for by the organisation and kept confidential from their managers.",
}
WORD_LIST_ITEM = "Debriefs are written up within a week."  # numbered by Word, not in its text


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.core_properties.title = "Acme Field Security Guidelines"
    document.add_heading("Acme Field Security Guidelines", 0)
    document.add_paragraph("These guidelines apply to every mission from January onwards.")
    document.add_heading("Before and during travel", 1)
    document.add_paragraph(DOCX_PARAGRAPHS["1"])
    document.add_paragraph(DOCX_PARAGRAPHS["2"])
    document.add_heading("People and incidents", 1)
    third = document.add_paragraph(DOCX_PARAGRAPHS["3"][:-1])
    third.add_run("2").font.superscript = True  # a footnote marker, not part of the text
    third.add_run(".")
    document.add_paragraph(DOCX_PARAGRAPHS["4"])
    document.add_paragraph(WORD_LIST_ITEM, style="List Number")
    document.save(str(path))
    return path


# Word's automatic numbering: one three-level list ("1.", "2.1", "(a)") restarted in the annex by
# a second w:num with a w:startOverride, a bullet list, a list drawn through a paragraph style
# based on another, and a list item in a table, which Word counts though the import reads no table.
NUMBERED_TITLE = "Acme Travel Rules"
NUMBERED = [  # (section, style, (w:numId, w:ilvl) given to the paragraph, what Word draws, words)
    ("Travel", None, (10, 0), "1. ", "Every trip is planned with the security focal point a "
     "week ahead, and the plan names the route, the places to stay and the people to call if "
     "anything goes wrong."),
    ("Travel", "List Bullet", None, "", "Carry a charged phone and a paper list of numbers."),
    ("Travel", None, (10, 0), "2. ", "Travellers check in with the office every evening at an "
     "agreed hour."),
    ("Travel", None, (10, 1), "2.1 ", "A missed check-in is followed up within two hours by the "
     "contact person, who calls the traveller first and then the local partner."),
    ("Travel", None, (10, 2), "(a) ", "The contact person writes every step in the incident log."),
    ("Travel", None, (10, 2), "(b) ", "The next person on duty reads the log before taking over."),
    ("Travel", None, (10, 1), "2.2 ", "After two missed check-ins the security focal point "
     "decides on further steps together with the director."),
    ("Travel", None, (10, 0), "3. ", "Vehicles are checked before each journey, and drivers may "
     "refuse a route they judge unsafe without any loss of pay."),
    # Word's "Restart at 1": a second w:num on the same definition, with a w:startOverride.
    ("Annex", None, (11, 0), "1. ", "Partners who host a visiting team receive the travel plan "
     "in advance and may ask for changes to it. The plan is sent over a secure channel, and the "
     "partner's own security advice is read and answered before the team sets off."),
    ("Annex", None, (11, 1), "1.1 ", "Their own staff are briefed by them, in their own "
     "language, on what the visit involves."),
    ("Annex", "table", (10, 0), "2. ", "Partner costs are listed here."),  # counted, not read
    ("Annex", None, (10, 0), "3. ", "Costs the partner carries for the visit are paid back "
     "within a month."),  # the first w:num carries on from the restart: counters are shared
    # Numbered by the style "Rule" is based on, a list that starts at 7.
    ("Offices", "Rule", None, "7. ", "Each office keeps a first-aid kit and at least one person "
     "trained to use it on every shift. The kit is checked at the start of every month, and "
     "anything used or out of date is replaced within the same week."),
    ("Offices", "Rule", (0, None), "", "This reminder is not numbered."),  # w:numId 0: none
    ("Offices", "Rule", None, "8. ", "Fire exits are kept clear and are walked through with "
     "every new member of staff in their first week. A fire drill is held twice a year."),
]  # fmt: skip


def make_numbered_docx(path: Path) -> Path:
    """`NUMBERED` as Word would keep it: the numbers in the numbering part, not in the text."""
    document = docx.Document()
    document.core_properties.title = NUMBERED_TITLE
    define_list(document, 20, [("decimal", "%1.", 1), ("decimal", "%1.%2", 1),
                               ("lowerLetter", "(%3)", 1)])  # fmt: skip
    define_list(document, 21, [("decimal", "%1.", 7)])
    add_instance(document, 10, 20)
    add_instance(document, 11, 20, starts={0: 1})
    add_instance(document, 12, 21)
    base = document.styles.add_style("Rule Base", WD_STYLE_TYPE.PARAGRAPH)
    number(base.element, 12)
    document.styles.add_style("Rule", WD_STYLE_TYPE.PARAGRAPH).base_style = base
    document.add_heading(NUMBERED_TITLE, 0)
    sections: list[str] = []
    for section, style, numbering, _, words in NUMBERED:
        if section not in sections:
            sections.append(section)
            document.add_heading(section, 1)
        if style == "table":
            paragraph = document.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0]
            paragraph.text = words
        else:
            paragraph = document.add_paragraph(words, style=style)
        if numbering is not None:
            number(paragraph._p, *numbering)
    document.save(str(path))
    return path


RU_PARAGRAPHS = {
    "1.1": "1.1 После каждой командировки сотрудник получает два полных дня отдыха, в которые "
    "его не просят отвечать на письма и звонки. Координатор заранее составляет график так, "
    "чтобы работу в эти дни выполнял кто-то другой. Отдых после поездки считается частью "
    "работы, а не одолжением, и руководители сами подают пример, открыто беря свои дни отдыха "
    "и рассказывая об этом команде на общих встречах. Никто не должен чувствовать вину за отдых.",
    "1.2": "1.2 Каждый сотрудник может раз в квартал бесплатно и анонимно встретиться с "
    "психологом, которого выбирает сам из списка, составленного вместе с партнёрскими "
    "организациями. Руководство не получает никаких сведений о том, кто воспользовался этой "
    "возможностью. Если сотруднику нужна срочная помощь, он может обратиться к психологу без "
    "ожидания очереди, а расходы на консультации оплачиваются из основного бюджета организации. "
    "Список психологов обновляется каждый год.",
    "2.1": "2.1 Если сотрудник подвергся угрозам или нападению, команда в течение недели "
    "проводит спокойную встречу, на которой обсуждает, что произошло и что помогло. На этой "
    "встрече никого не обвиняют. Пострадавшему предлагают отпуск, помощь юриста и поддержку "
    "семьи, а координатор по безопасности обновляет план работы так, чтобы подобное не "
    "повторилось, и сообщает команде о принятых мерах. Участие во встрече остаётся "
    "добровольным для всех сотрудников.",
}


def make_russian_markdown(path: Path) -> Path:
    text = (
        "# Руководство по благополучию сотрудников\n\n"
        "Вступление без номера.\n\n"
        "## 1. Отдых и помощь\n\n"
        f"{RU_PARAGRAPHS['1.1']}\n\n{RU_PARAGRAPHS['1.2']}[^1]\n\n"
        "## 2. После инцидента\n\n"
        f"{RU_PARAGRAPHS['2.1']}\n\n"
        "[^1]: Список психологов хранится у координатора.\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


# -- importing them ---------------------------------------------------------------------------


def guidebot(*args: str | Path) -> int:
    return main([str(arg) for arg in args])


def import_into(corpus: Path, document: Path, source: str, collection: str, *more: str) -> None:
    assert guidebot("corpus", "import", document, "--into", corpus, "--source", source,
                    "--collection", collection, *more) == 0  # fmt: skip


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled corpus with all three documents imported."""
    folder = tmp_path_factory.mktemp("import")
    corpus = folder / "corpus"
    shutil.copytree(default_corpus_dir(), corpus)
    import_into(corpus, make_pdf(folder / "acme.pdf"), "acme-2024", "practitioners", "--url", URL)
    import_into(corpus, make_docx(folder / "field.docx"), "acme-field", "relocation")
    import_into(corpus, make_russian_markdown(folder / "ru.md"), "acme-ru", "selfcare",
                "--lang", "ru", "--audience", "defender")  # fmt: skip
    return corpus


@pytest.fixture(scope="module")
def library(imported: Path) -> Library:
    return load_library(imported)


def _quoted(library: Library, source: str) -> list[Passage]:
    return [p for p in library.corpus.passages if p.verbatim and p.sources[0].id == source]


def _words(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
@pytest.mark.parametrize(
    ("source", "paragraphs"),
    [
        ("acme-2024", PDF_PARAGRAPHS),
        # Word's own list item: its number drawn as if typed, it is a list inside paragraph § 4.
        ("acme-field", {**DOCX_PARAGRAPHS, "4": f"{DOCX_PARAGRAPHS['4']} 1. {WORD_LIST_ITEM}"}),
        ("acme-ru", RU_PARAGRAPHS),
    ],
)
def test_every_numbered_paragraph_is_imported_once_word_for_word(
    library: Library, source: str, paragraphs: dict[str, str]
) -> None:
    """The passages, read in order, are the numbered paragraphs word for word: nothing left out,
    nothing twice, and no header, footer, page number, footnote or marker in between."""
    passages = _quoted(library, source)
    assert _words([p.text for p in passages]) == _words(list(paragraphs.values()))
    numbers = [label for p in passages for label in p.paragraphs]
    assert list(dict.fromkeys(numbers)) == list(paragraphs)
    for passage in passages:
        assert passage.review == DRAFT and 60 <= len(passage.text.split()) <= 250
        assert passage.topics and not set(passage.topics) & set(passage.title.lower().split())


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_the_pdf_is_joined_split_and_cited_to_the_paragraph(library: Library) -> None:
    passages = {p.id: p for p in _quoted(library, "acme-2024")}
    assert {i: p.paragraphs for i, p in passages.items()} == {
        "pr-acme-2024-p1": ("1",),
        "pr-acme-2024-p2": ("2",),
        "pr-acme-2024-p3-p4": ("3", "4"),  # a short paragraph joins its neighbour
        "pr-acme-2024-p5-1": ("5",),  # a long one is cut at a sentence end; both keep ¶ 5
        "pr-acme-2024-p5-2": ("5",),
        "pr-acme-2024-p6": ("6",),
        "pr-acme-2024-p7": ("7",),
    }
    assert passages["pr-acme-2024-p1"].section == "1. Rest and leave"  # not the title above it
    joined = passages["pr-acme-2024-p3-p4"]
    assert joined.citation == f"{TITLE} › 2. Stress and support › ¶ 3–4"
    assert joined.url == URL and joined.audiences == ("practitioner", "coordinator", "defender")
    assert passages["pr-acme-2024-p5-1"].text.endswith(".")
    assert library.corpus.sources["acme-2024"].title == TITLE  # from the PDF's metadata
    text = " ".join(p.text for p in passages.values())
    assert "Page" not in text and "internal" not in text and "handbook" not in text


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_a_two_column_page_reads_left_column_then_right(library: Library) -> None:
    six = library.corpus.entry("pr-acme-2024-p6")
    seven = library.corpus.entry("pr-acme-2024-p7")
    assert isinstance(six, Passage) and isinstance(seven, Passage)
    assert six.text == PDF_PARAGRAPHS["6"] and seven.text == PDF_PARAGRAPHS["7"]
    assert six.section == seven.section == "3. Sleep and food"


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
@pytest.mark.parametrize(
    ("question", "lang", "cited"),
    [
        ("How many night shifts in a row can staff work?", "en", "› 3. Sleep and food › ¶ 6"),
        ("Are drivers paid when a trip is cancelled for security reasons?", "en", "› ¶ 3"),
        ("Сколько дней отдыха положено после командировки?", "ru", "› 1. Отдых и помощь › ¶ 1.1"),
    ],
)  # fmt: skip
def test_a_question_is_answered_with_the_paragraph_cited(
    library: Library, question: str, lang: str, cited: str
) -> None:
    reply = respond(library, question, Prefs(lang=lang))
    assert reply.kind == "answer", reply.text
    assert cited in reply.text


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_the_answer_links_to_the_document(library: Library) -> None:
    reply = respond(library, "How many night shifts in a row can staff work?", Prefs(lang="en"))
    assert f"📖 {TITLE} › 3. Sleep and food › ¶ 6\n{URL}" in reply.text


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_the_imported_corpus_passes_corpus_check(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert guidebot("--corpus", imported, "corpus", "check") == 0
    assert "Corpus OK" in capsys.readouterr().out
    assert load_corpus(imported).entry("sc-acme-ru-p1-1") is not None


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_search_json_carries_paragraphs_and_url(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert guidebot("--corpus", imported, "search", "--json", "night shifts in a row") == 0
    hit = json.loads(capsys.readouterr().out)["hits"][0]
    assert hit["id"] == "pr-acme-2024-p6" and hit["paragraphs"] == ["6"] and hit["url"] == URL


def test_the_file_draws_the_columns_line_by_line_across_both(tmp_path: Path) -> None:
    """What the reading order is restored from: pypdf's plain text of the two-column page runs
    into paragraph 7 long before paragraph 6 ends."""
    plain = pypdf.PdfReader(make_pdf(tmp_path / "acme.pdf")).pages[2].extract_text()
    assert plain.index("7. During") < plain.index("night shifts in a row")


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_the_report_names_what_was_left_out(corpus_copy: Path, tmp_path: Path) -> None:
    request = ImportRequest(make_pdf(tmp_path / "acme.pdf"), corpus_copy, "acme", "selfcare")
    report = import_document(request)
    assert report.paragraphs == list(PDF_PARAGRAPHS) and report.passages == 7
    assert report.source_added and report.skipped == []
    notes = " / ".join(report.notes)
    for left_out in ("1 footnote marker", "1 line(s) of footnote text", "6 running header"):
        assert left_out in notes, notes


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_unsupported_word_numbering_and_markers_are_reported(
    corpus_copy: Path, tmp_path: Path
) -> None:
    """A Word number format the import does not draw ("1st") is reported with how many
    paragraphs use it; the "List Number" item it does draw is not."""
    document = docx.Document(str(make_docx(tmp_path / "field.docx")))
    define_list(document, 30, [("ordinal", "%1", 1)])
    add_instance(document, 30, 30)
    number(document.add_paragraph("The debrief notes are kept for five years.")._p, 30, 0)
    document.save(str(tmp_path / "field.docx"))
    request = ImportRequest(tmp_path / "field.docx", corpus_copy, "acme", "relocation")
    report = import_document(request)
    notes = " / ".join(report.notes)
    assert "1 superscript footnote marker" in notes
    assert (
        "1 paragraph(s) are numbered by Word's automatic numbering in a format the import does "
        "not draw (ordinal)" in notes
    ), notes
    assert report.skipped == ["These guidelines apply to every mission from January …"]


def test_word_numbers_are_read_as_if_typed(tmp_path: Path) -> None:
    """Word draws the numbers from its numbering part: several levels, a restart, a list
    carried on across a table, a bullet list and a list given by a paragraph style. The import
    puts each number before the paragraph's words, so it is found like a typed one."""
    document = read_docx(make_numbered_docx(tmp_path / "numbered.docx"))
    texts = [block.text for block in document.blocks if block.kind is Kind.TEXT]
    assert texts == [drawn + words for _, style, _, drawn, words in NUMBERED if style != "table"]
    found = numbered_paragraphs(document, untitled="")
    assert [(p.section, p.number.label) for p in found.paragraphs] == [
        ("Travel", "1"), ("Travel", "2"), ("Travel", "2.1"), ("Travel", "2.2"),
        ("Travel", "3"), ("Annex", "1"), ("Annex", "1.1"), ("Annex", "3"),
        ("Offices", "7"), ("Offices", "8"),
    ]  # fmt: skip
    assert found.skipped == []
    assert not any("numbering" in note for note in document.notes), document.notes


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_word_numbered_paragraphs_are_cited_like_typed_ones(
    corpus_copy: Path, tmp_path: Path
) -> None:
    document = make_numbered_docx(tmp_path / "numbered.docx")
    assert _import(corpus_copy, document) == 0
    passages = [
        p for p in load_corpus(corpus_copy).passages if p.verbatim and p.sources[0].id == "acme"
    ]
    assert [(p.citation, p.paragraphs) for p in passages] == [
        ("Acme Travel Rules › Travel › ¶ 1–2, 2.1–2.2, 3", ("1", "2", "2.1", "2.2", "3")),
        ("Acme Travel Rules › Annex › ¶ 1, 1.1, 3", ("1", "1.1", "3")),
        ("Acme Travel Rules › Offices › ¶ 7–8", ("7", "8")),
    ]
    travel = passages[0].text
    assert "\n\n(a) The contact person" in travel
    assert "\n\nCarry a charged phone" in travel  # a bullet: no number drawn


# -- the command line: --force and errors -----------------------------------------------------

GUIDE_MD = (
    "# Acme guide\n\nAn introduction with no number.\n\n## Rest\n\n"
    + PDF_PARAGRAPHS["1"].replace(
        "Rest after a mission", "**Rest** after [a mission](https://x.org)"
    )
    + "\n\n"
    + PDF_PARAGRAPHS["2"]
    + "\n"
)


def _import(corpus: Path, document: Path, *more: str) -> int:
    return guidebot("corpus", "import", document, "--into", corpus, "--source", "acme",
                    "--collection", "practitioners", *more)  # fmt: skip


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_markdown_markup_is_not_part_of_the_text(corpus_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "guide.md").write_text(GUIDE_MD, encoding="utf-8")
    assert _import(corpus_copy, tmp_path / "guide.md") == 0
    first = load_corpus(corpus_copy).entry("pr-acme-p1")
    assert isinstance(first, Passage) and first.text == PDF_PARAGRAPHS["1"]
    assert first.citation == "Acme guide › Rest › ¶ 1" and first.url is None


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_an_import_is_replaced_only_with_force(
    corpus_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = tmp_path / "guide.md"
    document.write_text(GUIDE_MD, encoding="utf-8")
    assert _import(corpus_copy, document) == 0
    output = corpus_copy / "passages" / "practitioners" / "acme.yaml"
    first = output.read_text(encoding="utf-8")
    document.write_text(GUIDE_MD.replace("one-to-one meeting", "private meeting"), "utf-8")
    capsys.readouterr()
    assert _import(corpus_copy, document) == 1
    assert "already exists; add --force to replace it" in capsys.readouterr().err
    assert output.read_text(encoding="utf-8") == first
    assert _import(corpus_copy, document, "--force") == 0
    assert "private meeting" in output.read_text(encoding="utf-8")
    sources = (corpus_copy / "sources.yaml").read_text(encoding="utf-8")
    assert sources.count("- id: acme\n") == 1  # known now: not added twice
    assert load_corpus(corpus_copy).entry("pr-acme-p2") is not None


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
@pytest.mark.parametrize(
    ("name", "content", "options", "message"),
    [
        ("broken.pdf", b"%PDF-1.4\nnot a PDF at all", (), "broken.pdf is not a readable PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip", (), "broken.docx is not a readable DOCX"),
        ("scan.pdf", pdf_bytes([[]]), (), "scan.pdf has no text layer"),
        ("guide.odt", b"...", (), "cannot import this kind of file"),
        ("notes.md", "# Notes\n\nNothing is numbered.\n", (), "has no numbered paragraphs"),
        ("guide.md", GUIDE_MD, ("--collection", "handbook"), "no collection 'handbook'"),
        ("guide.md", GUIDE_MD, ("--lang", "xx"), "no language 'xx' in the corpus"),
        ("guide.md", GUIDE_MD, ("--lang", "ru"), "--lang ru is written in Cyrillic letters"),
        ("guide.md", GUIDE_MD, ("--source", "Acme Guide"), "source id 'Acme Guide'"),
        ("guide.md", GUIDE_MD, ("--url", "example.org"), "should start with https://"),
        ("guide.md", GUIDE_MD, ("--audience", "donor"), "audiences must be some of"),
        # --force replaces an earlier import, never a file an editor wrote
        ("guide.md", GUIDE_MD, ("--source", "assessment", "--force"), "not written by corpus"),
    ],
)  # fmt: skip
def test_errors_are_one_line_and_change_nothing(  # noqa: PLR0917 - fixtures and parameters
    corpus_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | str,
    options: tuple[str, ...],
    message: str,
) -> None:
    document = tmp_path / name
    if isinstance(content, str):
        document.write_text(content, encoding="utf-8")
    else:
        document.write_bytes(content)
    sources = (corpus_copy / "sources.yaml").read_text(encoding="utf-8")
    assert _import(corpus_copy, document, *options) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"guidebot: cannot import {name}: ") and error.count("\n") == 1
    assert message in error, error
    assert (corpus_copy / "sources.yaml").read_text(encoding="utf-8") == sources
    assert not list(corpus_copy.glob("passages/*/acme.yaml"))


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_a_file_that_is_not_there(corpus_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _import(corpus_copy, corpus_copy / "missing.pdf") == 1
    assert "missing.pdf not found" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("12. Staff rest", "12"),
        ("12) Staff rest", "12"),
        ("(12) Staff rest", "12"),
        ("§ 12 Staff rest", "12"),
        ("§12. Staff rest", "12"),
        ("1.2.3 Staff rest", "1.2.3"),
        ("1.2.3. Staff rest", "1.2.3"),
        ("2019. The year", None),  # a year, not a paragraph
        ("12 Staff rest", None),
        ("a) Staff rest", None),
        ("12.", None),
    ],
)
def test_paragraph_numbers_are_read_as_printed(text: str, label: str | None) -> None:
    number = paragraph_number(text)
    assert (number.label if number else None) == label


@pytest.mark.slow  # imports into a copy of the whole corpus and checks it: CI runs it
def test_plain_text_headings_wrapped_lines_and_broken_words(
    corpus_copy: Path, tmp_path: Path
) -> None:
    """Plain text marks nothing: a short line on its own is a heading, a paragraph's wrapped
    lines are one paragraph, and a word broken at a line end ("one-to-" / "one") is whole."""
    second = PDF_PARAGRAPHS["2"].replace("one-to-one meeting", "one-to-\none meeting")
    wrapped = "\n".join(textwrap.wrap(second, 70)).replace("one-to- one", "one-to-\none")
    assert "one-to-\none" in wrapped
    text = f"ACME GUIDE\n\nRest and leave\n\n{PDF_PARAGRAPHS['1']}\n\n{wrapped}\n"
    (tmp_path / "guide.txt").write_text(text, encoding="utf-8")
    assert _import(corpus_copy, tmp_path / "guide.txt") == 0
    corpus = load_corpus(corpus_copy)
    first, second_passage = corpus.entry("pr-acme-p1"), corpus.entry("pr-acme-p2")
    assert isinstance(first, Passage) and isinstance(second_passage, Passage)
    assert first.citation == "ACME GUIDE › Rest and leave › ¶ 1"
    assert second_passage.text == PDF_PARAGRAPHS["2"]
