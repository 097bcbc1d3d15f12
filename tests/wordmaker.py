"""Word's automatic numbering written by hand into a python-docx document, for the import tests.

python-docx reads numbering but has no API to define a list, and a fixture file made in Word
would hide the very definitions the tests are about. So a list is written here as the
numbering part's XML (WordprocessingML, ECMA-376 Part 1 §17.9): an abstract definition with its
levels, instances (w:num) pointing to it, and w:numPr on a paragraph or a style.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn


def define_list(document: Any, abstract_id: int, levels: Sequence[tuple[str, str, int]]) -> None:
    """An abstract numbering definition whose level i is `levels[i]`: (w:numFmt, w:lvlText,
    w:start). It goes before the first w:num, where the schema wants it."""
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text, start) in enumerate(levels)
    )
    element = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
    )
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(element)
    else:
        first_num.addprevious(element)


def add_instance(
    document: Any, num_id: int, abstract_id: int, starts: Mapping[int, int] | None = None
) -> None:
    """A w:num using the definition `abstract_id`, with a w:startOverride per level in
    `starts` (what Word writes for "Restart at 1")."""
    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for ilvl, start in (starts or {}).items()
    )
    document.part.numbering_part.element.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
        )
    )


def number(element: Any, num_id: int, ilvl: int | None = None) -> None:
    """Give a paragraph (its w:p) or a style (its w:style) Word's numbering `num_id`."""
    numbering = element.get_or_add_pPr().get_or_add_numPr()
    if ilvl is not None:
        numbering.get_or_add_ilvl().val = ilvl
    numbering.get_or_add_numId().val = num_id
