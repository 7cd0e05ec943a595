"""Hand-made reports in the published layouts, for the rule tests.

Each renderer writes the text a real file would hold (tab-separated cells, as
extracted from the PDF), with defaults that pass every rule; a case changes
what it needs to break one rule, or to sit at the edge of its tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CELLS = 8  # columns of a project table

# 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 — 90 points, all earned
PROJECT_INDICATORS = [
    ("产出指标", "数量指标", "服务完成率", "=100.00(%)", "100.00(%)", "20.00", "20.00", ""),
    ("", "质量指标", "验收合格率", "=100.00(%)", "100.00(%)", "20.00", "20.00", ""),
    ("", "时效指标", "按时完成", "按时完成", "达成指标", "10.00", "10.00", ""),
    ("效益指标", "社会效益指标", "服务水平提升", "提高", "达成指标", "20.00", "20.00", ""),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90.00(%)", "95.00(%)", "20.00", "20.00", ""),
]


def _row(*cells: str, width: int = CELLS) -> str:
    return "\t".join([*cells, *[""] * (width - len(cells))])


@dataclass
class Fund:
    """年初预算数, 全年预算数, 全年执行数 and 执行率 of one fund row, as printed (万元)."""

    initial: str = "100.00"
    adjusted: str = "100.00"
    executed: str = "100.00"
    rate: str = "100.00"


ZERO = Fund("0.00", "0.00", "0.00", "0.00")


@dataclass
class ProjectTable:
    project: str
    total: Fund = field(default_factory=Fund)
    appropriation: Fund | None = None  # defaults to the total
    carryover: Fund = field(default_factory=lambda: ZERO)
    other: Fund = field(default_factory=lambda: ZERO)
    indicators: list[tuple] = field(default_factory=lambda: list(PROJECT_INDICATORS))
    total_weight: str = "100.00"
    total_score: str = "100.00"
    grade: str = "优"

    def text(self) -> str:
        appropriation = self.appropriation or self.total
        funds = [
            ("年度资金总额:", self.total, "10.00", "10.00"),
            ("其中: 当年财政拨款", appropriation, "-", "-"),
            ("上年结转资金", self.carryover, "-", "-"),
            ("其他资金", self.other, "-", "-"),
        ]
        lines = [
            "",
            "",
            "财政项目支出绩效自评表",
            "",
            "(2024年度)",
            "",
            _row("项目名称", "", self.project),
            _row(
                "主管部门",
                "",
                "上海市闵行区颛桥镇人民政府(汇总)",
                "",
                "实施单位",
                "",
                "上海市闵行区颛桥镇城市运行管理中心",
            ),
            _row("项目资金 (万元)", "", "年初预算数", "全年预算数", "全年执行数", "分数", "执行率(%)", "得分"),
            *(
                _row("", label, f.initial, f.adjusted, f.executed, points, f.rate, score)
                for label, f, points, score in funds
            ),
            _row("年度总体目标", "预期目标", "", "", "实际完成情况"),
            _row("", "<p>按计划完成项目。</p>", "", "", "<p>已按计划完成。</p>"),
            _row(
                "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"
            ),
            *(_row(*indicator) for indicator in self.indicators),
            _row("总分", "", "", "", "", self.total_weight, self.total_score),
            _row("评分等级", self.grade),
        ]
        return "\n".join(lines) + "\n"


# 一级 | 权重 | 二级 | 三级 | 年度指标值 | 全年完成值 | 分值 | 得分 | 偏差 — department layout, 100 points
DEPT_INDICATORS = [
    ("投入管理指标", "30", "预算编审管理", "根据规定设置三级指标和指标值", "", "", "15.00", "15.00", ""),
    ("", "", "预算执行管理", "", "", "", "15.00", "15.00", ""),
    ("产出指标", "25", "数量指标", "巡查工作完成率", "=100.00(%)", "100.00(%)", "15.00", "15.00", ""),
    ("", "", "质量指标", "验收合格率", "=100.00(%)", "100.00(%)", "10.00", "10.00", ""),
    ("效益指标", "35", "社会效益指标", "社会治理能力提升情况", "提升", "达成指标", "35.00", "35.00", ""),
    ("满意度指标", "10", "服务对象满意度指标", "群众满意度", "≥90.00(%)", "90.00(%)", "10.00", "10.00", ""),
]


@dataclass
class DeptTable:
    unit: str
    basic_rate: str = "99.93"  # 3,441,760.72 / 3,444,197.01 = 99.9293 %
    indicators: list[tuple] = field(default_factory=lambda: list(DEPT_INDICATORS))

    def text(self) -> str:
        def row(*cells: str) -> str:
            return _row(*cells, width=9)

        lines = [
            "",
            "",
            row("《部门（单位）整体支出绩效自评表》"),
            row("(2023年度)"),
            row("部门（单位）名称", f"上海市闵行区浦锦街道{self.unit}", "", "", "下属单位个数"),
            row("整体支出规模（元）", "", "", "全年预算数", "全年执行数", "", "执行率"),
            row("", "资金来源：（1）财政拨款", "", "8,278,261.03", "8,275,824.74", "", "99.97"),
            row("", "（2）其他资金", "", "0.00", "0.00", "", "0.00"),
            row("", "资金结构：（1）基本支出", "", "3,444,197.01", "3,441,760.72", "", self.basic_rate),
            row("", "（2）项目支出", "", "4,834,064.02", "4,834,064.02", "", "100.00"),
            row("年度总体目标", "年初设定目标", "", "", "", "全年完成情况"),
            row("", "<p>做实处置网格。</p>", "", "", "", "<p>已完成。</p>"),
            row("分解目标自评"),
            row(
                "一级指标", "权重", "二级指标", "三级指标", "年度指标值", "全年完成值", "分值", "得分", "偏差及原因分析"
            ),
            *(row(*indicator) for indicator in self.indicators),
            row("", "", "", "", "", "", "100", "100"),
        ]
        return "\n".join(lines) + "\n"


@dataclass
class Narrative:
    unit: str
    total: str = "5,650.61"  # 基本支出 711.68 + 项目支出 4938.91 = 5,650.59

    def text(self) -> str:
        return (
            "\n\n".join(
                [
                    "",
                    "部门整体支出预算绩效自评报告",
                    "(2024年度)",
                    "一、部门（单位）概况",
                    f"经区委编委研究决定，设置上海市闵行区虹桥镇{self.unit}，为镇政府所属事业单位。",
                    "（五）当年部门（单位）预算及执行情况。",
                    f"2024年部门全年年初预算金额 6,833.68 万元，包括基本支出和项目支出。截止至 2024 年 12 月 31 日，"
                    f"全年预算金额为 {self.total} 万元，预算执行金额为 5,587.07 万元，整体预算执行率为 98.88%。"
                    "其中基本支出年度预算 711.68 万元，执行金额为 690.65 万元，预算执行率为 97.05%；"
                    "项目支出预算金额 4938.91 万元，预算执行金额为 4896.42 万元，预算执行率 99.14%。",
                    "二、部门（单位）整体支出工作完成及绩效实现情况",
                    "各项工作按计划完成。",
                ]
            )
            + "\n"
        )


def replace(indicators: list[tuple], index: int, **cells) -> list[tuple]:
    """A copy of ``indicators`` with some cells of one row changed (target, actual, weight, score, note)."""
    offset = 1 if len(indicators[0]) == 9 else 0  # department rows carry a 权重 column
    positions = {"name": 2, "target": 3, "actual": 4, "weight": 5, "score": 6, "note": 7}
    changed = list(indicators)
    row = list(changed[index])
    for name, value in cells.items():
        row[positions[name] + offset] = value
    changed[index] = tuple(row)
    return changed
