"""A generated corpus of self-evaluation reports, with a truth file for each report file.

Reports of the three kinds for Shanghai's districts, towns and years, written in
the text layout of the published samples with their quirks at set rates
(``QUIRK_RATES``): spaced digits, wrapped names and labels, rows shifted into
the 一级 column, 一级 labels missing after a page break or printed too early,
blank lines inside tables, several projects per file, GBK and UTF-16 files.

A corpus folder holds ``reports/`` (what a build reads) and ``truth/``: each
``reports/<path>.txt`` gets a ``truth/<path>.json`` in the format of
tests/fixtures/gold/, the values as printed, in 元, with null where the layout
leaves a value ambiguous.  The truth lies apart from the reports because a
build reads every file of its reports folder.  The truth is what the generator
meant to print, never what the parser reads.  Generation is deterministic for
a given seed and size.
"""

from __future__ import annotations

import csv
import json
import random
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent.parent / "seeds" / "reference"
YEARS = (2021, 2022, 2023, 2024)
DEFAULT_SEED = 20241231
REPORTS_DIR = "reports"  # inside a corpus folder: the report files
TRUTH_DIR = "truth"  # inside a corpus folder: a truth file per report file, at the same relative path

QUIRK_RATES = {
    "spaced_digits": 0.15,  # a department table whose first page has "275, 112, 698. 88"
    "missing_level1": 0.10,  # department table: 产出's first rows printed before its label
    "label_too_early": 0.08,  # department table: the next 二级 label printed on the last rows of 产出
    "label_spaces": 0.20,  # "可持 续影 响指 标"
    "label_split": 0.06,  # a 二级 label wrapped: "质量" … "指标"
    "name_spaces": 0.04,  # "租赁 pda 设备数量"
    "name_in_level1": 0.01,  # a row shifted two cells, its name in the 一级 column
    "blank_line": 0.04,  # a page break: a blank line inside a table
    "unit_cell_off": 0.05,  # project table: 实施单位 one cell off
    "short_total_row": 0.05,  # project table: 总分 row with missing cells
    "html_goal": 0.50,  # goal text with <p> tags
    "narrative_budget_types": 0.40,  # prose report giving 一般公共预算 / 政府性基金预算 instead of 基本 / 项目支出
    "gbk": 0.10,
    "utf8_bom": 0.05,
    "utf16": 0.02,
}
ERROR_RATES = {  # arithmetic errors the published reports really contain
    "rate_truncated": 0.03,  # B2
    "parts_off": 0.02,  # B3
    "weights_short": 0.01,  # I2
    "deduction_unexplained": 0.02,  # I5
}

UNITS = (
    "城市运行管理中心",
    "社区事务受理服务中心",
    "城市建设管理事务中心",
    "社区党群服务中心",
    "综合行政执法队",
    "社区卫生服务中心",
    "文化体育服务中心",
    "经济发展服务中心",
    "农业综合服务中心",
    "市容环境管理所",
)
PROJECT_TOPICS = (
    "城运管理",
    "安全监管",
    "消防安全",
    "平安家园建设",
    "实有人口管理与服务",
    "特保服务",
    "派出所维护管理",
    "残疾人保障金",
    "垃圾分类",
    "绿化养护",
    "道路保洁",
    "社区工作者培训",
    "加装电梯",
    "智慧社区建设",
    "美丽家园修缮",
    "养老服务补贴",
    "家门口服务站",
    "河道整治",
    "网格化管理",
    "应急物资储备",
)
QUANTITY_NAMES = ("完成率", "覆盖率", "完成数量", "参与人数", "服务次数", "设备数量", "巡查次数")
QUALITY_NAMES = ("验收合格率", "考核达标率", "准确率", "合格率")
TIME_NAMES = ("完成及时性", "及时率", "按时完成率")
QUALITATIVE_TARGETS = ("健全", "提升", "达标", "及时", "有效提升", "显著提升", "提高", "规范", "稳定")
COUNT_UNITS = ("个", "人", "件", "次", "台", "平方", "岗位")
SUBJECTS = ("居民", "社区", "企业", "服务对象", "群众")
INPUT_LEVEL2 = ("预算编审管理", "预算执行管理", "预算绩效管理", "资产管理", "预算透明度", "内部控制管理", "预算信息化")
INPUT_WEIGHTS = ("7.50", "10.20", "4.50", "0.90", "3.00", "2.40", "1.50")  # 30 points, as Shanghai prints them
BENEFIT_LEVEL2 = ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")


def _towns() -> list[tuple[str, str]]:
    with open(REFERENCE / "towns.csv", encoding="utf-8", newline="") as f:
        return [(row["district"], row["town"]) for row in csv.DictReader(f)]


# --- printing numbers ----------------------------------------------------------


def money(value: Decimal, grouped: bool = True) -> str:
    return f"{value:,.2f}" if grouped else f"{value:.2f}"


def spaced(text: str) -> str:
    """The extraction noise of some PDF pages: a space after each separator."""
    return text.replace(",", ", ").replace(".", ". ")


def yuan(value: Decimal, unit: str) -> float:
    factor = {"元": 1, "万元": 10000}[unit]
    return float(value * factor)


# --- the model of one report -----------------------------------------------------


@dataclass
class Row:
    """One indicator row: what is printed and what the truth says."""

    level1: str | None
    level2: str | None
    name: str
    target: str | None  # as printed
    actual: str | None
    weight: Decimal
    score: Decimal
    note: str = ""
    truth: dict = field(default_factory=dict)


def _measure_truth(text: str | None) -> tuple:
    """(op, value, unit) of a target or actual as the generator printed it (None for words)."""
    if text is None or not any(ch.isdigit() for ch in text) or "(" not in text:
        return None, None, None
    ops = {"=": "=", "≥": ">=", "≤": "<="}
    op = ops.get(text[0]) if text[0] in ops else None
    number = text[1:] if op else text
    value, unit = number.split("(")
    unit = unit.rstrip(")")
    return op, float(value.replace(" ", "")), "%" if unit in ("%", "百分比") else unit


def _indicator_truth(row: Row, target_text: str | None, actual_text: str | None) -> dict:
    op, value, unit = _measure_truth(target_text)
    _, actual_value, actual_unit = _measure_truth(actual_text)
    return {
        "level1": row.level1,
        "level2": row.level2,
        "name": row.name.replace(" ", ""),
        "target_text": target_text,
        "actual_text": actual_text,
        "target_op": op,
        "target_value": value,
        "target_unit": unit,
        "actual_value": actual_value,
        "actual_unit": actual_unit,
        "weight": float(row.weight),
        "score": float(row.score),
        "deviation_note": row.note or None,
    }


class Writer:
    """Builds the indicator rows of one report, with its random choices."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def chance(self, quirk: str) -> bool:
        rates = QUIRK_RATES if quirk in QUIRK_RATES else ERROR_RATES
        return self.rng.random() < rates[quirk]

    def quantitative(self) -> tuple[str, str, bool]:
        """(target, actual, met): most targets are met; a few are missed, above or below."""
        rng = self.rng
        missed = rng.random() < 0.08
        if rng.random() < 0.6:
            unit = rng.choice(("%", "%", "百分比"))
            target = Decimal(rng.choice((100, 100, 95, 90, 98)))
            op = rng.choice(("=", "≥")) if target < 100 else "="
            actual = target - Decimal(rng.choice((1, 2, 5))) if missed else target
            return f"{op}{target:.2f}({unit})", f"{actual:.2f}({unit})", not missed
        unit = rng.choice(COUNT_UNITS)
        target = Decimal(rng.choice((1, 12, 33, 45, 104, 188, 2000, 3000, 7500)))
        op = rng.choice(("=", "≥"))
        if missed:  # a count short of its target, or (for "=") over it
            actual = target + Decimal(rng.randint(1, 9)) * (1 if op == "=" and rng.random() < 0.5 else -1)
            actual = max(actual, Decimal(0))
        else:
            actual = target + (Decimal(rng.randint(0, 9)) if op == "≥" else 0)
        return f"{op}{target:.2f}({unit})", f"{actual:.2f}({unit})", not missed or actual == target

    def group(self, level1: str, level2: str, names: tuple[str, ...], count: int, weight: Decimal) -> list[Row]:
        rows = []
        for _ in range(count):
            subject = self.rng.choice(PROJECT_TOPICS)
            name = subject + self.rng.choice(names)
            met = True
            if self.rng.random() < 0.55:
                target, actual, met = self.quantitative()
            else:
                target, actual = self.rng.choice(QUALITATIVE_TARGETS), "达成指标"
            row = Row(level1, level2, name, target, actual, weight, weight)
            rows.append(row)
            if not met and self.rng.random() < 0.85:  # a missed target usually costs points, with a reason
                self.deduct([row])
        return rows

    def deduct(self, rows: list[Row], explain: bool = True) -> Decimal:
        """Take points off one row (a qualitative one, when there is one); returns the points taken."""
        qualitative = [r for r in rows if r.actual == "达成指标"]
        row = self.rng.choice(qualitative or rows)
        taken = (row.weight * Decimal("0.2")).quantize(Decimal("0.01"))
        row.score -= taken
        row.note = "部分工作未按计划完成，下一步加强督促。" if explain else ""
        return taken


# --- project tables --------------------------------------------------------------

PROJECT_CELLS = 8  # cells per printed line of a project table
DEPT_CELLS = 9  # cells per printed line of a department table


def _cells(width: int, *values: str) -> str:
    """One printed table line: the values tab-separated, padded with empty cells to ``width``."""
    return "\t".join([*values, *[""] * (width - len(values))])


def _project_rows(writer: Writer) -> list[Row]:
    rng = writer.rng
    layout = rng.choice(((20, 20, 10, 20, 20), (10, 10, 10, 30, 30), (20, 10, 10, 30, 20)))
    weights = [Decimal(w) for w in layout]
    counts = [rng.randint(1, 4) for _ in layout]
    rows = []
    rows += writer.group("产出指标", "数量指标", QUANTITY_NAMES, counts[0], weights[0] / counts[0])
    rows += writer.group("产出指标", "质量指标", QUALITY_NAMES, counts[1], weights[1] / counts[1])
    rows += writer.group("产出指标", "时效指标", TIME_NAMES, counts[2], weights[2] / counts[2])
    benefit = rng.choice(BENEFIT_LEVEL2)
    rows += writer.group("效益指标", benefit, ("提升情况", "保障水平", "达标率"), counts[3], weights[3] / counts[3])
    rows += writer.group("满意度指标", "服务对象满意度指标", ("满意度",), counts[4], weights[4] / counts[4])
    for row in rows:
        row.weight = row.score = row.weight.quantize(Decimal("0.01"))
    # weights that do not divide evenly: the last row of each group takes the remainder
    return rows


def _fix_weights(rows: list[Row], total: Decimal) -> None:
    difference = total - sum(r.weight for r in rows)
    rows[-1].weight += difference
    rows[-1].score += difference


@dataclass
class Fund:
    label: str
    code: str
    initial: Decimal
    adjusted: Decimal
    executed: Decimal


def _rate(executed: Decimal, adjusted: Decimal, decimals: int = 2, truncate: bool = False) -> str:
    if adjusted == 0:
        return f"{0:.{decimals}f}"
    value = executed * 100 / adjusted
    quantum = Decimal(1).scaleb(-decimals)
    rounding = "ROUND_DOWN" if truncate else "ROUND_HALF_UP"
    return str(value.quantize(quantum, rounding=rounding))


def _level_cells(row: Row, previous: Row | None, writer: Writer) -> tuple[str, str]:
    """The 一级 and 二级 cells of a row: printed on the first row of their group only."""
    level1 = row.level1 if previous is None or previous.level1 != row.level1 else ""
    level2 = row.level2 if previous is None or previous.level2 != row.level2 else ""
    if level1 and writer.chance("label_spaces"):
        level1 = " ".join([level1[:2], level1[2:]])
    if level2 and writer.chance("label_spaces") and len(level2) > 4:
        cut = writer.rng.randint(1, len(level2) - 2)
        level2 = level2[:cut] + " " + level2[cut:]
    return level1, level2


def _project_funds(rng: random.Random) -> list[Fund]:
    """The four fund lines of a project, in 万元: all of it from the year's appropriation."""
    initial = Decimal(rng.randint(500, 500000)) / 100  # 万元
    adjusted = initial if rng.random() < 0.5 else (initial * Decimal(rng.uniform(0.6, 1.05))).quantize(Decimal("0.01"))
    executed = adjusted if rng.random() < 0.8 else (adjusted * Decimal(rng.uniform(0.9, 1))).quantize(Decimal("0.01"))
    zero = Decimal("0.00")
    return [
        Fund("年度资金总额:", "total", initial, adjusted, executed),
        Fund(
            rng.choice(("其中: 当年财政拨款", "其中:当年财政拨款")), "fiscal_appropriation", initial, adjusted, executed
        ),
        Fund("上年结转资金", "carryover", zero, zero, zero),
        Fund("其他资金", "other_funds", zero, zero, zero),
    ]


def _project_fund_lines(funds: list[Fund], execution_score: Decimal) -> tuple[list[str], list[dict]]:
    """The printed fund lines (the execution score on the total's) and their truth."""
    lines, truth_funds = [], []
    for fund in funds:
        is_total = fund.code == "total"
        rate = _rate(fund.executed, fund.adjusted)
        lines.append(
            _cells(
                PROJECT_CELLS,
                "",
                fund.label,
                money(fund.initial),
                money(fund.adjusted),
                money(fund.executed),
                "10.00" if is_total else "-",
                rate,
                f"{execution_score:.2f}" if is_total else "-",
            )
        )
        truth_funds.append(
            {
                "fund_line": fund.code,
                "initial_budget_yuan": yuan(fund.initial, "万元"),
                "adjusted_budget_yuan": yuan(fund.adjusted, "万元"),
                "executed_yuan": yuan(fund.executed, "万元"),
                "execution_rate_pct": float(rate),
            }
        )
    return lines, truth_funds


def _project_indicator_lines(writer: Writer, rows: list[Row]) -> tuple[list[str], list[dict]]:
    """The printed indicator rows, with their quirks (split and spaced labels, shifted rows), and their truth."""
    rng = writer.rng
    lines, indicators = [], []
    previous = None
    for row in rows:
        level1, level2 = _level_cells(row, previous, writer)
        name = row.name
        if writer.chance("name_spaces"):
            cut = rng.randint(1, len(name) - 1)
            name = name[:cut] + " " + name[cut:]
        truth = _indicator_truth(row, row.target, row.actual)
        split = level2 and level2 in ("质量指标", "数量指标", "时效指标") and writer.chance("label_split")
        if split:
            level2 = level2[:2]
        shifted = not level1 and not level2 and previous is not None and writer.chance("name_in_level1")
        values = (row.target, row.actual, f"{row.weight:.2f}", f"{row.score:.2f}", row.note)
        if shifted:
            lines.append(_cells(PROJECT_CELLS, name, "", *values))
            truth["level2"] = None
        else:
            lines.append(_cells(PROJECT_CELLS, level1, level2, name, *values))
        if split:
            lines += ["", _cells(PROJECT_CELLS, "", "指标")]  # the rest of the label, after a page break
        elif writer.chance("blank_line"):
            lines.append("")
        indicators.append(truth)
        previous = row
    return lines, indicators


def _grade(total_score: Decimal) -> str:
    return "优" if total_score >= 90 else "良" if total_score >= 80 else "中" if total_score >= 60 else "差"


def project_table(writer: Writer, project: str, unit: str, supervisor: str, year: int) -> tuple[list[str], dict]:
    rng = writer.rng
    rows = _project_rows(writer)
    _fix_weights(rows, Decimal(90))
    if writer.chance("weights_short"):
        rows[-1].weight -= Decimal(5)
        rows[-1].score -= Decimal(5)
    if rng.random() < 0.12:
        writer.deduct(rows, explain=not writer.chance("deduction_unexplained"))
    funds = _project_funds(rng)
    execution_score = Decimal(10)
    total_score = sum(r.score for r in rows) + execution_score
    total_weight = sum(r.weight for r in rows) + Decimal(10)
    grade = _grade(total_score)

    def cells(*values: str) -> str:
        return _cells(PROJECT_CELLS, *values)

    year_text = rng.choice((f"({year}年度)", f"({year} 年度)"))
    lines = ["", "", "财政项目支出绩效自评表", "", year_text, "", cells("项目名称", "", project)]
    if writer.chance("unit_cell_off"):
        lines.append(cells("主管部门", "", supervisor, "", "实施单位", unit))
    else:
        lines.append(cells("主管部门", "", supervisor, "", "实施单位", "", unit))
    lines.append(cells("项目资金 (万元)", "", "年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"))
    fund_lines, truth_funds = _project_fund_lines(funds, execution_score)
    lines += fund_lines
    goal = "进一步做好" + project + "相关工作，确保资金规范使用。"
    if writer.chance("html_goal"):
        goal = f"<p>{goal}</p>"
    lines += [
        cells(rng.choice(("年度 总体 目标", "年度总体目标")), "预期目标", "", "", "实际完成情况"),
        cells("", goal, "", "", "已按计划完成各项工作。"),
        cells(
            rng.choice(("一级 指标", "一级指标")),
            rng.choice(("二级 指标", "二级指标")),
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ),
    ]
    indicator_lines, indicators = _project_indicator_lines(writer, rows)
    lines += indicator_lines
    if writer.chance("short_total_row"):
        lines.append("\t".join(("总分", "", f"{total_weight:.2f}", f"{total_score:.2f}", "")))
    else:
        lines.append(cells("总分", "", "", "", "", f"{total_weight:.2f}", f"{total_score:.2f}"))
    lines += [cells("评分等级", grade), ""]
    truth = {
        "project_name": project,
        "supervisor": supervisor,
        "unit_name": unit,
        "amount_unit": "万元",
        "budget_execution_weight": 10.0,
        "budget_execution_score": float(execution_score),
        "total_weight": float(total_weight),
        "total_score": float(total_score),
        "grade": grade,
        "fund_lines": truth_funds,
        "indicators": indicators,
    }
    return lines, truth


# --- department tables --------------------------------------------------------


@dataclass
class DeptLayout:
    """The printing choices of one department table."""

    spaced_page: bool  # the first page's numbers printed "275, 112, 698. 88"
    wide: bool  # which of the two column layouts of the samples
    missing_level1: bool  # 产出's first rows printed before its label (after a page break)
    too_early: bool  # the 社会效益指标 label and 效益's 权重 printed on the last rows of 产出


@dataclass
class DeptIndicators:
    """The indicator groups of a department table, as scored."""

    quantity: list[Row]
    quality: list[Row]
    social: list[Row]
    lasting: list[Row]
    satisfaction: list[Row]

    @property
    def rows(self) -> list[Row]:
        return [*self.quantity, *self.quality, *self.social, *self.lasting, *self.satisfaction]


def _dept_cells(*values: str) -> str:
    return _cells(DEPT_CELLS, *values)


def _on_page(text: str, spaced_page: bool) -> str:
    return spaced(text) if spaced_page else text


def _dept_funds(writer: Writer) -> tuple[list[tuple[str, str, Decimal, Decimal]], bool]:
    """(label, code, budget, executed) of the four fund lines in 元, and whether a rate is printed truncated."""
    rng = writer.rng
    basic = Decimal(rng.randint(100_000_00, 20_000_000_00)) / 100
    project_part = Decimal(rng.randint(100_000_00, 300_000_000_00)) / 100
    adjusted = basic + project_part
    basic_executed = (basic * Decimal(rng.uniform(0.9, 1))).quantize(Decimal("0.01"))
    project_executed = (project_part * Decimal(rng.uniform(0.95, 1))).quantize(Decimal("0.01"))
    executed = basic_executed + project_executed
    printed_total = adjusted + (Decimal("1.00") if writer.chance("parts_off") else 0)  # beyond 4 × 0.005 元
    truncate = writer.chance("rate_truncated")
    zero = Decimal("0.00")
    funds = [
        ("资金来源：（1）财政拨款", "fiscal_appropriation", printed_total, executed),
        ("（2）其他资金", "other_funds", zero, zero),
        ("资金结构：（1）基本支出", "basic_expenditure", basic, basic_executed),
        ("（2）项目支出", "project_expenditure", project_part, project_executed),
    ]
    return funds, truncate


def _dept_fund_lines(funds: list, truncate: bool, layout: DeptLayout) -> tuple[list[str], list[dict]]:
    lines, truth_funds = [], []
    for label, code, budget, spent in funds:
        rate = _rate(spent, budget, truncate=truncate and code == "basic_expenditure")
        printed = [_on_page(money(budget), layout.spaced_page), _on_page(money(spent), layout.spaced_page)]
        printed.append(_on_page(rate, layout.spaced_page))
        if layout.wide:
            lines.append(_dept_cells("", "", label, printed[0], "", printed[1], "", printed[2]))
        else:
            lines.append(_dept_cells("", label, "", printed[0], printed[1], "", printed[2]))
        truth_funds.append(
            {
                "fund_line": code,
                "initial_budget_yuan": None,
                "adjusted_budget_yuan": float(budget),
                "executed_yuan": float(spent),
                "execution_rate_pct": float(rate),
            }
        )
    return lines, truth_funds


def _dept_input_lines(spaced_page: bool) -> tuple[list[str], list[dict]]:
    """投入管理指标: one row per 二级 with its fixed weight, full points, no target."""
    lines, indicators = [], []
    for k, (level2, weight) in enumerate(zip(INPUT_LEVEL2, INPUT_WEIGHTS, strict=True)):
        first = k == 0
        lines.append(
            _dept_cells(
                "投入管理指标" if first else "",
                "30" if first else "",
                level2,
                "根据沪财绩【2022】13号文的规定要求设置三级指标和指标值" if first else "",
                "",
                "",
                _on_page(weight, spaced_page),
                _on_page(weight, spaced_page),
            )
        )
        indicators.append(
            {
                "level1": "投入管理指标",
                "level2": level2,
                "name": level2,
                "target_text": None,
                "actual_text": None,
                "target_op": None,
                "target_value": None,
                "target_unit": None,
                "actual_value": None,
                "actual_unit": None,
                "weight": float(weight),
                "score": float(weight),
                "deviation_note": None,
            }
        )
    return lines, indicators


def _dept_indicators(writer: Writer) -> DeptIndicators:
    """产出 25, 效益 35 and 满意度 10 points of indicators, with the errors of the published reports."""
    rng = writer.rng
    quantity = writer.group("产出指标", "数量指标", QUANTITY_NAMES, rng.randint(4, 12), Decimal(1))
    quality = writer.group("产出指标", "质量指标", QUALITY_NAMES, rng.randint(3, 8), Decimal("0.5"))
    _fix_weights(quantity + quality, Decimal(25))
    social = writer.group("效益指标", "社会效益指标", ("提升情况", "管理水平"), rng.randint(3, 8), Decimal(3))
    lasting = writer.group("效益指标", "可持续影响指标", ("机制健全性",), rng.randint(1, 3), Decimal(5))
    _fix_weights(social + lasting, Decimal(35))
    satisfaction = writer.group("满意度指标", "服务对象满意度指标", ("满意度",), rng.randint(1, 2), Decimal(5))
    _fix_weights(satisfaction, Decimal(10))
    if writer.chance("weights_short"):
        satisfaction[-1].weight -= Decimal(5)
        satisfaction[-1].score -= Decimal(5)
    if rng.random() < 0.2:
        writer.deduct(social + lasting, explain=not writer.chance("deduction_unexplained"))
    return DeptIndicators(quantity, quality, social, lasting, satisfaction)


def _dept_data_row(writer: Writer, row: Row, level1: str, level1_weight: str, level2: str, page: bool) -> str:
    """One indicator row; on a spaced page, with its name split and its numbers spaced."""
    name = row.name
    if page and writer.rng.random() < 0.3:
        cut = writer.rng.randint(1, len(name) - 1)
        name = name[:cut] + " " + name[cut:]
    target = spaced(row.target).replace("(", " (") if page and "(" in (row.target or "") else row.target
    actual = spaced(row.actual).replace("(", " (") if page and "(" in (row.actual or "") else row.actual
    weight, score = _on_page(f"{row.weight:.2f}", page), _on_page(f"{row.score:.2f}", page)
    return _dept_cells(level1, level1_weight, level2, name, target, actual, weight, score, row.note)


def _truth_of(row: Row) -> dict:
    return _indicator_truth(row, row.target, row.actual)  # the printed text, spaces of the page removed


def _first(i: int, text: str) -> str:
    """A label printed on the first row of its group only."""
    return text if i == 0 else ""


def _dept_output_lines(writer: Writer, groups: DeptIndicators, layout: DeptLayout) -> tuple[list[str], list[dict]]:
    """产出: 数量 rows then 质量 rows, with the label quirks of the layout."""
    lines, indicators = [], []
    quantity, quality = groups.quantity, groups.quality
    page = layout.spaced_page
    for i, row in enumerate(quantity):
        if layout.missing_level1:
            lines.append(_dept_data_row(writer, row, "", "", _first(i, "数量指标"), page))
        else:
            lines.append(
                _dept_data_row(writer, row, _first(i, "产出指标"), _first(i, "25"), _first(i, "数量指标"), page)
            )
        indicators.append(_truth_of(row))
    if layout.missing_level1:
        lines.append("")  # the page break after which 产出's label is printed
        page = False
    early_rows = {id(r) for r in quality[-2:]} if layout.too_early else set()
    for i, row in enumerate(quality):
        if id(row) in early_rows:
            first_early = row is quality[-2]
            label = ("社会效益指标", "35") if first_early else ("", "")
            # shifted one cell left, the label in the 一级 column
            values = (row.name, row.target, row.actual, f"{row.weight:.2f}", f"{row.score:.2f}", row.note)
            line = _dept_cells(*label, *values)
            lines.append(line if first_early else "\t" + line)
            truth = _truth_of(row)
            truth["level1"] = truth["level2"] = None
            indicators.append(truth)
            continue
        if layout.missing_level1 and i == 0:
            lines.append(_dept_data_row(writer, row, "产出指标", "25", "质量指标", page))
        else:
            lines.append(_dept_data_row(writer, row, "", "", _first(i, "质量指标"), page))
        indicators.append(_truth_of(row))
    return lines, indicators


def _dept_outcome_lines(writer: Writer, groups: DeptIndicators, layout: DeptLayout) -> tuple[list[str], list[dict]]:
    """效益 (社会效益, 可持续影响) and 满意度 rows, never on a spaced page."""
    lines, indicators = [], []
    for i, row in enumerate(groups.social):
        if layout.too_early:  # the label was printed with 产出's last rows
            values = (row.name, row.target, row.actual, f"{row.weight:.2f}", f"{row.score:.2f}", row.note)
            lines.append(_dept_cells("", "", *values))
        else:
            lines.append(
                _dept_data_row(writer, row, _first(i, "效益指标"), _first(i, "35"), _first(i, "社会效益指标"), False)
            )
        indicators.append(_truth_of(row))
    for i, row in enumerate(groups.lasting):
        lines.append(_dept_data_row(writer, row, "", "", _first(i, "可持续影响指标"), False))
        indicators.append(_truth_of(row))
    for i, row in enumerate(groups.satisfaction):
        lines.append(
            _dept_data_row(
                writer, row, _first(i, "满意度指标"), _first(i, "10"), _first(i, "服务对象满意度指标"), False
            )
        )
        indicators.append(_truth_of(row))
    return lines, indicators


def dept_table(writer: Writer, unit: str, year: int) -> tuple[list[str], dict]:
    rng = writer.rng
    spaced_page = writer.chance("spaced_digits")
    funds, truncate = _dept_funds(writer)
    wide = rng.random() < 0.5
    lines = [
        "",
        "",
        _dept_cells("《部门（单位）整体支出绩效自评表》"),
        _dept_cells(rng.choice((f"({year}年度)", f"（{year}年度）"))),
        _dept_cells("部门（单位）名称", unit, "", "", "下属单位个数")
        if rng.random() < 0.5
        else _dept_cells("单位名称", "", unit),
        _dept_cells("整体支出规模（元）", "", "", "全年预算数", "", "全年执行数", "", "执行率(%)")
        if wide
        else _dept_cells("整体支出规模（元）", "", "", "全年预算数", "全年执行数", "", "执行率"),
    ]
    fund_lines, truth_funds = _dept_fund_lines(funds, truncate, DeptLayout(spaced_page, wide, False, False))
    lines += fund_lines
    goal = "做实处置网格，提升" + rng.choice(PROJECT_TOPICS) + "水平。"
    lines += [
        _dept_cells("年度总体目标", "年初设定目标", "", "", "", "全年完成情况"),
        _dept_cells("", f"<p>{goal}</p>" if writer.chance("html_goal") else goal, "", "", "", "全年目标基本完成。"),
        _dept_cells("分解目标自评"),
        _dept_cells(
            "一级指标", "权重", "二级指标", "三级指标", "年度指标值", "全年完成值", "分值", "得分", "偏差及原因分析"
        ),
    ]
    input_lines, indicators = _dept_input_lines(spaced_page)
    lines += input_lines
    groups = _dept_indicators(writer)
    missing_level1 = writer.chance("missing_level1")
    too_early = not missing_level1 and writer.chance("label_too_early") and len(groups.quality) >= 3
    layout = DeptLayout(spaced_page, wide, missing_level1, too_early)
    for section in (_dept_output_lines, _dept_outcome_lines):
        section_lines, section_indicators = section(writer, groups, layout)
        lines += section_lines
        indicators += section_indicators

    total_weight = Decimal(30) + sum(r.weight for r in groups.rows)
    total_score = Decimal(30) + sum(r.score for r in groups.rows)
    printed_weight = f"{total_weight:.0f}" if total_weight == total_weight.to_integral() else f"{total_weight:.2f}"
    lines.append(_dept_cells("", "", "", "", "", "", printed_weight, f"{total_score:.2f}"))
    level1_weights = {"投入管理指标": 30.0, "产出指标": 25.0, "效益指标": 35.0, "满意度指标": 10.0}
    truth = {
        "project_name": None,
        "unit_name": unit,
        "amount_unit": "元",
        "level1_weights": level1_weights,
        "total_weight": float(total_weight),
        "total_score": float(total_score),
        "grade": None,
        "fund_lines": truth_funds,
        "indicators": indicators,
    }
    return lines, truth


# --- prose reports ---------------------------------------------------------------


def _narrative_by_budget_type(
    year: int, initial: Decimal, adjusted: Decimal, executed: Decimal
) -> tuple[str, list[dict]]:
    """The budget paragraph by kind of budget (一般公共预算, 政府性基金预算), and its fund lines."""
    fund = (adjusted * Decimal("0.05")).quantize(Decimal("0.01"))
    rate = _rate(executed, adjusted, decimals=0)
    text = (
        f"{year} 年一般公共预算财政拨款收入年初预算 {money(initial, False)} 万元，"
        f"调整后预算数 {money(adjusted, False)} 万元，"
        f"一般公共预算财政拨款数 {money(executed, False)} 万元，执行率 {rate}%；{year} 年政府性基金预算财政拨款收入"
        f"调整后预算数 {money(fund, False)} 万元，决算数 {money(fund, False)} 万，执行率 100%。"
    )
    funds = [
        {
            "fund_line": "general_public_budget",
            "initial_budget_yuan": yuan(initial, "万元"),
            "adjusted_budget_yuan": yuan(adjusted, "万元"),
            "executed_yuan": yuan(executed, "万元"),
            "execution_rate_pct": float(rate),
        },
        {
            "fund_line": "government_fund_budget",
            "initial_budget_yuan": None,
            "adjusted_budget_yuan": yuan(fund, "万元"),
            "executed_yuan": yuan(fund, "万元"),
            "execution_rate_pct": 100.0,
        },
    ]
    return text, funds


def _narrative_by_expenditure(
    writer: Writer, short: str, year: int, initial: Decimal, adjusted: Decimal
) -> tuple[str, list[dict]]:
    """The budget paragraph by kind of expenditure (基本支出, 项目支出), and its fund lines."""
    rng = writer.rng
    basic = (adjusted * Decimal(rng.uniform(0.1, 0.3))).quantize(Decimal("0.01"))
    project = adjusted - basic
    basic_executed = (basic * Decimal(rng.uniform(0.95, 1))).quantize(Decimal("0.01"))
    project_executed = (project * Decimal(rng.uniform(0.95, 1))).quantize(Decimal("0.01"))
    executed = basic_executed + project_executed
    printed_total = adjusted + (Decimal("0.02") if writer.chance("parts_off") else 0)
    total_rate = _rate(executed, printed_total, truncate=writer.chance("rate_truncated"))
    basic_rate, project_rate = _rate(basic_executed, basic), _rate(project_executed, project)
    text = (
        f"{short}预算资金来源于镇级财政资金，{year}年部门全年年初预算金额 {money(initial)} 万元，"
        "包括基本支出和项目支出。"
        f"截止至 {year} 年 12 月 31 日，全年预算金额为 {money(printed_total)} 万元，"
        f"预算执行金额为 {money(executed)} 万元，"
        f"整体预算执行率为 {total_rate}%。其中基本支出年度预算 {money(basic, False)} 万元，执行金额为 "
        f"{money(basic_executed, False)} 万元，预算执行率为 {basic_rate}%；"
        f"项目支出预算金额 {money(project, False)} 万元，"
        f"预算执行金额为 {money(project_executed, False)} 万元，预算执行率 {project_rate}%。"
    )
    funds = [
        {
            "fund_line": "total",
            "initial_budget_yuan": yuan(initial, "万元"),
            "adjusted_budget_yuan": yuan(printed_total, "万元"),
            "executed_yuan": yuan(executed, "万元"),
            "execution_rate_pct": float(total_rate),
        },
        {
            "fund_line": "basic_expenditure",
            "initial_budget_yuan": None,
            "adjusted_budget_yuan": yuan(basic, "万元"),
            "executed_yuan": yuan(basic_executed, "万元"),
            "execution_rate_pct": float(basic_rate),
        },
        {
            "fund_line": "project_expenditure",
            "initial_budget_yuan": None,
            "adjusted_budget_yuan": yuan(project, "万元"),
            "executed_yuan": yuan(project_executed, "万元"),
            "execution_rate_pct": float(project_rate),
        },
    ]
    return text, funds


def narrative(writer: Writer, unit: str, year: int) -> tuple[list[str], dict]:
    rng = writer.rng
    short = unit.split("区", 1)[1]
    initial = Decimal(rng.randint(1000_00, 30000_00)) / 100  # 万元
    adjusted = (initial * Decimal(rng.uniform(0.8, 1.02))).quantize(Decimal("0.01"))
    executed = (adjusted * Decimal(rng.uniform(0.95, 1))).quantize(Decimal("0.01"))
    lines = [
        "",
        "",
        "部门整体支出预算绩效自评报告",
        "",
        f"({year}年度)",
        "",
        "一、部门（单位）概况",
        "",
        f"经区委编委研究决定，设置{unit}，为镇党委、政府所属事业单位。",
        "",
        "（五）当年部门（单位）预算及执行情况。",
        "",
    ]
    if writer.chance("narrative_budget_types"):
        paragraph, funds = _narrative_by_budget_type(year, initial, adjusted, executed)
    else:
        paragraph, funds = _narrative_by_expenditure(writer, short, year, initial, adjusted)
    lines.append(paragraph)
    lines += ["", "二、部门（单位）整体支出工作完成及绩效实现情况", "", "各项工作按计划推进。", ""]
    truth = {
        "project_name": None,
        "unit_name": unit,
        "amount_unit": "万元",
        "total_weight": None,
        "total_score": None,
        "grade": None,
        "fund_lines": funds,
        "indicators": [],
    }
    return lines, truth


# --- files ----------------------------------------------------------------------


@dataclass(frozen=True)
class FilePlan:
    """One file to write: which unit, year and kind, and how many reports it holds."""

    number: int
    district: str
    town: str
    unit_suffix: str
    year: int
    kind: str  # dept_table | project_table | dept_narrative
    reports: int


def plan_files(reports: int, seed: int) -> list[FilePlan]:
    """Units of every town, year by year: a department report each, and their projects a few per file."""
    rng = random.Random(seed)
    towns = _towns()
    rng.shuffle(towns)
    plans: list[FilePlan] = []
    planned = 0
    number = 0
    while planned < reports:
        for district, town in towns:
            for year in YEARS:
                for suffix in rng.sample(UNITS, 3):
                    if planned >= reports:
                        return plans
                    kind = "dept_table" if rng.random() < 0.65 else "dept_narrative"
                    plans.append(FilePlan(number, district, town, suffix, year, kind, 1))
                    number += 1
                    planned += 1
                    projects = min(rng.randint(0, 6), reports - planned)
                    while projects > 0:
                        in_file = min(projects, rng.randint(1, 8))
                        plans.append(FilePlan(number, district, town, suffix, year, "project_table", in_file))
                        number, planned, projects = number + 1, planned + in_file, projects - in_file
    return plans


def render(plan: FilePlan, seed: int) -> tuple[str, bytes, dict]:
    """(relative path, file bytes, truth) of one planned file."""
    rng = random.Random(seed * 1_000_003 + plan.number)
    writer = Writer(rng)
    unit = f"上海市{plan.district}{plan.town}{plan.unit_suffix}"
    if plan.kind == "dept_table":
        lines, report = dept_table(writer, unit, plan.year)
        reports = [report]
    elif plan.kind == "dept_narrative":
        lines, report = narrative(writer, unit, plan.year)
        reports = [report]
    else:
        lines, reports = [], []
        topics = rng.sample(PROJECT_TOPICS, plan.reports)
        for topic in topics:
            project_lines, report = project_table(
                writer, topic, unit, f"上海市{plan.district}{plan.town}人民政府(汇总)", plan.year
            )
            lines += project_lines
            reports.append(report)
    path = f"{plan.district}/{plan.town}/{plan.year}/{plan.number:07d}_{plan.kind}.txt"
    text = "\n".join(lines) + "\n"
    encoding = "utf-8"
    roll = rng.random()
    if roll < QUIRK_RATES["gbk"]:
        encoding = "gb18030"
    elif roll < QUIRK_RATES["gbk"] + QUIRK_RATES["utf8_bom"]:
        encoding = "utf-8-sig"
    elif roll < QUIRK_RATES["gbk"] + QUIRK_RATES["utf8_bom"] + QUIRK_RATES["utf16"]:
        encoding = "utf-16"
    truth = {"file": path, "doc_kind": plan.kind, "town": plan.town, "fiscal_year": plan.year, "reports": reports}
    return path, text.encode(encoding), truth


def truth_path(corpus: Path, source_file: str) -> Path:
    """Where the truth of the report file ``source_file`` (relative to ``corpus / REPORTS_DIR``) lies."""
    return (corpus / TRUTH_DIR / source_file).with_suffix(".json")


def _write_chunk(out: str, plans: list[FilePlan], seed: int) -> int:
    corpus = Path(out)
    for plan in plans:
        path, data, truth = render(plan, seed)
        report, truth_file = corpus / REPORTS_DIR / path, truth_path(corpus, path)
        for target in (report, truth_file):
            target.parent.mkdir(parents=True, exist_ok=True)
        report.write_bytes(data)
        truth_file.write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return len(plans)


def generate(reports: int, out: Path, seed: int = DEFAULT_SEED, workers: int | None = None) -> int:
    """Write a corpus of ``reports`` reports under ``out``: the files in ``out/reports``, their truth
    in ``out/truth``; returns the number of report files."""
    plans = plan_files(reports, seed)
    chunks = [plans[i : i + 500] for i in range(0, len(plans), 500)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        written = sum(pool.map(_write_chunk, [str(out)] * len(chunks), chunks, [seed] * len(chunks)))
    return written
