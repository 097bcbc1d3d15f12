"""The numbers Word draws before automatically numbered DOCX paragraphs, so that the import can
keep them as if they were typed (WordprocessingML numbering: ECMA-376 Part 1 §17.9).

A citation names a paragraph by the number the document shows, and Word's list numbers are not
part of a paragraph's text: python-docx gives the words, not "2.1". So the number is worked out
here the way Word draws it, and anything that cannot be worked out with confidence is named
instead (`Drawn.unsupported`) for the import to report, never guessed.

What is followed, paragraph by paragraph in document order (`WordNumbering.draw` must see every
paragraph of the body, those in tables too, because Word counts them):

- Which list: the paragraph's own w:numPr, else its style's, up the w:basedOn chain; w:numId 0
  means "not numbered". The level is the w:ilvl found the same way, else the level whose
  w:pStyle names the paragraph's style, else 0.
- w:num -> w:abstractNum, through w:numStyleLink when the definition lives in a numbering style,
  with the w:num's w:lvlOverride applied: a whole w:lvl, and w:startOverride.
- Counters belong to the abstract definition and are shared by every w:num that points to it, as
  Word keeps them (the standard leaves this open): a list carries on across w:num instances, and
  a w:num with a w:startOverride restarts the levels it overrides the first time a paragraph uses
  it, which is what Word's "Restart at 1" writes.
- A level starts at w:start (0 when missing, as the standard says) and counts on; using a level
  restarts the deeper ones, unless their w:lvlRestart says otherwise (0: never; n: only when
  level n or a shallower one is used, as Word reads it: MS-OI29500 on w:lvlRestart).
- The label is w:lvlText with %1..%9 replaced by each level's counter in its w:numFmt (all decimal
  under w:isLgl); a shallower level not used yet shows its start. A space follows it unless
  w:suff is "nothing" (Word's default tab is whitespace like any other in imported text).
- bullet draws no number; none draws w:lvlText without its own number. Other formats (ordinal,
  cardinalText, chineseCounting, custom, ...) and numbers a format cannot show (letter 0) are
  not drawn: the paragraph keeps its words only and the format is named for the report.

Not followed: LISTNUM and SEQ fields, text boxes, tracked changes (a deleted paragraph counts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.content.importing.document import squeeze

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_VAL = f"{{{_W}}}val"
_ILVL = f"{{{_W}}}ilvl"
_LEVELS = 9  # w:ilvl 0..8
_LINKS = 4  # w:numStyleLink hops followed before giving up on a loop
_PLACEHOLDER = re.compile(r"%([1-9])")
_NO_NUMBER = frozenset({"bullet", "none"})
_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip

Element = Any  # an lxml element from python-docx; lxml ships no type information


def _letters(n: int, first: str) -> str | None:
    """Word's letters: a..z, then aa, bb, .. zz, then aaa (the letter repeated, not base 26)."""
    return None if n < 1 else chr(ord(first) + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str | None:
    if not 1 <= n <= 3999:
        return None
    out = ""
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out += numeral * count
    return out


def _lower_roman(n: int) -> str | None:
    roman = _roman(n)
    return roman.lower() if roman else None


FORMATS: dict[str, Callable[[int], str | None]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "lowerLetter": lambda n: _letters(n, "a"),
    "upperLetter": lambda n: _letters(n, "A"),
    "lowerRoman": _lower_roman,
    "upperRoman": _roman,
}


@dataclass(frozen=True)
class Drawn:
    """What Word draws before a paragraph: `prefix` ("2.1 ") to put before its text, empty for
    none; or the w:numFmt it draws that is not read here (then `prefix` is empty)."""

    prefix: str = ""
    unsupported: str | None = None


@dataclass(frozen=True)
class _Level:
    start: int
    format: str
    template: str  # w:lvlText: "%1.%2"
    restart: int | None  # w:lvlRestart, one-based; None: the default
    legal: bool  # w:isLgl
    suffix: str
    style: str | None  # w:pStyle: the paragraph style that uses this level


@dataclass(frozen=True)
class _List:
    """A w:num resolved: the abstract definition its counters belong to, its levels with the
    w:num's overrides applied, and the levels a w:startOverride restarts."""

    key: str
    levels: dict[int, _Level]
    restarts: frozenset[int]


def _val(element: Element | None, path: str) -> str | None:
    found = element.find(path, _NS) if element is not None else None
    return None if found is None else found.get(_VAL)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _level(lvl: Element) -> _Level:
    # A w14 "custom" format sits in mc:AlternateContent, before a decimal fallback: find it first.
    fmt = lvl.find("w:numFmt", _NS)
    fmt = lvl.find(".//w:numFmt", _NS) if fmt is None else fmt
    legal = lvl.find("w:isLgl", _NS)
    return _Level(
        start=_int(_val(lvl, "w:start")) or 0,
        format=(fmt.get(_VAL) if fmt is not None else None) or "decimal",
        template=_val(lvl, "w:lvlText") or "",
        restart=_int(_val(lvl, "w:lvlRestart")),
        legal=legal is not None and legal.get(_VAL) not in {"0", "false", "off"},
        suffix="" if _val(lvl, "w:suff") == "nothing" else " ",
        style=_val(lvl, "w:pStyle"),
    )


class WordNumbering:
    """The numbering part and styles of one document, and the counters of its lists so far."""

    def __init__(self, numbering: Element | None, styles: Element | None) -> None:
        def by(parent: Element | None, tag: str, key: str) -> dict[str, Element]:
            found = parent.findall(tag, _NS) if parent is not None else []
            return {str(e.get(f"{{{_W}}}{key}")): e for e in found}

        self._nums = by(numbering, "w:num", "numId")
        self._abstracts = by(numbering, "w:abstractNum", "abstractNumId")
        self._styles = by(styles, "w:style", "styleId")
        query = "w:style[@w:type='paragraph'][@w:default='1']"
        default = styles.find(query, _NS) if styles is not None else None
        self._default_style = default.get(f"{{{_W}}}styleId") if default is not None else None
        self._lists: dict[str, _List | None] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._seen: set[str] = set()

    def draw(self, paragraph: Element) -> Drawn:
        """What Word draws before `paragraph` (a w:p), counting it in its list."""
        found = self._find(paragraph)
        if found is None:
            return Drawn()
        num_id, numbered, ilvl = found
        level = numbered.levels[ilvl]
        counters = self._counters.setdefault(numbered.key, [None] * _LEVELS)
        if num_id not in self._seen:
            self._seen.add(num_id)
            for restarted in numbered.restarts:
                counters[restarted] = None
        current = counters[ilvl]
        counters[ilvl] = level.start if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            if _restarts(numbered.levels.get(deeper), deeper, ilvl):
                counters[deeper] = None
        return _label(numbered.levels, counters, level)

    def _find(self, paragraph: Element) -> tuple[str, _List, int] | None:
        """The w:numId, its list and the level of a numbered paragraph; None if not numbered."""
        style = _val(paragraph, "w:pPr/w:pStyle") or self._default_style
        styled_num, ilvl = self._style_numbering(style)
        direct = _val(paragraph, "w:pPr/w:numPr/w:numId")
        num_id = direct or styled_num
        numbered = self._list(num_id) if num_id and num_id != "0" else None
        if num_id is None or numbered is None:
            return None
        own = _int(_val(paragraph, "w:pPr/w:numPr/w:ilvl"))
        if own is not None:
            ilvl = own
        elif ilvl is None and not direct:  # the level linked to the style (w:pStyle), if any
            linked = (i for i, lvl in numbered.levels.items() if style and lvl.style == style)
            ilvl = next(linked, None)
        ilvl = ilvl or 0
        return (num_id, numbered, ilvl) if 0 <= ilvl < _LEVELS and ilvl in numbered.levels else None

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        """The w:numId and w:ilvl a paragraph style gives, itself or through w:basedOn."""
        num_id: str | None = None
        ilvl: int | None = None
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            num_id = num_id or _val(style, "w:pPr/w:numPr/w:numId")
            ilvl = ilvl if ilvl is not None else _int(_val(style, "w:pPr/w:numPr/w:ilvl"))
            style_id = _val(style, "w:basedOn")
        return num_id, ilvl

    def _list(self, num_id: str) -> _List | None:
        if num_id not in self._lists:
            self._lists[num_id] = self._resolve(num_id)
        return self._lists[num_id]

    def _resolve(self, num_id: str) -> _List | None:
        num = self._nums.get(num_id)
        key = self._abstract_id(num)
        if num is None or key is None:
            return None
        lvls = self._abstracts[key].findall("w:lvl", _NS)
        levels = {i: _level(lvl) for lvl in lvls if (i := _int(lvl.get(_ILVL))) is not None}
        restarts: set[int] = set()
        for override in num.findall("w:lvlOverride", _NS):
            ilvl = _int(override.get(_ILVL))
            lvl = override.find("w:lvl", _NS)
            if ilvl is None:
                continue
            if lvl is not None:  # Word ignores w:lvlRestart in an override (MS-OI29500)
                levels[ilvl] = replace(_level(lvl), restart=None)
            start = _int(_val(override, "w:startOverride"))
            if start is not None and ilvl in levels:
                levels[ilvl] = replace(levels[ilvl], start=start)
                restarts.add(ilvl)
        return _List(key, levels, frozenset(restarts))

    def _abstract_id(self, num: Element | None) -> str | None:
        """The w:abstractNum that holds the levels: a w:numStyleLink points to a numbering
        style, whose w:num uses the definition that has the levels (and a w:styleLink back)."""
        key = _val(num, "w:abstractNumId")
        for _ in range(_LINKS):
            abstract = self._abstracts.get(key) if key is not None else None
            link = _val(abstract, "w:numStyleLink")
            if abstract is None or link is None:
                return key if abstract is not None else None
            linked = self._styles.get(link)
            linked_num = _val(linked, "w:pPr/w:numPr/w:numId")
            key = _val(self._nums.get(linked_num or ""), "w:abstractNumId")
        return None


def _restarts(level: _Level | None, ilvl: int, used: int) -> bool:
    """Whether using level `used` restarts the deeper level `ilvl` (w:lvlRestart)."""
    restart = level.restart if level is not None else None
    if restart == 0:
        return False
    limit = ilvl if restart is None or restart > ilvl else restart
    return used < limit


def _label(levels: dict[int, _Level], counters: list[int | None], level: _Level) -> Drawn:
    if level.format == "bullet" or not level.template:
        return Drawn()
    unsupported: list[str] = []

    def number(match: re.Match[str]) -> str:
        ilvl = int(match.group(1)) - 1
        shown = levels.get(ilvl)
        if shown is None:
            return ""
        count = counters[ilvl]
        fmt = "decimal" if level.legal else shown.format
        if fmt in _NO_NUMBER:
            return ""
        drawn = FORMATS[fmt](shown.start if count is None else count) if fmt in FORMATS else None
        if drawn is None:
            unsupported.append(fmt)
        return drawn or ""

    label = squeeze(_PLACEHOLDER.sub(number, level.template))
    if unsupported:
        return Drawn(unsupported=unsupported[0])
    return Drawn(label + level.suffix if label else "")
