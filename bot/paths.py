"""Where the bundled content lives, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # A wheel carries the content inside the package (see pyproject's force-include); a source
    # checkout or editable install has it at the top of the repository.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled {name}/ folder not found next to {_PACKAGE}")


def default_corpus_dir() -> Path:
    """The corpus shipped with the package."""
    return _bundled("corpus")


def default_intents_dir() -> Path:
    """The intents and crisis lexicons shipped with the package."""
    return _bundled("intents")
