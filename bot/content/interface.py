"""Loading the interface texts (ui/<lang>.yaml) and checking that every language has the same
keys and placeholders as English.

The bot fills placeholders in by name and falls back to English for a missing key, so a
translation that drifts from the English file is caught here, at load time, not in a reply.
"""

from __future__ import annotations

import string

from bot.content.model import LANGUAGES
from bot.content.reader import Reader
from bot.content.yamlfile import line_of
from bot.errors import Problem


def load_texts(reader: Reader) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for path in sorted((reader.root / "ui").glob("*.yaml")):
        lang = path.stem
        document, shown = reader.read(path, None, dict)
        if lang not in LANGUAGES:
            reader.problems.append(Problem(shown, 0, "", f"unknown language {lang!r}"))
            continue
        strings = {}
        for key, value in document.items():
            if not isinstance(value, str) or not value.strip():
                reader.problems.append(
                    Problem(shown, line_of(document), str(key), "each text must be non-empty")
                )
                continue
            strings[str(key)] = value.strip()
        result[lang] = strings
    check_text_parity(reader, result)
    return result


def check_text_parity(reader: Reader, texts: dict[str, dict[str, str]]) -> None:
    reference = texts.get("en")
    if reference is None:
        reader.problems.append(
            Problem(
                f"{reader.root.name}/ui/en.yaml", 0, "", "the English interface texts are missing"
            )
        )
        return
    for lang, strings in texts.items():
        shown = f"{reader.root.name}/ui/{lang}.yaml"
        for key in reference.keys() - strings.keys():
            reader.problems.append(Problem(shown, 0, key, "text missing in this language"))
        for key in strings.keys() - reference.keys():
            reader.problems.append(Problem(shown, 0, key, "text not in the English file"))
        for key in reference.keys() & strings.keys():
            if _placeholders(reference[key]) != _placeholders(strings[key]):
                reader.problems.append(
                    Problem(
                        shown,
                        0,
                        key,
                        f"placeholders {sorted(_placeholders(strings[key]))} differ from "
                        f"English {sorted(_placeholders(reference[key]))}",
                    )
                )


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
