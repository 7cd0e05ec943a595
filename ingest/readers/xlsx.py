"""Excel .xlsx workbooks with openpyxl: every sheet's rows, merged ranges on the grid, cached formula values.

A number is given as the sheet prints it (its number format's decimals and thousands
separators), since the parsers read printed text. A formula whose result was never
cached (the file was written by a program that does not calculate) is an empty cell
with a warning: its value is not guessed.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time

import openpyxl

from ingest.model import WARNING, DocumentRejected, ParseIssue
from ingest.readers import Rows
from ingest.readers.sheets import printed_number
from ingest.text import Row, tidy

FORMULA = "f"  # openpyxl's data_type of a formula cell


def _printed(value, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return printed_number(value, number_format)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return tidy(str(value))


def read(data: bytes, name: str) -> Rows:
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as err:  # openpyxl raises zip, XML and key errors for damaged packages
        reason = f"the Excel workbook cannot be read ({type(err).__name__}: {err})"
        raise DocumentRejected("corrupt_xlsx", reason) from err
    rows = Rows()
    for sheet in values.worksheets:
        formula_sheet = formulas[sheet.title]
        for cells in sheet.iter_rows(min_col=1, max_col=sheet.max_column):
            texts, uncached = [], []
            for cell in cells:
                texts.append(_printed(cell.value, cell.number_format))
                source = formula_sheet[cell.coordinate]
                if cell.value is None and source.data_type == FORMULA:
                    uncached.append(f"cell {sheet.title}!{cell.coordinate} holds the formula {source.value}")
            line_no = len(rows) + 1 if any(texts) else None  # a row left empty is not among the rows
            if line_no:
                rows.append(Row(line_no, tuple(texts)))
            for where in uncached:
                message = f"{where} with no cached value (the workbook was never calculated): left NULL"
                rows.issues.append(ParseIssue(line_no, WARNING, "formula_uncached", message))
    return rows
