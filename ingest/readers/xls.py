"""Legacy Excel .xls workbooks (BIFF) with xlrd: every sheet's rows, merged ranges on the grid.

xlrd gives a merged range's text in its first cell and leaves the cells it covers empty,
the convention of every reader. A number is given as its cell's number format prints it,
as for .xlsx. Excel stores the result of every formula in the file, so a formula cell
reads as its value; a cell holding an error (#DIV/0!, #REF! …) is empty with a warning.
xlrd does not expose formulas: one that a program which does not calculate stored without a
result reads as an empty cell (NULL, never a number).
"""

from __future__ import annotations

import xlrd

from ingest.model import WARNING, DocumentRejected, ParseIssue
from ingest.readers import Rows
from ingest.readers.sheets import printed_number
from ingest.text import Row, tidy

GENERAL = "General"


def _number_format(book: xlrd.Book, xf_index: int) -> str:
    fmt = book.format_map.get(book.xf_list[xf_index].format_key)
    return fmt.format_str if fmt is not None else GENERAL


def _printed(book: xlrd.Book, sheet, r: int, c: int) -> str:
    cell = sheet.cell(r, c)
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return tidy(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return printed_number(cell.value, _number_format(book, cell.xf_index))
    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate_as_datetime(cell.value, book.datemode).isoformat()
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    return ""  # empty, blank, or an error (reported by the caller)


def read(data: bytes, name: str) -> Rows:
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as err:  # xlrd raises its own, struct and index errors for damaged files
        reason = f"the Excel .xls workbook cannot be read ({type(err).__name__}: {err})"
        raise DocumentRejected("corrupt_xls", reason) from err
    rows = Rows()
    for sheet in book.sheets():
        for r in range(sheet.nrows):
            texts = tuple(_printed(book, sheet, r, c) for c in range(sheet.ncols))
            line_no = len(rows) + 1 if any(texts) else None  # a row left empty is not among the rows
            if line_no:
                rows.append(Row(line_no, texts))
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_ERROR:
                    where = f"cell {sheet.name}!{xlrd.cellname(r, c)}"
                    error = xlrd.error_text_from_code.get(cell.value, "an error")
                    message = f"{where} holds {error} instead of a value: left NULL"
                    rows.issues.append(ParseIssue(line_no, WARNING, "cell_error", message))
    return rows
