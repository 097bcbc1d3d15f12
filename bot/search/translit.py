"""Russian typed in Latin letters ("kak s etim zhit"), written back in Cyrillic for the search.

People on a foreign keyboard, or used to chats that had none, type Russian in the informal
transliteration everyone reads. The Russian guide is in Cyrillic, so such a question shares no
word with it. This undoes the common informal scheme, longest letter group first; where it
guesses wrong (a soft sign left out, "y" as ы or й), the stemmer drops the ending and the spelling
correction against the guide's vocabulary does the rest. It runs only on a Latin word the Russian
index does not know, so English words in a Russian question ("burnout", "PFA") stay as typed
unless their Cyrillic reading is a word of the guide.
"""

from __future__ import annotations

import re

# Longest first: "shch" before "sh", "sh" before "s".
_GROUPS = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ya", "я"),
    ("ja", "я"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("yo", "е"),
    ("jo", "е"),
    ("ye", "е"),
    ("je", "е"),
)
_SINGLE = str.maketrans(
    {
        "a": "а",
        "b": "б",
        "v": "в",
        "w": "в",
        "g": "г",
        "d": "д",
        "e": "е",
        "z": "з",
        "i": "и",
        "j": "й",
        "k": "к",
        "q": "к",
        "c": "к",
        "l": "л",
        "m": "м",
        "n": "н",
        "o": "о",
        "p": "п",
        "r": "р",
        "s": "с",
        "t": "т",
        "u": "у",
        "f": "ф",
        "h": "х",
        "x": "кс",
        "'": "ь",
    }
)
_VOWELS = "aeiouy"
_LATIN_WORD = re.compile(r"[a-z']+")
# "y" after a vowel and before a consonant or the end is й ("moy", "odnoy", "stroyka"); else ы.
_SHORT_I = re.compile(r"(?<=[aeiou])y(?![aeiou])")


def is_latin(word: str) -> bool:
    """Whether `word` (folded: lower case, no accents) is written in Latin letters only."""
    return bool(_LATIN_WORD.fullmatch(word))


def to_cyrillic(word: str) -> str:
    """The Cyrillic reading of a folded Latin word, by the informal scheme."""
    out: list[str] = []
    text = _SHORT_I.sub("\x00", word)
    i = 0
    while i < len(text):
        for latin, cyrillic in _GROUPS:
            if text.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            letter = text[i]
            if letter == "\x00":
                out.append("й")
            elif letter == "y":
                out.append("ы")
            else:
                out.append(letter.translate(_SINGLE))
            i += 1
    return "".join(out)
