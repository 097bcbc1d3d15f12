"""`guidebot corpus check|stamp|import|export` and `guidebot crisis-model build|check`: the commands
editors and maintainers run on the content and the model, apart from the bot's own commands in
`bot/cli.py`."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Any

from bot.content import COLLECTIONS
from bot.content.approval import Tally, approvals, approved_in_all
from bot.content.coverage import coverage
from bot.content.export import command as export_command
from bot.content.importing import command as import_command
from bot.content.stamp import stamp
from bot.core.boot import load_library
from bot.paths import default_corpus_dir


def corpus(args: argparse.Namespace) -> int:
    """check, stamp, import or export, as `args.corpus_command` says."""
    if args.corpus_command == "import":
        return import_command.run(args)
    if args.corpus_command == "export":
        return export_command.run(args)
    return _stamp(args) if args.corpus_command == "stamp" else _check(args)


def _stamp(args: argparse.Namespace) -> int:
    if not (args.ids or args.lang or args.all):
        print("guidebot: name translation ids, --lang xx or --all", file=sys.stderr)
        return 2
    corpus_dir = args.corpus or default_corpus_dir()
    done = stamp(corpus_dir, args.ids, None if args.all else args.lang)
    missing = sorted(set(args.ids) - set(done))
    for entry_id in missing:
        print(f"guidebot: no translation {entry_id!r} to stamp", file=sys.stderr)
    print(f"stamped {len(done)} translation(s)")
    return 1 if missing else 0


def _check(args: argparse.Namespace) -> int:
    corpus_dir = args.corpus or default_corpus_dir()
    library = load_library(corpus_dir, args.intents)  # validates corpus and intents
    corpus = library.corpus
    languages: dict[str, int] = {}
    for entry in corpus.entries:
        languages[entry.language] = languages.get(entry.language, 0) + 1
    counts: dict[str, Any] = {
        "passages": {c: sum(p.collection == c for p in corpus.passages) for c in COLLECTIONS},
        "checklists": len(corpus.checklists),
        "resources": len(corpus.resources),
        "languages": dict(sorted(languages.items())),
        "translated": coverage(corpus),
        "asked": {lang: messages for lang, (_, messages) in sorted(corpus.asked_counts.items())},
        "approved": {
            lang: {part: {"approved": t.approved, "of": t.of} for part, t in parts.items()}
            for lang, parts in approvals(corpus).items()
        },
    }
    if args.json:
        print(json.dumps(counts, ensure_ascii=False))
        return 0
    print(f"Corpus OK: {corpus_dir}")
    for collection, count in counts["passages"].items():
        print(f"  {collection:<14} {count:>4} passages")
    print(f"  {'checklists':<14} {counts['checklists']:>4}")
    shown = sum(r.showable for r in corpus.resources)
    print(f"  {'resources':<14} {counts['resources']:>4} ({shown} confirmed and shown)")
    print(f"  languages      {', '.join(f'{k}: {v}' for k, v in counts['languages'].items())}")
    for lang, parts in counts["translated"].items():
        shares = ", ".join(f"{name} {part['have']}/{part['of']}" for name, part in parts.items())
        print(f"  {lang} has      {shares}")
        for name, part in parts.items():
            if part["missing"]:
                shown, more = part["missing"][:8], len(part["missing"]) - 8
                rest = f" and {more} more (--json lists all)" if more > 0 else ""
                print(f"    {name} not yet in {lang}: {', '.join(shown)}{rest}")
    originals = sum(e.language == "en" for e in corpus.entries)
    for lang, (entries, messages) in sorted(corpus.asked_counts.items()):
        print(
            f"  asked in {lang}   {messages} messages for {entries} of {originals} entries "
            "(search only, never shown)"
        )
    _print_approved(counts["approved"], approved_in_all(corpus))
    return 0


def _print_approved(approved: dict[str, dict[str, dict[str, int]]], total: Tally) -> None:
    """Approvals per language and part, then the whole guide's: each entry counts on its own, so
    a translation shows as approved only once it has been signed off itself."""
    print("  approved by a reviewer, per language:")
    for lang, parts in approved.items():
        shares = ", ".join(
            f"{name} {part['approved']}/{part['of']}" for name, part in parts.items()
        )
        print(f"    {lang}  {shares}")
    print(f"  {total.approved} of {total.of} entries approved by a reviewer; the rest are drafts")


# command -> (the model's name, the module that builds and checks it)
TRAINERS = {
    "crisis-model": ("crisis", "bot.detect.train"),
    "scope-model": ("scope", "bot.search.scope_train"),
}


def model_command(args: argparse.Namespace) -> int:
    """`crisis-model` or `scope-model`, build or check. Offline: needs the `train` extra
    (scikit-learn) and a source checkout with tests/."""
    name, module = TRAINERS[args.command]
    try:  # needs the train extra, only here
        trainer = importlib.import_module(module)
    except ImportError as exc:  # pragma: no cover - depends on the environment
        print(f"guidebot: the {name} model needs the train extra: {exc}", file=sys.stderr)
        return 2
    if args.model_command == "build":
        built = trainer.build()
        trainer.save(built)
        print(json.dumps(built.report, ensure_ascii=False))
        print(f"wrote {trainer.MODEL_PATH}")
        return 0
    problems = trainer.check(retrain=args.retrain)
    for problem in problems:
        print(f"guidebot: {problem}", file=sys.stderr)
    if not problems:
        print(f"{name} model matches its training data")
    return 1 if problems else 0
