"""How long `guidebot corpus import` takes on a 50-page PDF (floor: under 10 s on the 2-core
development machine).

The PDF is made here with tests/pdfmaker.py: every page has a running header and footer and
four numbered paragraphs, one in three a footnote, every tenth page two columns written line by
line across both, and a heading every fifth page. It is imported into a temporary copy of the
bundled corpus, exactly as the command does it, which includes loading the whole corpus again
afterwards to check the result. Run from the repository root: `python -m bench.import_bench`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from bot.content.importing.from_pdf import read_pdf
from bot.content.importing.importer import ImportRequest, import_document
from bot.paths import default_corpus_dir
from tests.pdfmaker import MARGIN, PAGE_HEIGHT, Page, Text, lines, write_pdf

FLOOR_SECONDS = 10.0
TOPICS = ("rest", "leave", "supervision", "sleep", "meals", "travel", "debriefs", "counselling")


def _paragraph(number: int) -> str:
    topic = TOPICS[number % len(TOPICS)]
    sentences = [
        f"Team {number} plans {topic} for every member before each mission and records it.",
        f"The coordinator of team {number} checks the {topic} plan once a month with each person.",
        f"Nobody in team {number} is asked to give up {topic} except in a real emergency.",
        f"When the {topic} plan of team {number} fails, the team meets to agree what must change.",
        f"Costs of {topic} for team {number} come from the core budget, not from project funds.",
        f"New staff joining team {number} are told about the {topic} rules on their first day.",
    ]
    return f"{number}. " + " ".join(sentences)


def make_pdf(path: Path, pages: int) -> tuple[Path, int]:
    """A `pages`-page PDF; returns it and how many numbered paragraphs it holds."""
    number = 0
    runs: list[list[Text]] = []
    for index in range(pages):
        page = Page()
        if index % 5 == 0:
            page.heading(f"{index // 5 + 1}. Part {index // 5 + 1}")
        if index % 10 == 9:
            left = lines(_paragraph(number + 1), MARGIN, page.y, width=40)
            right = lines(_paragraph(number + 2), 320, page.y, width=40)
            page.add(*[run for pair in zip(left, right, strict=False) for run in pair])
            page.add(*left[len(right) :], *right[len(left) :])
            number += 2
        else:
            for _ in range(4):
                number += 1
                page.paragraph(_paragraph(number))
        if index % 3 == 0:
            page.add(Text(300, page.runs[-1].y + 4, "1", 6), Text(MARGIN, 60, "1 A footnote.", 8))
        page.add(
            Text(MARGIN, PAGE_HEIGHT - 30, "Acme Staff Wellbeing Guidelines", 9),
            Text(280, 30, f"Page {index + 1} of {pages}", 9),
        )
        runs.append(page.runs)
    return write_pdf(path, runs, title="Acme Staff Wellbeing Guidelines"), number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        pdf, paragraphs = make_pdf(root / "guidelines.pdf", args.pages)
        corpus = root / "corpus"
        shutil.copytree(default_corpus_dir(), corpus)
        started = time.perf_counter()
        read_pdf(pdf)
        reading = time.perf_counter() - started
        started = time.perf_counter()
        report = import_document(ImportRequest(pdf, corpus, "acme", "relocation"))
        total = time.perf_counter() - started
        size = pdf.stat().st_size
    if len(report.paragraphs) != paragraphs:
        raise SystemExit(f"imported {len(report.paragraphs)} paragraphs of {paragraphs}")
    result = {
        "pages": args.pages,
        "pdf_bytes": size,
        "paragraphs": paragraphs,
        "passages": report.passages,
        "read_pdf_s": round(reading, 2),
        "import_s": round(total, 2),
        "floor_s": FLOOR_SECONDS,
        "met": total < FLOOR_SECONDS,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
