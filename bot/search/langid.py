"""Which language a message is written in, offline and without a model.

Script settles Russian and Arabic; for Latin-script languages the stopwords people cannot avoid
("the", "que", "je", "não") decide, and a message with too few of them is "don't know" (None),
so the interface language stands.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.search.analysis import words

MIN_HITS = 2
LATIN = ("en", "es", "fr", "pt")


def detect(text: str, stopwords: Mapping[str, frozenset[str]]) -> str | None:
    """The language of `text`, or None when it is too short or too mixed to tell."""
    cyrillic = arabic = latin = 0
    for char in text:
        if "\u0400" <= char <= "\u04ff":
            cyrillic += 1
        elif "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f":
            arabic += 1
        elif (char.isalpha() and char.isascii()) or "\u00c0" <= char <= "\u024f":
            latin += 1
    if cyrillic > latin and cyrillic >= arabic:
        return "ru"
    if arabic > latin:
        return "ar"
    tokens = words(text, "xx")
    scores = {lang: sum(t in stopwords.get(lang, frozenset()) for t in tokens) for lang in LATIN}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top >= MIN_HITS and top > second:
        return best
    return None
