"""Text variants of the rendered PDFs, as other extractors give them: pdfplumber's text output and
``pdftotext -layout`` (poppler-utils). Written as .txt files, they are what a user who extracted
the text with one of those tools would hand the build.

    python -m tests.support.extract OUT   # writes OUT/<sample>.<extractor>.txt for the five samples
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber

from tests.conftest import SAMPLE_REPORTS
from tests.support import render

PAGE_BREAK = "\f"  # both tools mark the end of a page with a form feed


def pdfplumber_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return PAGE_BREAK.join(page.extract_text() or "" for page in document.pages) + "\n"


def pdftotext_layout(pdf: bytes) -> str:
    """``pdftotext -layout`` of the PDF: columns kept by spaces, empty cells lost."""
    if shutil.which("pdftotext") is None:
        raise RuntimeError("pdftotext is missing: install poppler-utils (make system-deps)")
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


EXTRACTORS = {"pdfplumber": pdfplumber_text, "pdftotext": pdftotext_layout}


def write_variants(out: Path, reports: Path = SAMPLE_REPORTS) -> list[Path]:
    """Render each sample as PDF and write its text as each extractor gives it."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for sample in sorted(reports.glob("*.txt")):
        pdf = render.to_pdf(sample.read_text(encoding="utf-8"))
        for name, extract in EXTRACTORS.items():
            path = out / f"{sample.stem}.{name}.txt"
            path.write_text(extract(pdf), encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.support.extract OUT")
    for path in write_variants(Path(sys.argv[1])):
        print(path)
