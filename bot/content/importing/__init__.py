"""`guidebot corpus import`: an organisation's own guidelines as verbatim passages.

One module per step: a reader per format (`from_text`, `from_docx` with `word_numbering`,
`from_pdf` with `pdf_layout`) makes a `document.Document`; `paragraphs` finds the numbered
paragraphs, `sizing` fits them to the passage length, `topics` proposes topics, `writing` writes
the YAML, and `importer` runs them in turn. `command` is the command-line edge. pypdf and
python-docx (the `import` extra) are imported only when a file of their kind is read.
"""
