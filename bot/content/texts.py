"""Interface texts by key and language, with English as the fallback for a missing language."""

from __future__ import annotations

from collections.abc import Mapping


class Texts:
    """Looks up the sentences in corpus/ui/<lang>.yaml."""

    def __init__(self, texts: Mapping[str, Mapping[str, str]]) -> None:
        self._texts = texts

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self._texts)

    def get(self, lang: str, key: str, **values: object) -> str:
        """The text for `key` in `lang` (English if that language lacks it), filled in."""
        template = self._texts.get(lang, {}).get(key) or self._texts["en"][key]
        return template.format(**values) if values else template
