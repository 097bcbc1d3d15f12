"""Interface texts by key and language, with English as the fallback for a missing language."""

from __future__ import annotations

from collections.abc import Mapping

from babel.numbers import format_decimal


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

    def number(self, lang: str, value: int) -> str:
        """A count written as `lang` writes it (1,452 in English, 1.452 in Spanish, 1 452 in
        French): a long number is easier to read with its own language's separators."""
        return str(format_decimal(value, locale=lang if lang in self._texts else "en"))
