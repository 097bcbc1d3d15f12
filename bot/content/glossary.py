"""Loading the per-language glossaries (corpus/glossary/<lang>.yaml): the field's terms.

Translators use a glossary's `term` so that one idea has one name across a language's guide;
the search carries a question in that language over to the English guide through `term` and
`also` (`bot.search.crossing`). Every glossary lists the same English terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.model import LANGUAGES
from bot.content.reader import Reader
from bot.content.yamlfile import line_of
from bot.errors import Problem


@dataclass(frozen=True)
class Term:
    """One of the field's terms: its English words, its name in a language, other ways of
    typing it there."""

    en: str
    term: str
    also: tuple[str, ...] = ()


def load_glossaries(reader: Reader) -> dict[str, tuple[Term, ...]]:
    """The glossary of each language that has one; problems name file, line and entry."""
    folder = reader.root / "glossary"
    result: dict[str, tuple[Term, ...]] = {}
    if not folder.is_dir():
        return result
    for path in sorted(folder.glob("*.yaml")):
        document, shown = reader.read(path, None, dict)
        lang = str(document.get("language", ""))
        if lang not in LANGUAGES or lang == "en" or path.stem != lang:
            reader.problems.append(
                Problem(shown, line_of(document, 1), "", f"language {lang!r} is not {path.stem!r}")
            )
            continue
        terms = []
        items = document.get("terms")
        for index, node in enumerate(items if isinstance(items, list) else []):
            en, term = node.get("en") if isinstance(node, dict) else None, None
            if isinstance(node, dict):
                term = node.get("term")
                also = node.get("also") or []
            if not (isinstance(en, str) and en.strip() and isinstance(term, str) and term.strip()):
                reader.problems.append(
                    Problem(shown, line_of(node), f"#{index + 1}", "a term needs `en` and `term`")
                )
                continue
            if not isinstance(also, list) or not all(isinstance(a, str) for a in also):
                reader.problems.append(
                    Problem(shown, line_of(node), en, "`also` is a list of words or phrases")
                )
                continue
            terms.append(Term(en.strip(), term.strip(), tuple(str(a).strip() for a in also)))
        if not terms:
            reader.problems.append(Problem(shown, line_of(document, 1), "", "no terms"))
        result[lang] = tuple(terms)
    return result
