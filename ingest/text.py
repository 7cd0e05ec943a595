"""Whitespace, HTML and table-row helpers shared by every parser."""

from __future__ import annotations

import html
import re

HTML_BREAK_RE = re.compile(r"</p>|<br\s*/?>|</li>", re.IGNORECASE)
HTML_TAG_RE = re.compile(r"<[^>]*>")
PAGE_BREAK_RE = re.compile(r"[\f\v]")
BROKEN_NUMBER_RE = re.compile(r"\d\s*[.,]\s+\d|\d\s+[.,]\s*\d")  # "100. 00": extraction noise


def squash(text: str) -> str:
    """Remove every whitespace character: PDF extraction puts spaces inside Chinese words."""
    return "".join(text.split())  # str.split() splits on all Unicode whitespace, U+3000 included


def tidy(text: str) -> str:
    """Collapse whitespace runs to one space and strip the ends."""
    return " ".join(text.split())


def printed(text: str | None) -> str | None:
    """A cell as printed, whitespace tidied; spaces that broke a number apart are dropped."""
    if not text:
        return None
    if " " not in text and text.isprintable():  # the common case: nothing to tidy
        return text
    text = tidy(text)
    if BROKEN_NUMBER_RE.search(text):
        return squash(text)
    return text or None


def strip_html(text: str) -> str:
    """Turn an HTML fragment (goal text) into plain text, one paragraph a line."""
    text = HTML_BREAK_RE.sub("\n", text)
    text = html.unescape(HTML_TAG_RE.sub("", text))
    lines = (tidy(line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text or "\v" in text:
        text = PAGE_BREAK_RE.sub("\n", text)
    return text


class Row:
    """One row of a document: a table row split into its cells, or a line of free text (one cell).

    Every reader (text, PDF, HTML, Word, Excel) turns a file into a list of rows; the document
    parsers read only rows.  ``line_no`` numbers the rows of the document from 1 (the line of a
    text file); ``page`` is the page a row was printed on, where the format has pages.
    Parsers look at every row several times; what they look at is computed once, when first asked.
    """

    __slots__ = ("_filled", "_squashed", "_squashed_cells", "cells", "line_no", "page")

    def __init__(self, line_no: int, cells: tuple[str, ...], page: int | None = None):
        self.line_no = line_no
        self.cells = cells
        self.page = page
        self._filled = None
        self._squashed = None
        self._squashed_cells = None

    def __repr__(self) -> str:
        return f"Row({self.line_no}, {self.cells!r}" + (f", page={self.page})" if self.page is not None else ")")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and (self.line_no, self.cells, self.page) == (
            other.line_no,
            other.cells,
            other.page,
        )

    def __hash__(self) -> int:
        return hash((self.line_no, self.cells))

    @property
    def text(self) -> str:
        """The row as one line of text, cells separated by tabs (how prose is read)."""
        return "\t".join(self.cells)

    @property
    def squashed(self) -> str:
        """The whole row, whitespace removed: cheap to search before looking cell by cell."""
        if self._squashed is None:
            self._squashed = squash("".join(self.cells))
        return self._squashed

    @property
    def squashed_cells(self) -> tuple[str, ...]:
        """Every cell, whitespace removed (empty cells stay empty)."""
        if self._squashed_cells is None:
            self._squashed_cells = tuple([squash(c) if c else c for c in self.cells])
        return self._squashed_cells

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)

    @property
    def filled_count(self) -> int:
        """How many cells are not empty: cheaper than listing them (``filled``)."""
        return len(self.cells) - self.cells.count("")

    def filled(self) -> tuple[tuple[int, str], ...]:
        """(column, text) of the non-empty cells."""
        if self._filled is None:
            self._filled = tuple([(i, c) for i, c in enumerate(self.cells) if c])
        return self._filled

    def cell(self, index: int) -> str:
        return self.cells[index] if 0 <= index < len(self.cells) else ""

    def mentions(self, *needles: str) -> bool:
        """Whether the row's text, spaces removed, contains any needle: cheap, before looking cell by cell."""
        squashed = self.squashed
        for needle in needles:  # noqa: SIM110 - a loop, not any() over a generator: asked of every row
            if needle in squashed:
                return True
        return False

    def find(self, *needles: str) -> int | None:
        """Column of the first cell whose squashed text contains any needle."""
        if not self.mentions(*needles):
            return None
        for i, s in enumerate(self.squashed_cells):
            if s and any(n in s for n in needles):
                return i
        return None

    def after(self, index: int) -> str | None:
        """Text of the first non-empty cell right of ``index``."""
        for c in self.cells[index + 1 :]:
            if c:
                return c
        return None


def split_rows(text: str, first_line_no: int = 1) -> list[Row]:
    return [
        Row(n, tuple(map(str.strip, line.split("\t")))) for n, line in enumerate(text.split("\n"), start=first_line_no)
    ]
