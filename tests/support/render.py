"""Render the sample reports into the formats they are published in: PDF, HTML, Word .docx, Excel .xlsx and .xls.

Rendered from the sample layout, never from what the parsers make of it: every tab-separated
line of a ``data/reports/*.txt`` file becomes a table row (consecutive ones one table), every
other line a paragraph. Merged cells are made as a publisher makes them: a label in the first
columns with empty cells below it becomes one cell spanning those rows (rowspan), and a cell
with empty cells to its right one cell spanning those columns (colspan). Each writer is a real
one: reportlab with the CJK CID font STSong-Light (no system font needed) and tables drawn with
ruling lines, HTML tables with rowspan / colspan, python-docx with merged cells, openpyxl with
merged ranges and numbers stored as numbers under the number format that prints them.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest.text import strip_html

ROWSPAN_COLUMNS = 2  # labels merged down (一级指标 and its 权重, 年度资金总额 …) sit in the first columns
NUMBER_RE = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|0|[1-9]\d*)(?:\.(\d+))?")
FONT = "STSong-Light"
PDF_MISSING_GLYPHS = "⑪·"  # characters of the samples that STSong-Light cannot print: the PDF lacks them
DEFAULT_MAX_COLUMN_CHARS = 24  # no column wider than this many characters' worth of the page
DEFAULT_LONG_CELL_CHARS = 300  # cells longer than this (goal texts) print smaller, so a row fits a page


@dataclass
class Table:
    rows: list[list[str]]
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # anchor -> (rowspan, colspan)
    covered: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class Paragraph:
    text: str


def _merge(table: Table) -> None:
    rows, height = table.rows, len(table.rows)
    width = len(rows[0]) if rows else 0
    for c in range(min(ROWSPAN_COLUMNS, width)):
        for r in range(height):
            if not rows[r][c] or (r, c) in table.covered:
                continue
            end = r + 1
            while end < height and not rows[end][c] and any(rows[end]) and (end, c) not in table.covered:
                end += 1
            if end - r > 1:
                table.spans[(r, c)] = (end - r, 1)
                table.covered.update((k, c) for k in range(r + 1, end))
    for r in range(height):
        for c in range(width):
            if not rows[r][c] or (r, c) in table.covered or (r, c) in table.spans:
                continue
            end = c + 1
            while end < width and not rows[r][end] and (r, end) not in table.covered and (r, end) not in table.spans:
                end += 1
            if end - c > 1:
                table.spans[(r, c)] = (1, end - c)
                table.covered.update((r, k) for k in range(c + 1, end))


def layout(text: str) -> list[Table | Paragraph]:
    """The blocks of a sample report: tables of tab-separated rows and paragraphs of prose."""
    blocks: list[Table | Paragraph] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            if not isinstance(blocks[-1:] and blocks[-1], Table):
                blocks.append(Table([]))
            blocks[-1].rows.append(cells)
        elif line.strip():
            blocks.append(Paragraph(line.strip()))
        # a blank line between tab-separated rows is a gap in the extracted text, not the end of the table
    for block in blocks:
        if isinstance(block, Table):
            width = max(len(r) for r in block.rows)
            block.rows = [r + [""] * (width - len(r)) for r in block.rows]
            _merge(block)
    return blocks


def cell_paragraphs(text: str) -> list[str]:
    """A cell's text as the paragraphs it prints (the sample's goal cells hold HTML fragments)."""
    if "<" in text and ">" in text:
        return strip_html(text).split("\n") or [""]
    return [text]


# ---------------------------------------------------------------- HTML


def to_html(text: str, title: str = "report") -> bytes:
    out = [f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}</title></head><body>']
    for block in layout(text):
        if isinstance(block, Paragraph):
            out.append(f"<p>{html.escape(block.text)}</p>")
            continue
        out.append('<table border="1">')
        for r, row in enumerate(block.rows):
            cells = []
            for c, value in enumerate(row):
                if (r, c) in block.covered:
                    continue
                rowspan, colspan = block.spans.get((r, c), (1, 1))
                attrs = f' rowspan="{rowspan}"' if rowspan > 1 else ""
                attrs += f' colspan="{colspan}"' if colspan > 1 else ""
                body = value if "<p>" in value else html.escape(value)  # a goal cell is an HTML fragment already
                cells.append(f"<td{attrs}>{body}</td>")
            out.append(f"<tr>{''.join(cells)}</tr>")
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")


# ---------------------------------------------------------------- Word


def to_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for block in layout(text):
        if isinstance(block, Paragraph):
            document.add_paragraph(block.text)
            continue
        table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
        table.style = "Table Grid"
        grid = [row.cells for row in table.rows]  # before merging: table.cell() re-reads the whole table
        for r, row in enumerate(block.rows):
            for c, value in enumerate(row):
                if (r, c) in block.covered or not value:
                    continue
                first, *rest = cell_paragraphs(value)
                grid[r][c].paragraphs[0].text = first
                for extra in rest:
                    grid[r][c].add_paragraph(extra)
        for (r, c), (rowspan, colspan) in block.spans.items():
            grid[r][c].merge(grid[r + rowspan - 1][c + colspan - 1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- Excel


def _number_format(text: str) -> tuple[float, str] | None:
    """A printed number as the value and number format a spreadsheet stores it with."""
    match = NUMBER_RE.fullmatch(text)
    if not match:
        return None
    decimals = len(match.group(1) or "")
    pattern = ("#,##0" if "," in text else "0") + ("." + "0" * decimals if decimals else "")
    return float(Decimal(text.replace(",", ""))), pattern


def to_xlsx(text: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "自评表"
    r0 = 0
    for block in layout(text):
        if isinstance(block, Paragraph):
            r0 += 1
            sheet.cell(r0, 1).value = block.text
            sheet.cell(r0, 1).data_type = "s"
            continue
        for r, row in enumerate(block.rows):
            for c, value in enumerate(row):
                if (r, c) in block.covered or not value:
                    continue
                cell = sheet.cell(r0 + r + 1, c + 1)
                number = _number_format(value)
                if number:
                    cell.value, cell.number_format = number
                else:
                    cell.value = "\n".join(cell_paragraphs(value))
                    cell.data_type = "s"  # text that starts with "=" (=100.00(%)) is not a formula
        for (r, c), (rowspan, colspan) in block.spans.items():
            sheet.merge_cells(
                start_row=r0 + r + 1, start_column=c + 1, end_row=r0 + r + rowspan, end_column=c + colspan
            )
        r0 += len(block.rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_xls(text: str) -> bytes:
    """The report as a legacy Excel .xls workbook (BIFF8, written by xlwt), merged ranges as in .xlsx."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("自评表")
    styles = {}

    def style(pattern: str):
        if pattern not in styles:
            styles[pattern] = xlwt.easyxf(num_format_str=pattern)
        return styles[pattern]

    r0 = 0
    for block in layout(text):
        if isinstance(block, Paragraph):
            sheet.write(r0, 0, block.text)
            r0 += 1
            continue
        for (r, c), (rowspan, colspan) in block.spans.items():
            sheet.merge(r0 + r, r0 + r + rowspan - 1, c, c + colspan - 1)
        for r, row in enumerate(block.rows):
            for c, value in enumerate(row):
                if (r, c) in block.covered or not value:
                    continue
                number = _number_format(value)
                if number:
                    sheet.write(r0 + r, c, number[0], style(number[1]))
                else:
                    sheet.write(r0 + r, c, "\n".join(cell_paragraphs(value)))
        r0 += len(block.rows)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def _pdf_styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    prose = ParagraphStyle("prose", fontName=FONT, fontSize=10, leading=14, spaceAfter=6, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7, leading=9, wordWrap="CJK")
    small = ParagraphStyle("small", fontName=FONT, fontSize=4.5, leading=5.5, wordWrap="CJK")
    return prose, cell, small


def _column_widths(table: Table, available: float) -> list[float]:
    """Columns as wide as their longest text (a merged cell's text shared by its columns), within bounds."""
    width = len(table.rows[0])
    longest = [1.0] * width
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            _, colspan = table.spans.get((r, c), (1, 1))
            for k in range(c, c + colspan):
                longest[k] = max(longest[k], min(len(value) / colspan, DEFAULT_MAX_COLUMN_CHARS))
    weights = [4 + n for n in longest]
    return [available * w / sum(weights) for w in weights]


def _markup(text: str) -> str:
    return "<br/>".join(html.escape(p) for p in cell_paragraphs(text))


def to_pdf(text: str, encrypt: str | None = None) -> bytes:
    """The report as a PDF: prose as paragraphs, each table with ruling lines and merged cells."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph as Para
    from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    prose, cell, small = _pdf_styles()
    out = io.BytesIO()
    page = SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36, encrypt=encrypt
    )
    story = []
    for block in layout(text):
        if isinstance(block, Paragraph):
            story.append(Para(html.escape(block.text), prose))
            continue
        data = [
            [
                Para(_markup(v), small if len(v) > DEFAULT_LONG_CELL_CHARS else cell)
                if (r, c) not in block.covered and v
                else ""
                for c, v in enumerate(row)
            ]
            for r, row in enumerate(block.rows)
        ]
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),  # room for punctuation that hangs past the line
        ]
        for (r, c), (rowspan, colspan) in block.spans.items():
            style.append(("SPAN", (c, r), (c + colspan - 1, r + rowspan - 1)))
        story.append(PdfTable(data, colWidths=_column_widths(block, page.width), style=TableStyle(style)))
        story.append(Spacer(1, 12))  # tables that touch would read as one
    page.build(story)
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose one page is an image of text only (a scan): no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (600, 200), 255)
    ImageDraw.Draw(image).text((20, 80), "scanned page: 2024 self-evaluation", fill=0)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawImage(ImageReader(image), 50, 500, width=500, height=170)
    page.showPage()
    page.save()
    return out.getvalue()


RENDERERS = {"pdf": to_pdf, "html": to_html, "docx": to_docx, "xlsx": to_xlsx, "xls": to_xls}
