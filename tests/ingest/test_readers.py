"""Every published format read by its content: the sample reports rendered as PDF, HTML, Word and
Excel (.xlsx and legacy .xls) reproduce the gold, and bad documents are rejected with their reason.

The renderings come from the sample layout (tests/support/render.py), never from parser output.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache

import pytest

from bench.accuracy import Accuracy, score
from ingest import formats, readers
from ingest.model import DocumentRejected
from ingest.parse import parse_rows
from ingest.readers.xlsx import printed_number
from ingest.service import parse_file
from ingest.vocabulary import load_vocabulary
from tests.conftest import SAMPLE_REPORTS, load_gold
from tests.ingest.test_gold import mismatches
from tests.support import render

GOLD = load_gold()
FORMATS = tuple(render.RENDERERS)
NOT_VALUES = {"file", "known_inconsistencies", "fund_line"}  # keys of the gold, not values to reproduce


def non_null_values(node) -> int:
    """How many non-null values the gold holds, counted from the JSON alone."""
    if isinstance(node, dict):
        return sum(non_null_values(v) for k, v in node.items() if k not in NOT_VALUES)
    if isinstance(node, list):
        return sum(non_null_values(v) for v in node)
    return node is not None


GOLD_VALUES = sum(
    non_null_values(g["reports"]) + len(g["reports"]) * non_null_values([g["doc_kind"], g["town"], g["fiscal_year"]])
    for g in GOLD
)


@cache
def rendered(file: str, fmt: str) -> bytes:
    return render.RENDERERS[fmt]((SAMPLE_REPORTS / file).read_text(encoding="utf-8"))


def parsed(data: bytes):
    fmt = formats.detect(data)
    return parse_rows(readers.read(fmt, data, "rendered"), load_vocabulary())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("gold", GOLD, ids=[g["file"][:3] for g in GOLD])
def test_rendered_report_reproduces_the_gold(gold, fmt):
    data = rendered(gold["file"], fmt)
    assert formats.detect(data) == fmt
    assert mismatches(parsed(data), gold) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_reproduces_every_gold_field_and_no_wrong_value(fmt, capsys):
    total = Accuracy()
    for gold in GOLD:
        total.add(score(parsed(rendered(gold["file"], fmt)), gold))
    with capsys.disabled():
        print(f"\n{fmt}: {total.summary()}")
    assert total.values == GOLD_VALUES  # every non-null value of the five gold files
    assert (total.missing, total.wrong) == (0, 0), total.examples[:5]


def _layout_rows(rows, fmt: str) -> list[tuple[str, ...]]:
    """Non-empty rows without trailing empty cells; for PDF, text without the spaces a line wrap swallows."""
    out = []
    for cells in rows:
        cells = list(cells)
        while cells and not cells[-1]:
            cells.pop()
        if fmt == "pdf":
            cells = ["".join(c.split()).translate({ord(g): None for g in render.PDF_MISSING_GLYPHS}) for c in cells]
        if cells:
            out.append(tuple(cells))
    return out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("gold", GOLD, ids=[g["file"][:3] for g in GOLD])
def test_reader_gives_back_the_sample_layout_cell_for_cell(gold, fmt):
    """Merged cells come back in the first cell of their range, the covered ones empty: the sample's rows."""
    text = (SAMPLE_REPORTS / gold["file"]).read_text(encoding="utf-8")
    sample = [[" ".join(render.cell_paragraphs(c.strip())) for c in line.split("\t")] for line in text.splitlines()]
    rows = readers.read(fmt, rendered(gold["file"], fmt), gold["file"])
    assert _layout_rows([r.cells for r in rows], fmt) == _layout_rows(sample, fmt)


def test_pdf_rows_record_their_page_and_facts_keep_it():
    data = rendered("002_9036fe76fdcdc1b3.txt", "pdf")
    rows = readers.read(formats.PDF, data, "002.pdf")
    assert rows[0].page == 1 and rows[-1].page > 3  # the 12 projects run over several pages
    assert [r.line_no for r in rows] == list(range(1, len(rows) + 1))
    document = parse_rows(rows, load_vocabulary())
    pages = [i.page for report in document.reports for i in report.indicators]
    assert None not in pages and pages == sorted(pages) and pages[-1] == rows[-1].page


def test_pdf_prose_wrapped_by_the_page_reads_as_one_line_per_paragraph():
    """Report 004's budget paragraph wraps on the page; read back it is the one line it was in the sample."""
    text = (SAMPLE_REPORTS / "004_0d66015b16f43f2b.txt").read_text(encoding="utf-8")
    longest = max(text.splitlines(), key=len).strip()
    rows = readers.read(formats.PDF, rendered("004_0d66015b16f43f2b.txt", "pdf"), "004.pdf")
    assert len(longest) > 150  # longer than one printed line
    assert "".join(longest.split()) in {"".join(r.text.split()) for r in rows}


def test_pdf_page_numbers_in_the_margin_are_dropped_but_a_number_in_the_text_is_kept():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    for number in (1, 2):
        page.drawString(72, 700, f"page {number} text")
        page.drawString(72, 650, "100")
        page.drawString(290, 30, f"- {number} -")
        page.showPage()
    page.save()
    rows = readers.read(formats.PDF, out.getvalue(), "numbers.pdf")
    assert [(r.cells, r.page) for r in rows] == [
        (("page 1 text",), 1),
        (("100",), 1),
        (("page 2 text",), 2),
        (("100",), 2),
    ]


def test_detect_by_content_not_name():
    assert formats.detect(rendered("001_d843cb21d2372b47.txt", "docx")) == formats.DOCX
    assert formats.detect(rendered("001_d843cb21d2372b47.txt", "xlsx")) == formats.XLSX
    assert formats.detect(b"\xef\xbb\xbf  <!DOCTYPE html><html><body>x</body></html>") == formats.HTML
    assert formats.detect("<table><tr><td>项目名称</td></tr></table>".encode("gb18030")) == formats.HTML
    assert formats.detect("项目名称\t<p>目标</p>\n".encode()) == formats.TEXT  # HTML inside a cell is still text
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", "x")
    with pytest.raises(formats.UnknownFormat, match=r"neither a Word \.docx nor an Excel \.xlsx"):
        formats.detect(archive.getvalue())


def test_html_rowspan_and_colspan_are_laid_out_on_the_grid():
    page = """<html><body><p>前言</p><table>
      <tr><td rowspan="2">产出指标</td><td colspan="2">数量指标</td><td>10</td></tr>
      <tr><td>a</td><td>b</td><td>5</td></tr>
      <tr><td>总分</td><td></td><td></td><td>15</td></tr></table><p>后记 <b>完</b></p></body></html>"""
    rows = readers.read(formats.HTML, page.encode(), "page.html")
    assert [r.cells for r in rows] == [
        ("前言",),
        ("产出指标", "数量指标", "", "10"),
        ("", "a", "b", "5"),
        ("总分", "", "", "15"),
        ("后记 完",),
    ]


def test_xlsx_numbers_print_as_their_number_format():
    assert printed_number(8278261.03, "#,##0.00") == "8,278,261.03"
    assert printed_number(10.2, "0.00") == "10.20"
    assert printed_number(96, "General") == "96"
    assert printed_number(99.97, "General") == "99.97"
    assert printed_number(0.9997, "0.00%") == "99.97%"


def _workbook_with_formula(cached: str | None) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["得分", 40, 56])
    sheet["D1"] = "=B1+C1"
    out = io.BytesIO()
    workbook.save(out)
    if cached is None:
        return out.getvalue()
    # openpyxl writes no cached results; a spreadsheet program stores one as <v> after the formula
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<f>B1+C1</f><v></v>", b"<f>B1+C1</f><v>%s</v>" % cached.encode())
                data = data.replace(b"<f>B1+C1</f></c>", b"<f>B1+C1</f><v>%s</v></c>" % cached.encode())
            dst.writestr(item, data)
    return patched.getvalue()


def test_xlsx_formula_reads_its_cached_value():
    rows = readers.read(formats.XLSX, _workbook_with_formula("96"), "book.xlsx")
    assert rows[0].cells == ("得分", "40", "56", "96")
    assert rows.issues == []


def test_xlsx_formula_without_cached_value_is_null_with_an_issue():
    rows = readers.read(formats.XLSX, _workbook_with_formula(None), "book.xlsx")
    assert rows[0].cells == ("得分", "40", "56", "")
    [issue] = rows.issues
    assert (issue.line_no, issue.severity, issue.code) == (1, "warning", "formula_uncached")
    assert "自评表" not in issue.message and "D1" in issue.message and "=B1+C1" in issue.message


def test_xls_cells_print_as_their_number_format_and_an_error_cell_is_null_with_an_issue():
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("自评表")
    sheet.write(0, 0, "全年执行数")
    sheet.write(0, 1, 8278261.03, xlwt.easyxf(num_format_str="#,##0.00"))
    sheet.write(0, 2, 0.9997, xlwt.easyxf(num_format_str="0.00%"))
    sheet.write(1, 0, "执行率")
    sheet.row(1).set_cell_error(1, "#DIV/0!")
    sheet.write_merge(2, 3, 0, 1, "产出指标")  # text in the first cell, the covered cells empty
    sheet.write(2, 2, "10")
    sheet.write(3, 2, 96)
    out = io.BytesIO()
    workbook.save(out)
    rows = readers.read(formats.detect(out.getvalue()), out.getvalue(), "book.xls")
    assert [r.cells for r in rows] == [
        ("全年执行数", "8,278,261.03", "99.97%"),
        ("执行率", "", ""),
        ("产出指标", "", "10"),
        ("", "", "96"),
    ]
    [issue] = rows.issues
    assert (issue.line_no, issue.severity, issue.code) == (2, "warning", "cell_error")
    assert "B2" in issue.message and "#DIV/0!" in issue.message


# ------------------------------------------------------------------ bad documents

BAD_DOCUMENTS = {
    "scan.pdf": ("scanned_pdf", "no text layer (scanned): needs OCR"),
    "locked.pdf": ("encrypted_pdf", "the PDF is encrypted (it needs a password to open)"),
    "corrupt.pdf": ("corrupt_pdf", "the PDF is corrupt"),
    "cut.pdf": ("truncated_pdf", "the PDF is cut off (it does not end with %%EOF)"),
    "old.doc": ("legacy_doc", "legacy Word .doc: save it as .docx or PDF to have it read"),
    "damaged.xls": ("corrupt_xls", "the Excel .xls workbook cannot be read"),
}


def _ole(stream: str) -> bytes:
    """The start of an OLE compound file whose directory names one stream (a legacy Office file)."""
    return formats.OLE_MAGIC + bytes(504) + stream.encode("utf-16-le") + bytes(64)


def bad_documents() -> dict[str, bytes]:
    """Hand-made bad documents: a scan, an encrypted, a corrupt and a cut-off PDF, a legacy .doc, a
    damaged .xls (an OLE file whose Workbook stream is missing)."""
    sample = (SAMPLE_REPORTS / "001_d843cb21d2372b47.txt").read_text(encoding="utf-8")
    whole = render.to_pdf(sample)
    return {
        "scan.pdf": render.scanned_pdf(),
        "locked.pdf": render.to_pdf(sample, encrypt="secret"),
        "corrupt.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n",
        "cut.pdf": whole[: len(whole) // 2],
        "old.doc": _ole("WordDocument"),
        "damaged.xls": _ole("Workbook"),
    }


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_bad_document_is_skipped_with_its_reason(tmp_path, name):
    (tmp_path / name).write_bytes(bad_documents()[name])
    result = parse_file(tmp_path, name)
    code, reason = BAD_DOCUMENTS[name]
    assert result.skipped
    assert [(i.severity, i.code) for i in result.issues] == [("error", code)]
    assert result.reason.startswith(reason)


def test_reader_raises_for_unreadable_pdf():
    with pytest.raises(DocumentRejected, match="scanned"):
        readers.read(formats.PDF, render.scanned_pdf(), "scan.pdf")


def test_text_variants_of_a_rendered_pdf(tmp_path):
    """pdfplumber's text and ``pdftotext -layout`` of a rendered PDF, written as .txt variants."""
    from tests.support.extract import write_variants

    (tmp_path / "in").mkdir()
    sample = "002_9036fe76fdcdc1b3.txt"
    (tmp_path / "in" / sample).write_bytes((SAMPLE_REPORTS / sample).read_bytes())
    written = write_variants(tmp_path / "out", tmp_path / "in")
    assert sorted(p.name for p in written) == [f"002_9036fe76fdcdc1b3.{x}.txt" for x in ("pdfplumber", "pdftotext")]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "财政项目支出绩效自评表" in text and "179.42" in text and "\f" in text
    layout = (tmp_path / "out" / "002_9036fe76fdcdc1b3.pdftotext.txt").read_text(encoding="utf-8")
    assert any("年初预算数" in line and "  " in line.strip() for line in layout.splitlines())  # aligned by spaces


def _damaged(part: str) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(part, "<not xml")
    return archive.getvalue()


@pytest.mark.parametrize(
    ("part", "code", "reason"),
    [
        ("word/document.xml", "corrupt_docx", "the Word document cannot be read"),
        ("xl/workbook.xml", "corrupt_xlsx", "the Excel workbook cannot be read"),
    ],
)
def test_damaged_office_document_is_skipped_with_its_reason(tmp_path, part, code, reason):
    (tmp_path / "damaged").write_bytes(_damaged(part))
    result = parse_file(tmp_path, "damaged")
    assert [(i.severity, i.code) for i in result.issues] == [("error", code)]
    assert result.reason.startswith(reason)


def test_zip_of_another_kind_is_skipped_as_not_a_report(tmp_path):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("2024/report.txt", "x")
    (tmp_path / "reports.zip").write_bytes(archive.getvalue())
    result = parse_file(tmp_path, "reports.zip")
    assert [(i.severity, i.code) for i in result.issues] == [("error", "unknown_format")]
    assert result.reason == "not a report: a ZIP archive that is neither a Word .docx nor an Excel .xlsx document"
    assert result.detected_format is None


@pytest.mark.parametrize(("fmt", "reader"), [("docx", "python-docx"), ("html", "html.parser"), ("pdf", "pdfplumber")])
def test_parse_file_records_the_format_and_reader_of_a_file_named_without_suffix(tmp_path, fmt, reader):
    (tmp_path / "001").write_bytes(rendered("001_d843cb21d2372b47.txt", fmt))
    result = parse_file(tmp_path, "001")
    assert not result.skipped, result.reason
    assert (result.detected_format, result.reader.split()[0]) == (fmt, reader)
    assert [r.doc_kind for r in result.document.reports] == ["dept_table"]


def test_pdf_page_without_text_layer_among_text_pages_is_a_warning():
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(72, 700, "a page with text")
    page.showPage()
    page.drawImage(ImageReader(Image.new("L", (200, 100), 128)), 72, 600, width=200, height=100)
    page.showPage()
    page.save()
    rows = readers.read(formats.PDF, out.getvalue(), "mixed.pdf")
    assert [(r.cells, r.page) for r in rows] == [(("a page with text",), 1)]
    assert [(i.severity, i.code) for i in rows.issues] == [("warning", "page_without_text")]
    assert "page 2" in rows.issues[0].message


def test_docx_table_nested_in_a_cell_is_that_cells_text():
    import docx

    document = docx.Document()
    document.add_paragraph("前言")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "一级指标"
    inner = table.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "数量指标"
    inner.cell(0, 1).text = "质量指标"
    out = io.BytesIO()
    document.save(out)
    rows = readers.read(formats.DOCX, out.getvalue(), "nested.docx")
    assert [r.cells for r in rows] == [("前言",), ("一级指标", "数量指标 质量指标")]
