"""Mutations of the sample reports and the property every parse of them must keep.

The property: parsing either rejects the file (DocumentRejected) or returns reports in
which every number equals a number printed in the cell it was read from; nothing else
is raised. Used by tests/ingest/test_fuzz.py (bounded, in ``make test``) and by
``make fuzz`` (python -m tests.ingest.fuzz: as long as asked, failures saved as fixtures).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from ingest.decoding import decode
from ingest.model import DocumentRejected, ParsedDocument
from ingest.parse import parse_document
from ingest.text import normalise_newlines
from ingest.vocabulary import load_vocabulary
from tests.conftest import FIXTURES, SAMPLE_REPORTS

VOCABULARY = load_vocabulary()  # amount units as the parsers read them (seeds/reference/amount_units.csv)

SAMPLES = {path.name: path.read_text(encoding="utf-8") for path in sorted(SAMPLE_REPORTS.glob("*.txt"))}
REGRESSIONS = FIXTURES / "fuzz"
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be")
MUTATIONS = (
    "delete_line",
    "duplicate_line",
    "swap_lines",
    "drop_cell",
    "merge_cells",
    "split_cell",
    "insert_noise",
    "replace_cell",
    "shift_right",
    "shift_left",
)
# Noise a page of extracted text can hold: digits, separators, placeholders, labels, tabs, units.
NOISE_CHARACTERS = list(
    "0123456789.,-—/%()（）:：\t \n万元无分值得总计合权重级指标年度资金执行率项目支出财政拨款NA=≥≤<>"
)
NOISE_PHRASES = [  # pieces of the templates, so that mutations also forge and break structure
    "总分",
    "评分等级",
    "年度资金总额:",
    "年度总体目标",
    "财政项目支出绩效自评表",
    "部门（单位）整体支出绩效自评表",
    "项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分数\t执行率(%)\t得分",
    "整体支出规模（元）\t\t\t全年预算数\t全年执行数\t\t执行率",
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
    "（五）当年部门（单位）预算及执行情况。",
    "二、",
    "全年预算金额为 5,650.61 万元",
]
NOISE = st.lists(st.one_of(st.sampled_from(NOISE_CHARACTERS), st.sampled_from(NOISE_PHRASES)), max_size=8).map("".join)
NUMBER_RE = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?")
WINDOW_LINES = 3  # a cell may be continued on the next lines


@dataclass(frozen=True)
class Case:
    sample: str
    mutations: tuple[tuple[str, int, int, str], ...]
    encoding: str
    cut_at: int | None  # cut the encoded bytes at this fraction (per mille) of their length

    def text(self) -> str:
        lines = SAMPLES[self.sample].split("\n")
        for mutation in self.mutations:
            lines = mutate(lines, *mutation)
        return "\n".join(lines)

    def data(self) -> bytes:
        data = self.text().encode(self.encoding, errors="replace")
        if self.cut_at is not None:
            data = data[: len(data) * self.cut_at // 1000]
        return data


def mutate(lines: list[str], kind: str, a: int, b: int, noise: str) -> list[str]:
    """One mutation of the document's lines; ``a`` and ``b`` pick where, ``noise`` is inserted text."""
    if not lines:
        return lines
    lines = list(lines)
    i, j = a % len(lines), b % len(lines)
    cells = lines[i].split("\t")
    k = b % len(cells)
    if kind == "delete_line":
        del lines[i]
    elif kind == "duplicate_line":
        lines.insert(i, lines[i])
    elif kind == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "drop_cell":
        del cells[k]
        lines[i] = "\t".join(cells)
    elif kind == "merge_cells" and k + 1 < len(cells):
        cells[k : k + 2] = [cells[k] + cells[k + 1]]
        lines[i] = "\t".join(cells)
    elif kind == "split_cell" and cells[k]:
        at = a % (len(cells[k]) + 1)
        cells[k] = cells[k][:at] + "\t" + cells[k][at:]
        lines[i] = "\t".join(cells)
    elif kind == "insert_noise":
        at = b % (len(lines[i]) + 1)
        lines[i] = lines[i][:at] + noise + lines[i][at:]
    elif kind == "replace_cell":
        cells[k] = noise
        lines[i] = "\t".join(cells)
    elif kind == "shift_right":
        for m in range(i, min(len(lines), i + 1 + b % 5)):
            lines[m] = "\t" + lines[m]
    elif kind == "shift_left":
        for m in range(i, min(len(lines), i + 1 + b % 5)):
            lines[m] = lines[m].removeprefix("\t")
    return lines


CASES = st.builds(
    Case,
    sample=st.sampled_from(sorted(SAMPLES)),
    mutations=st.lists(
        st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10**6), st.integers(0, 10**6), NOISE),
        min_size=1,
        max_size=6,
    ).map(tuple),
    encoding=st.sampled_from(ENCODINGS),
    cut_at=st.one_of(st.none(), st.none(), st.integers(0, 1000)),
)


# --- the property ------------------------------------------------------------


def printed_numbers(text: str | None) -> set[Decimal]:
    """Every number printed in a text, read here independently of the parsers."""
    if not text:
        return set()
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"(?<=\d)\s*([,.])\s*(?=\d)", r"\1", text)  # "275, 112. 88" as extraction prints it
    return {Decimal(n.replace(",", "")) for n in NUMBER_RE.findall(text) if n.replace(",", "").strip("+-")}


def _cells_near(rows: dict[int, list[str]], line_no: int) -> set[Decimal]:
    found = set()
    for n in range(line_no, line_no + WINDOW_LINES + 1):
        for cell in rows.get(n, []):
            found |= printed_numbers(cell)
    return found


def violations(document: ParsedDocument, text: str) -> list[str]:
    """Numbers the parse holds that were not printed in the cell they were read from."""
    rows = {n: line.split("\t") for n, line in enumerate(normalise_newlines(text).split("\n"), start=1)}
    found = []
    everywhere = {n for cells in rows.values() for cell in cells for n in printed_numbers(cell)}

    def check(what: str, value, printed: str | None, line_no: int | None, factor=1) -> None:
        if value is None:
            return
        in_text = {n * factor for n in printed_numbers(printed)}
        if value not in in_text:
            found.append(f"{what} = {value} is not a number printed in {printed!r}")
            return
        near = _cells_near(rows, line_no) if line_no else everywhere  # the 总分 row keeps no line number
        if not printed_numbers(printed) <= near:
            found.append(f"{what} text {printed!r} is not printed at line {line_no}")

    for report in document.reports:
        total_line = next((f for f in report.fund_lines if f.fund_line == "total"), None)
        for attribute in ("total_weight", "total_score"):
            check(attribute, getattr(report, attribute), getattr(report, f"{attribute}_text"), None)
        for attribute in ("budget_execution_weight", "budget_execution_score"):
            value = getattr(report, attribute)
            if value is not None and (total_line is None or value not in _cells_near(rows, total_line.line_no)):
                found.append(f"{attribute} = {value} is not printed on the 年度资金总额 line")
        for line in report.fund_lines:
            for measure in ("initial_budget", "adjusted_budget", "executed"):
                printed = getattr(line, f"{measure}_text")
                unit = re.search(r"亿元|万元|元|亿|万", printed or "")
                named = unit.group(0) if unit else line.amount_unit
                factor = VOCABULARY.unit_factors.get(VOCABULARY.unit_names.get(named, named))
                value = getattr(line, f"{measure}_yuan")
                if value is not None and factor is None:
                    found.append(f"{line.label} {measure} = {value} without a unit")
                    continue
                check(f"{line.label} {measure}", value, printed, line.line_no, factor or 1)
            check(f"{line.label} rate", line.execution_rate_pct, line.rate_text, line.line_no)
        for indicator in report.indicators:
            where = f"indicator {indicator.seq} (line {indicator.line_no})"
            check(f"{where} weight", indicator.weight, indicator.weight_text, indicator.line_no)
            check(f"{where} score", indicator.score, indicator.score_text, indicator.line_no)
            check(f"{where} target", indicator.target_value, indicator.target_text, indicator.line_no)
            check(f"{where} actual", indicator.actual_value, indicator.actual_text, indicator.line_no)
        for weight in report.level1_weights:
            check(f"权重 of {weight.level1}", weight.weight, weight.weight_text, weight.line_no)
    return found


@dataclass
class Outcome:
    rejected: bool
    problems: list[str]


def run_case(data: bytes) -> Outcome:
    """Decode and parse one file's bytes: rejected, or parsed with these property violations.

    Any other exception propagates: that is a failure too.
    """
    try:
        text = decode(data).text
        document = parse_document(text, load_vocabulary())
    except DocumentRejected:
        return Outcome(True, [])
    return Outcome(False, violations(document, text))
