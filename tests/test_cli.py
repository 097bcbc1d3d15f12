"""The `guidebot` command, run as a separate process the way an editor or operator runs it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GUIDEBOT = shutil.which("guidebot")


def run(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [GUIDEBOT] if GUIDEBOT else [sys.executable, "-m", "bot"]
    return subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=False,
    )


def test_corpus_check_json_counts(tmp_path: Path) -> None:
    # Run from an unrelated folder: the bundled content must be found wherever it is installed.
    result = run("corpus", "check", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert set(counts) == {
        "passages",
        "checklists",
        "resources",
        "languages",
        "translated",
        "asked",
        "approved",
    }
    assert set(counts["translated"]) == {"es", "fr", "pt", "ru", "ar"}
    # How people ask for each entry, in every language (corpus/asked/), found when installed too.
    assert set(counts["asked"]) == {"en", "es", "fr", "pt", "ru", "ar"}
    assert min(counts["asked"].values()) >= 1000  # six per entry: 1,452 each today
    assert all(counts["passages"][c] >= 15 for c in ("practitioners", "relocation", "selfcare"))
    # Nothing is approved yet, in any language or part of the guide.
    assert list(counts["approved"]) == ["en", "es", "fr", "pt", "ru", "ar"]
    for parts in counts["approved"].values():
        assert set(parts) == {"practitioners", "relocation", "selfcare", "checklists"}
        assert all(part["approved"] == 0 and part["of"] > 0 for part in parts.values())


def test_corpus_check_counts_approvals_per_language_and_part(corpus_copy: Path) -> None:
    path = corpus_copy / "passages" / "relocation" / "fr" / "before-relocation.yaml"
    approval = "review: {status: approved, by: Coordinatrice, on: 2026-12-01}"
    path.write_text(path.read_text().replace("review: draft", approval, 1))
    result = run("--corpus", str(corpus_copy), "corpus", "check")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    french = next(line for line in lines if line.startswith("    fr  "))
    english = next(line for line in lines if line.startswith("    en  "))
    assert "relocation 1/" in french and "relocation 0/" in english
    assert re.search(r"^  1 of \d+ entries approved by a reviewer; the rest are drafts$",
                     result.stdout, re.M)  # fmt: skip


def test_corpus_check_fails_naming_file_and_line(corpus_copy: Path) -> None:
    path = sorted((corpus_copy / "passages" / "relocation").glob("*.yaml"))[0]
    path.write_text(path.read_text().replace("review: draft", "review: done", 1))
    result = run("--corpus", str(corpus_copy), "corpus", "check")
    assert result.returncode == 1
    assert f"{path.name}:" in result.stderr and "'review' is 'done'" in result.stderr
    assert "Traceback" not in result.stderr


def test_search_reads_queries_from_stdin_in_order() -> None:
    result = run("search", "--json", "--top", "2", stdin="can't sleep\nrecipe for lasagna\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["can't sleep", "recipe for lasagna"]
    assert lines[0]["hits"] and lines[1]["hits"] == []
    assert {"id", "title", "citation", "score", "text"} <= set(lines[0]["hits"][0])


def test_search_tells_the_language_from_the_text_like_ask() -> None:
    """Without --lang a Spanish question is searched in Spanish, as the bot would."""
    result = run("search", "--json", "no puedo dormir desde que allanaron la oficina")
    line = json.loads(result.stdout)
    assert line["lang"] == "es" and line["answered"]
    assert line["hits"][0]["id"].endswith(".es")
    forced = json.loads(run("search", "--json", "--lang", "en", "can't sleep").stdout)
    assert forced["lang"] == "en" and forced["hits"]


def test_ask_prints_an_answer_with_its_citation() -> None:
    result = run("ask", "client says therapy is for the weak", "--role", "practitioner")
    assert result.returncode == 0, result.stderr
    assert "📖 Practitioners' guide ›" in result.stdout


@pytest.mark.parametrize(
    ("text", "tier"), [("they are at my door", "crisis"), ("how do I sleep better", "none")]
)
def test_classify_json(text: str, tier: str) -> None:
    result = run("classify", "--json", text)
    assert json.loads(result.stdout)["tier"] == tier


def test_chat_runs_a_conversation_from_stdin() -> None:
    result = run("chat", stdin="hi\ni can't sleep since the raid\n3\n/sos\n")
    assert result.returncode == 0, result.stderr
    assert "I'm Guide" in result.stdout and "+353 1 21 00 489" in result.stdout
    assert "/quit" in result.stdout  # a newcomer is told how to leave


def test_chat_takes_its_language_and_country_options() -> None:
    result = run("chat", "--lang", "es", "--country", "FR", stdin="/sos\n")
    assert result.returncode == 0, result.stderr
    assert "soy Guide" in result.stdout and "/quit para salir" in result.stdout
    assert "3114" in result.stdout  # France's national line, from --country


def test_eval_reports_recall_and_out_of_scope() -> None:
    dev = Path(__file__).parent / "dev" / "questions.yaml"
    result = run("eval", str(dev), "--json")
    report = json.loads(result.stdout)
    assert report["overall"]["recall@3"] >= 0.85
    assert len(report["out_of_scope_answered"]) <= 0.20 * report["out_of_scope"]


def test_corpus_import_then_check_and_ask(corpus_copy: Path, tmp_path: Path) -> None:
    """The whole path an editor takes: import a document, check the corpus, ask about it."""
    paragraph = (
        "Staff on night shifts keep a fixed sleeping schedule and a dark, quiet room for daytime "
        "sleep. Nobody works more than three night shifts in a row, and after the last night "
        "shift of a week the next day is free. Coordinators check the rota every month to make "
        "sure the rule is kept, and they record every exception with its reason."
    )
    document = tmp_path / "guide.md"
    document.write_text(f"# Acme guide\n\n## Sleep\n\n14. {paragraph} {paragraph}\n", "utf-8")
    imported = run("corpus", "import", str(document), "--into", str(corpus_copy),
                   "--source", "acme", "--collection", "relocation",
                   "--url", "https://example.org/guide")  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "Imported 1 numbered paragraph(s) (¶ 14) as 1 draft passage(s)" in imported.stdout
    checked = run("--corpus", str(corpus_copy), "corpus", "check")
    assert checked.returncode == 0, checked.stderr
    answer = run("--corpus", str(corpus_copy), "ask", "how many night shifts in a row")
    assert "📖 Acme guide › Sleep › ¶ 14\nhttps://example.org/guide" in answer.stdout
    again = run("corpus", "import", str(document), "--into", str(corpus_copy),
                "--source", "acme", "--collection", "relocation")  # fmt: skip
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.startswith("guidebot: cannot import guide.md: ")


def test_corpus_export_writes_the_book_and_keeps_a_full_folder(tmp_path: Path) -> None:
    book = tmp_path / "book"
    result = run("corpus", "export", "--html", str(book), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "a contents page and 24 pages" in result.stdout
    assert (book / "index.html").is_file() and (book / "relocation-ar.html").is_file()
    again = run("corpus", "export", "--html", str(book))
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.startswith(f"guidebot: cannot export: {book} is not empty; ")
    forced = run("corpus", "export", "--html", str(book), "--force")
    assert forced.returncode == 0, forced.stderr
