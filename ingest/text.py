"""Whitespace, HTML and table-row helpers shared by every parser."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

WHITESPACE_RE = re.compile(r"\s+")  # \s covers the ideographic space U+3000 and NBSP
HTML_BREAK_RE = re.compile(r"</p>|<br\s*/?>|</li>", re.IGNORECASE)
HTML_TAG_RE = re.compile(r"<[^>]*>")
PAGE_BREAK_RE = re.compile(r"[\f\v]")
BROKEN_NUMBER_RE = re.compile(r"\d\s*[.,]\s+\d|\d\s+[.,]\s*\d")  # "100. 00": extraction noise


def squash(text: str) -> str:
    """Remove every whitespace character: PDF extraction puts spaces inside Chinese words."""
    return WHITESPACE_RE.sub("", text)


def tidy(text: str) -> str:
    """Collapse whitespace runs to one space and strip the ends."""
    return WHITESPACE_RE.sub(" ", text).strip()


def printed(text: str | None) -> str | None:
    """A cell as printed, whitespace tidied; spaces that broke a number apart are dropped."""
    text = tidy(text or "")
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
    return PAGE_BREAK_RE.sub("\n", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Row:
    """One line of extracted text, split into tab-separated cells (stripped)."""

    line_no: int
    cells: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        return not any(self.cells)

    def filled(self) -> list[tuple[int, str]]:
        """(column, text) of the non-empty cells."""
        return [(i, c) for i, c in enumerate(self.cells) if c]

    def cell(self, index: int) -> str:
        return self.cells[index] if 0 <= index < len(self.cells) else ""

    def squashed(self) -> str:
        return squash("".join(self.cells))

    def find(self, *needles: str) -> int | None:
        """Column of the first cell whose squashed text contains any needle."""
        for i, c in enumerate(self.cells):
            s = squash(c)
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
        Row(n, tuple(c.strip() for c in line.split("\t")))
        for n, line in enumerate(text.split("\n"), start=first_line_no)
    ]
