"""The PDF stage of the benchmark, and how much of the gold each published format reproduces.

Reading PDF is the slowest reader by far, so it has its own figure: pages per second per core
(CPU time of one process) of ``ingest.readers.pdf`` on the sample reports rendered as PDF,
against pdfplumber's own text extraction of the same pages as the floor (our reader also finds
the tables from their ruling lines and joins wrapped paragraphs, so it cannot beat it).

    python -m bench.pdf [--rounds N]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from dataclasses import dataclass

import pdfplumber

from bench.accuracy import Accuracy, score
from ingest import formats, readers
from ingest.model import DocumentRejected
from ingest.parse import parse_rows
from ingest.readers import pdf as pdf_reader
from ingest.vocabulary import load_vocabulary
from tests.conftest import SAMPLE_REPORTS, load_gold
from tests.support import extract, render

DEFAULT_ROUNDS = 3


@dataclass
class PdfStage:
    pages: int
    reader_seconds: float  # CPU seconds for all rounds
    floor_seconds: float

    def per_second(self, seconds: float) -> float:
        return self.pages / seconds if seconds else 0.0


def _cpu(function, documents: list[bytes], rounds: int) -> float:
    started = time.process_time()
    for _ in range(rounds):
        for data in documents:
            function(data)
    return time.process_time() - started


def _floor(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            page.extract_text()
            page.close()


def measure_pdf(documents: list[bytes], rounds: int = DEFAULT_ROUNDS) -> PdfStage:
    pages = 0
    for data in documents:
        with pdfplumber.open(io.BytesIO(data)) as document:
            pages += len(document.pages)
    return PdfStage(
        pages * rounds,
        _cpu(lambda data: pdf_reader.read(data, "bench.pdf"), documents, rounds),
        _cpu(_floor, documents, rounds),
    )


def _text_variant(extractor):
    def write(text: str) -> bytes:
        return extractor(render.to_pdf(text)).encode("utf-8")

    return write


WRITERS = {
    **render.RENDERERS,
    "text from the PDF: pdfplumber": _text_variant(extract.pdfplumber_text),
    "text from the PDF: pdftotext -layout": _text_variant(extract.pdftotext_layout),
}


def _parsed(data: bytes, name: str, vocabulary):
    try:
        return parse_rows(readers.read(formats.detect(data), data, name), vocabulary)
    except DocumentRejected:
        return None  # every gold field of the file is missing


def format_accuracy() -> dict[str, Accuracy]:
    """Each sample rendered in each format (and as extractors give the PDF's text), read, parsed, scored."""
    results = {}
    vocabulary = load_vocabulary()
    for fmt, writer in WRITERS.items():
        total = Accuracy()
        for gold in load_gold():
            data = writer((SAMPLE_REPORTS / gold["file"]).read_text(encoding="utf-8"))
            total.add(score(_parsed(data, gold["file"], vocabulary), gold))
        results[fmt] = total
    return results


def report(rounds: int = DEFAULT_ROUNDS) -> str:
    """The PDF stage and the per-format accuracy, as markdown."""
    documents = [render.to_pdf(p.read_text(encoding="utf-8")) for p in sorted(SAMPLE_REPORTS.glob("*.txt"))]
    stage = measure_pdf(documents, rounds)
    lines = [
        "",
        f"PDF reading ({stage.pages // rounds} pages of the five samples rendered as PDF, {rounds} rounds, one core)",
        "",
        "| reader | CPU s | pages / s / core |",
        "|---|---:|---:|",
        f"| ingest.readers.pdf (tables and text) | {stage.reader_seconds:.2f} "
        f"| {stage.per_second(stage.reader_seconds):.1f} |",
        f"| floor: pdfplumber extract_text | {stage.floor_seconds:.2f} | {stage.per_second(stage.floor_seconds):.1f} |",
        "",
        "Published formats (the five samples rendered in each, read and parsed, against the gold)",
        "",
        "| format | non-null gold fields | reproduced | wrong | missing |",
        "|---|---:|---:|---:|---:|",
    ]
    for fmt, total in format_accuracy().items():
        lines.append(f"| {fmt} | {total.values} | {total.value_share:.2%} | {total.wrong} | {total.missing} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf", description=__doc__)
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    print(report(parser.parse_args(argv).rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
