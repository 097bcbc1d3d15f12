"""The `guidebot` command: run, chat, ask, search, eval, corpus check|stamp|import|export, ...

The edge for operators and editors. Core errors (`CorpusError`) become a readable list and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from bot import __version__, cli_content, ops
from bot.channels.terminal import render
from bot.channels.terminal import run as run_chat
from bot.content import Passage
from bot.content.export import command as export_command
from bot.content.importing import command as import_command
from bot.core import answers
from bot.core.boot import load_library
from bot.core.library import Library
from bot.core.prefs import ROLES, Prefs
from bot.core.respond import language, respond
from bot.detect.crisis import CrisisDetector
from bot.detect.intents import IntentRecognizer
from bot.errors import CorpusError, SettingsError
from bot.evaluate import evaluate_intents, evaluate_retrieval, load_questions, print_report
from bot.paths import default_intents_dir
from bot.search.index import Hit


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="guidebot", description=__doc__)
    parser.add_argument("--version", action="version", version=f"guidebot {__version__}")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: the bundled one)")
    parser.add_argument("--intents", type=Path, help="intents folder (default: the bundled one)")
    sub = parser.add_subparsers(dest="command", required=True)

    chat = sub.add_parser("chat", help="talk to the guide in the terminal")
    _prefs_options(chat)
    ask = sub.add_parser("ask", help="print one answer")
    ask.add_argument("text")
    _prefs_options(ask)

    search = sub.add_parser("search", help="search the corpus (one query per line on stdin)")
    search.add_argument("query", nargs="?")
    search.add_argument("--json", action="store_true")
    search.add_argument("--top", type=int, default=3)
    search.add_argument("--audience", choices=ROLES)
    search.add_argument("--lang", help="the question's language (default: told from the text)")

    evaluate = sub.add_parser("eval", help="retrieval quality on question files")
    evaluate.add_argument("files", type=Path, nargs="+", metavar="FILE")
    evaluate.add_argument("--json", action="store_true")

    corpus = sub.add_parser("corpus", help="work with the corpus")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", required=True)
    check = corpus_sub.add_parser("check", help="validate corpus and intents; print counts")
    stamp_cmd = corpus_sub.add_parser(
        "stamp", help="record in translations which English text they render (original_hash)"
    )
    stamp_cmd.add_argument("ids", nargs="*", metavar="ID", help="translation ids, e.g. x.es")
    stamp_cmd.add_argument("--lang", help="every translation of this language")
    stamp_cmd.add_argument("--all", action="store_true", help="every translation")
    check.add_argument("--json", action="store_true")
    import_command.add_parser(corpus_sub)
    export_command.add_parser(corpus_sub)

    classify = sub.add_parser("classify", help="crisis tier of a message (one per line on stdin)")
    classify.add_argument("text", nargs="?")
    classify.add_argument("--json", action="store_true")

    intents = sub.add_parser("eval-intents", help="crisis detection quality on a labelled file")
    intents.add_argument("file", type=Path)
    intents.add_argument("--json", action="store_true")

    for name, what, data in (
        ("crisis-model", "the learned crisis classifier", "tests/train/crisis"),
        ("scope-model", "the search's scope model", "corpus/asked and tests/train"),
    ):
        model = sub.add_parser(name, help=f"build or check {what}")
        model_sub = model.add_subparsers(dest="model_command", required=True)
        model_sub.add_parser("build", help=f"train on {data}; write intents/{name}.npz")
        model_check = model_sub.add_parser("check", help="fail if the shipped model is stale")
        model_check.add_argument("--retrain", action="store_true", help="also rebuild and compare")

    run = sub.add_parser("run", help="run the Telegram bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="run the webhook server instead")
    doctor = sub.add_parser("doctor", help="check settings, content, database and permissions")
    doctor.add_argument("--online", action="store_true", help="also ask the Bot API (getMe)")
    stats = sub.add_parser("stats", help="aggregate counters (never per user)")
    stats.add_argument("--days", type=int, default=30)
    stats.add_argument("--json", action="store_true")
    backup = sub.add_parser("backup", help="consistent copy of the database")
    backup.add_argument("path", type=Path)
    return parser


def _prefs_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=ROLES)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--country", help="two-letter country code, e.g. FR")


def _prefs(args: argparse.Namespace) -> Prefs:
    return Prefs(
        lang=args.lang, role=args.role, country=args.country.upper() if args.country else None
    )


def _lines(single: str | None) -> Iterator[str]:
    """The one argument, or each line of standard input."""
    if single is not None:
        yield single
        return
    for line in sys.stdin:
        yield line.rstrip("\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # The same content folders as the running bot, unless the command line says otherwise.
    for name, variable in (("corpus", "GUIDEBOT_CORPUS"), ("intents", "GUIDEBOT_INTENTS")):
        if getattr(args, name) is None and os.environ.get(variable):
            setattr(args, name, Path(os.environ[variable]))
    try:
        return _dispatch(args)
    except CorpusError as exc:
        print(f"The content has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except SettingsError as exc:
        print(f"guidebot: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "corpus":
        return cli_content.corpus(args)
    if args.command == "classify":
        folder = args.intents or default_intents_dir()
        return _classify(CrisisDetector.load(folder), IntentRecognizer.load(folder), args)
    if args.command == "eval-intents":
        detector = CrisisDetector.load(args.intents or default_intents_dir())
        report = evaluate_intents(detector, args.file)
        print_report(report, args.json)
        return 0
    if args.command in ("crisis-model", "scope-model"):
        return cli_content.model_command(args)
    if args.command == "run":
        return ops.run_bot(args.webhook, args.corpus, args.intents)
    if args.command == "doctor":
        return ops.doctor(args.online, args.corpus, args.intents)
    if args.command == "stats":
        return ops.stats(args.days, args.json)
    if args.command == "backup":
        return ops.backup(args.path)
    library = load_library(args.corpus, args.intents)
    if args.command == "chat":
        return run_chat(library, _prefs(args))
    if args.command == "ask":
        print(render(respond(library, args.text, _prefs(args))))
        return 0
    if args.command == "search":
        return _search(library, args)
    if args.command == "eval":
        return _eval(library, args)
    raise AssertionError(args.command)  # argparse allows only the commands above


def _search(library: Library, args: argparse.Namespace) -> int:
    """The bot's own search path: the language told from the text unless --lang, the English
    guide through the glossary when nothing in that language answers, one confidence line."""
    for query in _lines(args.query):
        message = library.read(query)
        lang = args.lang or language(library, message, Prefs())
        ranking, note = answers.search(library, message, lang, args.audience)
        hits = answers.distinct(library, ranking.hits)[: args.top]
        shown = "hits" if ranking.answered else "closest" if ranking.near else None
        if args.json:
            print(
                json.dumps(
                    {
                        "query": query,
                        "lang": lang,
                        "answered": ranking.answered,
                        "confidence": round(ranking.confidence, 4),
                        "english_fallback": note is not None,
                        "hits": [_hit_json(h) for h in hits] if shown == "hits" else [],
                        "closest": [_hit_json(h) for h in hits] if shown == "closest" else [],
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
            continue
        if shown is None:
            print(f"{query}\t(no relevant passage)", flush=True)
            continue
        label = "" if shown == "hits" else "closest "
        for rank, hit in enumerate(hits, 1):
            print(
                f"{query}\t{label}{rank}\t{hit.score:.2f}\t{hit.entry.id}\t{hit.entry.title}",
                flush=True,
            )
    return 0


def _hit_json(hit: Hit) -> dict[str, object]:
    quoted = hit.entry if isinstance(hit.entry, Passage) and hit.entry.verbatim else None
    return {
        "id": hit.entry.id,
        "title": hit.entry.title,
        "citation": hit.entry.citation,
        "score": hit.score,
        "coverage": hit.coverage,
        "kind": hit.entry.kind,
        "text": hit.entry.search_text,
        # Passages quoted from an organisation's document: the paragraphs quoted and its address.
        "paragraphs": list(quoted.paragraphs) if quoted else [],
        "url": quoted.url if quoted else None,
    }


def _eval(library: Library, args: argparse.Namespace) -> int:
    questions = [q for path in args.files for q in load_questions(path)]
    report = evaluate_retrieval(library, questions)
    print_report(report, args.json)
    return 0


def _classify(
    detector: CrisisDetector, recognizer: IntentRecognizer, args: argparse.Namespace
) -> int:
    """Crisis first, as the bot does; otherwise a short-message intent, else a question."""
    for text in _lines(args.text):
        got = detector.assess(text)
        recognized = None if got.crisis else recognizer.recognize(text)
        intent = "crisis" if got.crisis else (recognized[0] if recognized else "question")
        lang = got.lang or (recognized[1] if recognized else None)
        if args.json:
            print(
                json.dumps(
                    {
                        "intent": intent,
                        "tier": got.tier,
                        "crisis": got.crisis,
                        "category": got.category,
                        "lang": lang,
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
        else:
            print(f"{intent}\t{got.tier}\t{got.category or '-'}\t{lang or '-'}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
