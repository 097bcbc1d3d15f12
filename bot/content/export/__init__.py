"""`guidebot corpus export --html DIR`: the whole corpus as a static, printable book for
reviewers and coordinators, who read and sign off on paper or in a browser, offline.

`book` decides the structure (one page per part of the guide and language), `pages` and
`contents` write the HTML through `markup` (the one place text is escaped), `writing` puts it in
a folder with `book.css`, and `command` is the command line.
"""

from bot.content.export.writing import export_html

__all__ = ["export_html"]
