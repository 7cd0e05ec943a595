"""What the spreadsheet readers (.xlsx, .xls) share: a stored number as its cell prints it.

The parsers read printed text, so a number is given with the decimals and thousands
separators of its cell's number format, as the sheet shows it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

FORMAT_DECIMALS_RE = re.compile(r"0\.(0+)")


def printed_number(value: int | float, number_format: str) -> str:
    """A cell's number as the sheet shows it under its number format (General: as stored)."""
    section = number_format.split(";")[0]
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    percent = "%" in section
    if percent:
        exact *= 100
    match = FORMAT_DECIMALS_RE.search(section)
    if match or "0" in section:
        decimals = len(match.group(1)) if match else 0
        exact = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = format(exact, ",f" if "#,##0" in section or "#,#" in section else "f")
    else:  # General
        text = format(exact.normalize(), "f") if exact == exact.to_integral() else format(exact, "f")
    return text + ("%" if percent else "")
