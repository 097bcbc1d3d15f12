"""Text analysis shared by the index and the queries: fold, tokenize, stem, drop stopwords, expand
synonyms. Corpus and query must go through exactly the same steps, or BM25 compares apples with
pears; hence one `Analyzer` per language used for both.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache

import snowballstemmer

STEMMERS = {
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "pt": "portuguese",
    "ru": "russian",
    "ar": "arabic",
}
# Languages whose apostrophes join a word ("can't" -> "cant"); elsewhere they split an elided
# article from its word ("l'anxiété" -> "l", "anxiete").
_JOINING_APOSTROPHE = {"en"}

_INVISIBLE = dict.fromkeys(
    [
        0x00AD,
        0x061C,
        0x0640,
        0xFEFF,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2070),
    ]
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_ARABIC = str.maketrans(
    {
        "ة": "ه",
        "ى": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_BREVE = "\u0306"
_WORD = re.compile(r"\w+")
_INNER_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


_PROTECTED_SHORT_I = "\ue000"  # a private-use stand-in for "й" while the marks are stripped
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def _char_class(codepoints: Iterable[int]) -> re.Pattern[str]:
    """A regex character class matching exactly `codepoints` (as ranges)."""
    points = sorted(set(codepoints))
    ranges: list[str] = []
    start = previous = points[0]
    for point in [*points[1:], -1]:
        if point != previous + 1:
            ranges.append(
                re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous > start else "")
            )
            start = point
        previous = point
    return re.compile("[" + "".join(ranges) + "]")


# Folding was most of the start-up time once the guide was translated: `str.translate` with a
# dict costs per character. Regex classes (C) find what to drop, and the few replacements run
# only on texts that hold one.
_MARKS = _char_class(cp for cp in range(0x10000) if unicodedata.category(chr(cp)) == "Mn")
_INVISIBLE_RE = _char_class(_INVISIBLE)
_REPLACED = {**_APOSTROPHES, **_ARABIC}
_REPLACED_RE = _char_class(_REPLACED)


def fold(text: str) -> str:
    """Normalise text for matching: case, accents, invisible characters and letter variants.

    Latin accents go because phones often drop them ("evaluacion"); Russian keeps й (only ё -> е);
    Arabic loses harakat and tatweel, and hamza, taa marbuta and alef maqsura forms are unified.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():  # most English: nothing below applies but the backtick apostrophe
        return text.replace("`", "'")
    text = _INVISIBLE_RE.sub("", text)
    if _REPLACED_RE.search(text):
        text = text.translate(_REPLACED)
    if _ASTRAL_RE.search(text):  # rare: marks beyond the table, one at a time
        return _fold_marks_slowly(text)
    text = unicodedata.normalize("NFD", text.replace("й", _PROTECTED_SHORT_I))
    text = _MARKS.sub("", text)
    return unicodedata.normalize("NFC", text).replace(_PROTECTED_SHORT_I, "й")


def _fold_marks_slowly(text: str) -> str:
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char) == "Mn" and not (char == _BREVE and out and out[-1] in "иИ"):
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


def words(text: str, lang: str) -> list[str]:
    """Folded word tokens of `text`, with apostrophes handled the way `lang` uses them."""
    return split_words(fold(text), lang)


def split_words(folded: str, lang: str) -> list[str]:
    """Word tokens of text already folded (`Utterance` folds a message once for every reader)."""
    if lang in _JOINING_APOSTROPHE:
        folded = _INNER_APOSTROPHE.sub("", folded)
    return _WORD.findall(folded.replace("_", " "))


# Stems cached per analyzer. The index stems every word of the corpus once (37,000 distinct
# words in six languages) and then forgets them (`forget_stems`); what fills the cache after that
# is what people write, at most this many words per language (~0.8 MB), each stemmed again in
# about 1 µs on a miss.
STEMS_CACHED = 4096


@lru_cache(maxsize=8)
def stemmer(lang: str) -> snowballstemmer.stemmer:
    """Snowball's stemmer for `lang` (English's for a language it has none for), one per language.

    PyStemmer keeps a cache of its own, 10,000 words per stemmer by default: up to ~2 MB each,
    and slower than stemming again (0.94 against 0.77 µs a word on the corpus), so it is off;
    the analyzers cache stems themselves."""
    found = snowballstemmer.stemmer(STEMMERS.get(lang, "english"))
    if hasattr(found, "maxCacheSize"):  # PyStemmer; the pure-Python stemmers keep no cache
        found.maxCacheSize = 0
    return found


_TAA_MARBUTA = str.maketrans({"ة": "ه", "ى": "ي"})


def _arabic_stemmer() -> Callable[[str], str]:
    """The Arabic stemmer, given back the taa marbuta that `fold` took away.

    `fold` writes ة as ه (phones type both), but Snowball strips the definite article and the
    feminine ending only when it sees ة: folded first, "الصدمة" and "صدمة" stem apart. So a
    word-final ه is read as ة for stemming (a possessive ه is stripped either way), and the stem
    is folded afterwards.
    """
    stem = stemmer("ar").stemWord

    def stem_word(word: str) -> str:
        if word.endswith("ه") and len(word) > 2:
            word = word[:-1] + "ة"
        return str(stem(word)).translate(_TAA_MARBUTA)

    return stem_word


class Analyzer:
    """Turns text of one language into BM25 terms."""

    def __init__(
        self,
        lang: str,
        stopwords: Iterable[str] = (),
        synonyms: Sequence[Sequence[str]] = (),
    ) -> None:
        self.lang = lang
        stem = _arabic_stemmer() if lang == "ar" else stemmer(lang).stemWord
        self._stem_word = lru_cache(maxsize=STEMS_CACHED)(stem)
        self._stopwords = frozenset(w for word in stopwords for w in words(word, lang))
        self._synonyms: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        self._variant_words = frozenset(
            w for group in synonyms for v in group for w in words(v, lang)
        )
        for group in synonyms:
            canonical = tuple(self.terms(group[0], expand=False))
            for variant in group:
                sequence = tuple(self._stem_word(w) for w in words(variant, lang))
                if sequence and canonical and sequence != canonical:
                    self._synonyms.setdefault(sequence[0], []).append((sequence, canonical))

    @property
    def stopwords(self) -> frozenset[str]:
        """The folded stopwords of this language."""
        return self._stopwords

    def stem(self, word: str) -> str:
        return str(self._stem_word(word))

    def forget_stems(self) -> None:
        """Empty the stem cache: once the corpus is indexed its words would only crowd out the
        words people write (the index keeps the stems it needs)."""
        self._stem_word.cache_clear()

    def terms(self, text: str, *, expand: bool = True) -> list[str]:
        """Stems of the content words of `text`, plus the corpus words of any synonyms in it."""
        return self.terms_of_words(words(text, self.lang), expand=expand)

    def terms_of_words(self, tokens: list[str], *, expand: bool = True) -> list[str]:
        """`terms` of words already split (a message's words come from its `Utterance`)."""
        stems = [self._stem_word(w) for w in tokens]
        terms = [s for w, s in zip(tokens, stems, strict=True) if w not in self._stopwords]
        if expand and self._synonyms:
            terms.extend(self._expansions(stems))
        return terms

    def _expansions(self, stems: list[str]) -> list[str]:
        added: list[str] = []
        for i, stem in enumerate(stems):
            for sequence, canonical in self._synonyms.get(stem, ()):
                if tuple(stems[i : i + len(sequence)]) == sequence:
                    added.extend(canonical)
        return added

    def concepts(self, tokens: Sequence[str]) -> list[tuple[str, ...]]:
        """The query's terms grouped by what they mean: one group per content word, and one per
        synonym match holding the words matched and the corpus's words for them.

        The search weighs a group once, so a question that says "burned out" is not counted as
        asking about two things ("burn", "out") plus a third ("burnout")."""
        stems = [self._stem_word(w) for w in tokens]
        group_of = list(range(len(stems)))
        extra: dict[int, list[str]] = {}
        for i, stem in enumerate(stems):
            for sequence, canonical in self._synonyms.get(stem, ()):
                if tuple(stems[i : i + len(sequence)]) == sequence:
                    for j in range(i, i + len(sequence)):
                        group_of[j] = group_of[i]
                    extra.setdefault(group_of[i], []).extend(canonical)
        groups: dict[int, list[str]] = {}
        for i, (word, stem) in enumerate(zip(tokens, stems, strict=True)):
            if word not in self._stopwords:
                groups.setdefault(group_of[i], []).append(stem)
        for head, terms in extra.items():
            groups.setdefault(head, []).extend(terms)
        seen: set[tuple[str, ...]] = set()
        out = []
        for head in sorted(groups):
            group = tuple(dict.fromkeys(groups[head]))
            if group not in seen:
                seen.add(group)
                out.append(group)
        return out

    @property
    def variant_words(self) -> frozenset[str]:
        """Every word of every synonym phrase: words a typo may be corrected to."""
        return self._variant_words


def analyzers(
    stopwords: Mapping[str, Iterable[str]], synonyms: Mapping[str, Sequence[Sequence[str]]]
) -> dict[str, Analyzer]:
    """One analyzer per supported language."""
    return {
        lang: Analyzer(lang, stopwords.get(lang, ()), synonyms.get(lang, ())) for lang in STEMMERS
    }
