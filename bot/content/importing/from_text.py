"""Reading Markdown and plain text: blank lines separate paragraphs, and a line opening with a
paragraph number after a finished sentence starts a new one.

Markdown marks its headings (`#`, or a line underlined with `===` / `---`); plain text does not,
so there a single short line that does not end like a sentence is read as a heading. Markdown's
own markup (emphasis, links, footnote references and definitions) is not part of the text and is
left out; the words themselves are kept as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.content.importing.document import Block, Document, Kind, join_lines, squeeze
from bot.content.importing.numbering import ends_sentence, looks_like_heading, paragraph_number
from bot.errors import UnreadableDocumentError

_ATX = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^(=+|-+)\s*$")
_RULE = re.compile(r"^(?:\*\s*){3,}$|^(?:-\s*){3,}$|^(?:_\s*){3,}$")
_FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:")
_ESCAPABLE = "\\`*_{}[]()#+-.!>"
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_PRIVATE = 0xE100  # escaped characters wait in the private-use area while markup is removed
_INLINE = (
    (re.compile(r"\[\^[^\]]+\]"), ""),  # a footnote reference
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # an image
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # a link: its words
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]+)`"), r"\1"),
)
_BOLD_LINE = re.compile(r"^(\*\*|__)([^*_]+)\1$")


def read_markdown(path: Path) -> Document:
    lines, title = _front_matter(_read(path).splitlines())
    blocks = _blocks(lines, markdown=True)
    if title is None:
        title = next((b.text for b in blocks if b.kind is Kind.HEADING), None)
    return Document(tuple(blocks), title)


def read_plain_text(path: Path) -> Document:
    blocks = [
        Block(Kind.HEADING, b.text) if looks_like_heading(b.text) else b
        for b in _blocks(_read(path).splitlines(), markdown=False)
    ]
    title = next((b.text for b in blocks if b.kind is Kind.HEADING), None)
    return Document(tuple(blocks), title)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableDocumentError(f"{path.name} is not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise UnreadableDocumentError(f"cannot read {path}: {exc.strerror}") from exc


def _front_matter(lines: list[str]) -> tuple[list[str], str | None]:
    """Lines after a YAML front matter block, and the title it gives."""
    if not lines or lines[0].strip() != "---" or "---" not in (s.strip() for s in lines[1:]):
        return lines, None
    end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
    title = next(
        (
            line.split(":", 1)[1].strip().strip("\"'")
            for line in lines[1:end]
            if line.startswith("title:")
        ),
        None,
    )
    return lines[end + 1 :], title or None


def _blocks(lines: list[str], *, markdown: bool) -> list[Block]:
    """Paragraphs and headings; in Markdown each line's markup is removed as it is read."""
    blocks: list[Block] = []
    current: list[str] = []
    raw: list[str] = []  # the same lines with their markup, to see a paragraph all in bold

    def flush() -> None:
        if current:
            bold = markdown and len(raw) == 1 and _BOLD_LINE.match(raw[0])
            blocks.append(Block(Kind.HEADING if bold else Kind.TEXT, join_lines(current)))
        current.clear()
        raw.clear()

    in_footnote = skip = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if skip:
            skip = False
            continue
        if markdown:
            if _FOOTNOTE_DEFINITION.match(stripped):
                flush()
                in_footnote = True
                continue
            if in_footnote and (not stripped or line[:1].isspace()):
                continue
            in_footnote = False
            heading = _ATX.match(stripped)
            underline = index + 1 < len(lines) and _SETEXT.match(lines[index + 1].strip())
            if heading or (underline and stripped and not current):
                flush()
                blocks.append(
                    Block(Kind.HEADING, _inline(heading.group(2) if heading else stripped))
                )
                skip = not heading
                continue
            if _RULE.match(stripped):
                flush()
                continue
            stripped = stripped.lstrip("> ").strip() if stripped.startswith(">") else stripped
        text = _inline(stripped) if markdown else stripped
        if not text:
            flush()
            continue
        indented = markdown and line[:1].isspace()
        if current and not indented and paragraph_number(text) and ends_sentence(current[-1]):
            flush()
        current.append(text)
        raw.append(stripped)
    flush()
    return blocks


def _inline(text: str) -> str:
    """Markdown's inline markup removed, its escaped characters kept as characters."""
    text = _ESCAPED.sub(lambda m: chr(_PRIVATE + _ESCAPABLE.index(m.group(1))), text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    text = "".join(
        _ESCAPABLE[ord(c) - _PRIVATE] if _PRIVATE <= ord(c) < _PRIVATE + len(_ESCAPABLE) else c
        for c in text
    )
    return "\n".join(squeeze(line) for line in text.split("\n"))
