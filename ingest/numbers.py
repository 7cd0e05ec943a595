"""Numbers as printed in the reports: amounts, rates, targets and their units.

Every reader is strict: a text that is not exactly one number in a known form
gives ``None``, and the caller records why.  Spaces that PDF extraction puts
next to separators ("275, 112, 698. 88") are removed; a space between two
digits is not, since it may join two numbers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from ingest.vocabulary import load_vocabulary

CENT = Decimal("0.01")
MAX_YUAN = Decimal("9999999999999999.99")  # DECIMAL(18,2)

COMPARATORS = {"=": "=", ">=": ">=", "≥": ">=", "≧": ">=", "<=": "<=", "≤": "<=", "≦": "<=", ">": ">", "<": "<"}
UNIT_ALIASES = {"百分比": "%", "百分率": "%"}
QUALITATIVE_ACHIEVED = "达成指标"  # the actual value printed for a qualitative target that was met

# What a cell prints where it has no value: dashes of any kind and length, a slash, 无, N/A.
PLACEHOLDER_RE = re.compile(r"[-‐‑‒–—―－─]+|[/／]|无|N/?A", re.IGNORECASE)
SEPARATOR_SPACE_RE = re.compile(r"\s*([,.])\s*")
NUMBER_RE = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
MEASURE_RE = re.compile(
    r"(?P<op>>=|<=|[=≥≧≤≦><])?\s*"
    r"(?P<num>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*"
    r"(?:\((?P<unit>[^()]+)\)|(?P<pct>%))?"
)


def _canonical(text: str) -> str:
    """Full-width digits, brackets and signs to ASCII; separator spaces removed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.strip()
    return SEPARATOR_SPACE_RE.sub(r"\1", text) if " " in text else text


class PrintedNumber(NamedTuple):  # immutable and cheap to make: every amount of every file is one
    value: Decimal
    decimals: int  # digits printed after the decimal point


@lru_cache(maxsize=8192)
def parse_number(text: str | None) -> PrintedNumber | None:
    """One plain number ("8,278,261.03", "99. 60", "100"), or None."""
    if not text:
        return None
    match = NUMBER_RE.fullmatch(_canonical(text))
    if not match:
        return None
    sign, whole, fraction = match.groups()
    digits = whole.replace(",", "") + ("." + fraction if fraction else "")
    return PrintedNumber(Decimal(sign + digits), len(fraction or ""))


def parse_rate(text: str | None) -> PrintedNumber | None:
    """A percentage, with or without its % sign ("99.97", "98.88%")."""
    if not text:
        return None
    canonical = _canonical(text)
    return parse_number(canonical[:-1] if canonical.endswith("%") else canonical)


def is_placeholder(text: str | None) -> bool:
    """Whether a cell prints a placeholder for a missing value ("—", "——", "-", "/", "无", "N/A")."""
    if not text or text[0].isdigit():  # most cells asked about are numbers: no placeholder starts with a digit
        return False
    return _is_placeholder_text(text)


@lru_cache(maxsize=4096)
def _is_placeholder_text(text: str) -> bool:
    """Cached: the cells asked about that are not numbers are mostly labels, printed on every other row."""
    return PLACEHOLDER_RE.fullmatch("".join(text.split())) is not None


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def amount_to_yuan(value: Decimal, unit: str) -> Decimal | None:
    """Convert to 元; None if the result needs fractions of a cent or overflows DECIMAL(18,2).

    ``unit`` is an amount unit of seeds/reference/amount_units.csv, which gives its factor.
    """
    yuan = value * load_vocabulary().unit_factors[unit]
    cents = yuan.quantize(CENT)
    if yuan != cents or abs(yuan) > MAX_YUAN:
        return None
    return cents


@dataclass(frozen=True)
class Measure:
    """A target (年度指标值) or actual (全年完成值) cell."""

    op: str | None
    value: Decimal | None
    unit: str | None

    @property
    def is_quantitative(self) -> bool:
        return self.value is not None


QUALITATIVE = Measure(None, None, None)


@lru_cache(maxsize=8192)
def parse_measure(text: str | None) -> Measure | None:
    """ "=100.00(%)", "≥40000.00 (张)", "100.00(百分比)"; QUALITATIVE for words.

    Returns None when the text starts like a number but is not one we can read,
    so that the caller can warn instead of guessing.
    """
    if not text:
        return QUALITATIVE
    canonical = _canonical(text)
    match = MEASURE_RE.fullmatch(canonical)
    if match is None:
        looks_numeric = re.match(r"(>=|<=|[=≥≧≤≦><])?\s*[+-]?\d", canonical)
        # "0发生" or "低于市、区两级平均水平" are words, not unreadable numbers
        if looks_numeric and not re.search(r"[\u4e00-\u9fff]", canonical.split("(")[0]):
            return None
        return QUALITATIVE
    number = parse_number(match["num"])
    unit = "%" if match["pct"] else (match["unit"] or "").strip() or None
    unit = UNIT_ALIASES.get(unit, unit)
    op = COMPARATORS[match["op"]] if match["op"] else None
    return Measure(op, number.value if number else None, unit)
