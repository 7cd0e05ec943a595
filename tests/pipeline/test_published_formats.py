"""Reports as they are published, through the real command: a folder of PDF, HTML, Word, Excel and
text reports with every kind of bad document among them builds, names each bad file with its
reason, and publishes the rest with the same facts as the text samples."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE_REPORTS, run_build
from tests.ingest.test_readers import BAD_DOCUMENTS, bad_documents
from tests.support import render

pytestmark = pytest.mark.build

AS_PUBLISHED = {  # each sample report in another format, named without its suffix: the content decides
    "000_8225f3caa16837dd.txt": ("000_report", "pdf"),
    "001_d843cb21d2372b47.txt": ("001_report", "html"),
    "002_9036fe76fdcdc1b3.txt": ("002_report", "docx"),
    "003_161f74cd7f3998b9.txt": ("003_report", "xlsx"),
    "004_0d66015b16f43f2b.txt": ("004_report.txt", None),
}
FUND_VALUES = "fund_line, initial_budget_yuan, adjusted_budget_yuan, executed_yuan, execution_rate_reported_pct"
INDICATOR_VALUES = "indicator_seq, level1, level2, indicator_name, target_text, actual_text, weight, score"


@pytest.fixture(scope="module")
def published_build(tmp_path_factory):
    reports = tmp_path_factory.mktemp("published")
    for sample, (name, fmt) in AS_PUBLISHED.items():
        text = (SAMPLE_REPORTS / sample).read_text(encoding="utf-8")
        (reports / name).write_bytes(render.RENDERERS[fmt](text) if fmt else text.encode("utf-8"))
    (reports / "bad").mkdir()
    for name, data in bad_documents().items():
        (reports / "bad" / name).write_bytes(data)
    return run_build(reports, reports.parent / "published.duckdb")


def test_bad_documents_are_skipped_and_the_rest_published(published_build):
    assert published_build.exit_code == 3, published_build.stdout + published_build.stderr
    summary = published_build.summary()
    assert summary["status"] == "published"
    assert (summary["files_total"], summary["files_parsed"], summary["files_skipped"]) == (11, 5, 6)
    skipped = [line for line in published_build.stdout.splitlines() if " skipped " in line]
    assert len(skipped) == len(BAD_DOCUMENTS)
    for name, (_, reason) in BAD_DOCUMENTS.items():
        assert sum(f"bad/{name}: {reason}" in line for line in skipped) == 1, (name, skipped)


def test_ingest_files_record_format_and_reader(published_build):
    rows = published_build.query("select source_file, detected_format, reader from ops.ingest_files order by 1")
    formats = {file: (fmt, reader.split()[0] if reader else None) for file, fmt, reader in rows}
    assert formats["000_report"] == ("pdf", "pdfplumber")
    assert formats["001_report"] == ("html", "html.parser")
    assert formats["002_report"] == ("docx", "python-docx")
    assert formats["003_report"] == ("xlsx", "openpyxl")
    assert formats["004_report.txt"] == ("text", "ingest.decoding")
    assert formats["bad/old.doc"] == ("doc", None)  # recognised, not read
    assert formats["bad/damaged.xls"] == ("xls", "xlrd")
    assert formats["bad/scan.pdf"] == ("pdf", "pdfplumber")


def test_facts_are_those_of_the_text_samples_and_pdf_facts_keep_their_page(published_build, sample_build):
    for table, columns in (("fct_budget_execution", FUND_VALUES), ("fct_indicator_outcome", INDICATOR_VALUES)):
        sql = f"select r.unit_name, r.project_name, {columns} from marts.{table} r order by all"
        assert published_build.query(sql) == sample_build.query(sql), table
    for table in ("fct_budget_execution", "fct_indicator_outcome"):
        pages = published_build.query(
            f"select r.source_file = '000_report' as pdf, count(*), count(page), min(page) "
            f"from marts.{table} f join marts.dim_report r using (report_id) group by all order by all"
        )
        by_kind = {pdf: (rows, with_page, first) for pdf, rows, with_page, first in pages}
        assert by_kind[False][1] == 0, table  # formats without pages
        if table == "fct_budget_execution" or True in by_kind:  # the PDF (a narrative) has fund lines
            rows, with_page, first = by_kind[True]
            assert rows == with_page and first >= 1, table
