"""The HTML every page of the exported book shares: escaping, the page's frame, running text.

Corpus text and interface texts are escaped here and nowhere else; every other module of the
export builds its markup from these functions, so no text reaches a page unescaped. A page loads
nothing but its stylesheet from the same folder, and runs no script (its security policy forbids
it), so the book opens and prints the same from a USB stick as from a server.
"""

from __future__ import annotations

import html
import re
import string

from bot.content.model import RIGHT_TO_LEFT

STYLESHEET = "book.css"
# No script and no plug-in, even if some text escaped its escaping. Styles are left alone: how
# browsers match 'self' for a file:// page differs, and the stylesheet must load in all of them.
POLICY = "script-src 'none'; object-src 'none'"
_BLANK_LINE = re.compile(r"\n\s*\n")
_WEB_ADDRESS = re.compile(r"^https?://\S+$")


def esc(text: str) -> str:
    """Text made safe for an element's content or a quoted attribute."""
    return html.escape(text, quote=True)


def fill(template: str, **markup: str) -> str:
    """An interface text with its {placeholders} replaced by markup: the template's own words
    are escaped, the values are taken as they are (callers build them with `esc` or `link`)."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(esc(literal))
        if name is not None:
            parts.append(markup[name])
    return "".join(parts)


def direction(lang: str) -> str:
    return "rtl" if lang in RIGHT_TO_LEFT else "ltr"


def link(href: str, text: str, *, lang: str | None = None) -> str:
    """A link with escaped text; `lang` marks text in another language than the page's."""
    where = f' lang="{esc(lang)}" dir="{direction(lang)}"' if lang else ""
    return f'<a href="{esc(href)}"{where}>{esc(text)}</a>'


def web_link(address: str | None, text: str) -> str:
    """A link to a page on the web when `address` is one (http or https); else the text alone,
    so that no other kind of address (javascript:, file:) can reach a page."""
    if address and _WEB_ADDRESS.match(address):
        return f'<a href="{esc(address)}">{esc(text)}</a>'
    return esc(text)


def running_text(text: str) -> str:
    """A passage's text as paragraphs: a blank line starts a new one, and a line break (a
    numbered step, a bullet) stays a line break, as the editor wrote it."""
    paragraphs = [p.strip() for p in _BLANK_LINE.split(text.strip()) if p.strip()]
    return "\n".join(
        "<p>" + "<br>\n".join(esc(line.strip()) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )


def page(lang: str, title: str, body: str) -> str:
    """A whole page in `lang` (right to left for Arabic), with the book's stylesheet."""
    return f"""<!DOCTYPE html>
<html lang="{esc(lang)}" dir="{direction(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="{STYLESHEET}">
</head>
<body>
{body}
</body>
</html>
"""
