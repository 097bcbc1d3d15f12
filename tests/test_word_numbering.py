"""The numbers `word_numbering` draws for the less common parts of Word's numbering, one list
each, checked against what Word shows (the DOCX import tests in `test_import.py` cover the
common ones end to end): w:lvlRestart, w:isLgl, Roman numerals and letters past z, w:suff,
w:numStyleLink, a level chosen by its w:pStyle, w:numFmt none, and formats not drawn."""

from __future__ import annotations

from typing import Any

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from bot.content.importing.word_numbering import Drawn, WordNumbering

W = nsdecls("w")


def _lvl(ilvl: int, fmt: str, text: str, extra: str = "", start: int = 1) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


NUMBERING = parse_xml(
    f"<w:numbering {W}>"
    # 1: Roman chapters, legal-style sections that never restart, letters with no space after.
    '<w:abstractNum w:abstractNumId="1">'
    + _lvl(0, "upperRoman", "%1.")
    + _lvl(1, "lowerRoman", "%1.%2", '<w:lvlRestart w:val="0"/><w:isLgl/>')
    + _lvl(2, "upperLetter", "%3)", '<w:suff w:val="nothing"/>')
    + "</w:abstractNum>"
    # 2 points through the numbering style "Articles" to 3, which holds the levels.
    + '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="Articles"/></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="3"><w:styleLink w:val="Articles"/>'
    + _lvl(0, "decimalZero", "Art. %1", start=5)
    + _lvl(1, "none", "", '<w:pStyle w:val="Note"/>')
    + "</w:abstractNum>"
    # 4: a w14 custom format ("001") with a decimal fallback for older readers.
    '<w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    '<mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/>'
    '</mc:Choice><mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>'
    '<w:lvlText w:val="%1"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="5">' + _lvl(0, "lowerLetter", "%1.") + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="4"/></w:num>'
    '<w:num w:numId="5"><w:abstractNumId w:val="5"/></w:num>'
    "</w:numbering>"
)
STYLES = parse_xml(
    f'<w:styles {W}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>'
    '<w:style w:type="numbering" w:styleId="Articles">'
    '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Note">'
    '<w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style></w:styles>'
)


def _paragraph(num_id: int | None, ilvl: int | None = None, style: str | None = None) -> Any:
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    ilvl_xml = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    num_xml = f'<w:numId w:val="{num_id}"/>' if num_id is not None else ""
    num_xml = f"<w:numPr>{ilvl_xml}{num_xml}</w:numPr>" if num_xml else ""
    return parse_xml(f"<w:p {W}><w:pPr>{style_xml}{num_xml}</w:pPr></w:p>")


@pytest.mark.parametrize(
    ("paragraphs", "drawn"),
    [
        # w:isLgl draws every level in decimal; w:lvlRestart 0: 2 goes on after chapter II.
        ([(1, 0), (1, 1), (1, 2), (1, 2), (1, 0), (1, 1), (1, 2)],
         ["I. ", "1.1 ", "A)", "B)", "II. ", "2.2 ", "A)"]),
        # The levels come from the abstract definition the numbering style's list uses; a
        # paragraph of the style "Note" is at the level linked to it, which draws nothing.
        ([(2, 0), (2, 0), (None, None, "Note"), (2, 0)], ["Art. 05 ", "Art. 06 ", "", "Art. 07 "]),
        ([(4, 0)], [Drawn(unsupported="custom")]),
        ([(5, 0)] * 28, [f"{letter}. " for letter in [*"abcdefghijklmnopqrstuvwxyz", "aa", "bb"]]),
        ([(9, 0), (0, 0)], ["", ""]),  # no such w:num; w:numId 0
    ],
)  # fmt: skip
def test_word_draws(paragraphs: list[tuple[Any, ...]], drawn: list[str | Drawn]) -> None:
    numbering = WordNumbering(NUMBERING, STYLES)
    got = [numbering.draw(_paragraph(*given)) for given in paragraphs]
    assert got == [d if isinstance(d, Drawn) else Drawn(d) for d in drawn]
