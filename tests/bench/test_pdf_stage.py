"""make bench's PDF stage runs: pages per second of our reader and of the floor, and each format's figure."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.ingest.test_readers import GOLD_VALUES

pytestmark = pytest.mark.build  # renders and reads every sample in every format: slow for test-fast


def test_pdf_stage_prints_pages_per_second_and_each_formats_accuracy():
    done = subprocess.run(
        [sys.executable, "-m", "bench.pdf", "--rounds", "1"], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    reader = next(line for line in lines if line.startswith("| ingest.readers.pdf"))
    floor = next(line for line in lines if line.startswith("| floor: pdfplumber"))
    for line in (reader, floor):
        assert float(line.split("|")[3]) > 0  # pages / s / core
    for fmt in ("pdf", "html", "docx", "xlsx"):
        assert f"| {fmt} | {GOLD_VALUES} | 100.00% | 0 | 0 |" in lines
    variants = [line for line in lines if line.startswith("| text from the PDF")]
    assert len(variants) == 2 and all(line.split("|")[4].strip() == "0" for line in variants)  # none wrong
