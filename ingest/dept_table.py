"""部门（单位）整体支出绩效自评表: the department table.

Layout: title, (年度), 单位名称, the budget table 整体支出规模（元） with
资金来源 (财政拨款, 其他资金) and 资金结构 (基本支出, 项目支出) rows of
全年预算数 / 全年执行数 / 执行率, the 年度总体目标 block, and the indicator
table with a 权重 column, closed by a total row.
"""

from __future__ import annotations

from ingest import table_parts
from ingest.model import IssueLog, Report
from ingest.text import Row, squash
from ingest.vocabulary import Vocabulary

DOC_KIND = "dept_table"
UNIT_LABELS = ("部门（单位）名称", "部门(单位)名称", "单位名称", "部门名称")
BUDGET_MARKS = ("整体支出规模",)


def _read_head(row: Row, report: Report) -> None:
    if report.unit_name is None and (label_col := row.find(*UNIT_LABELS)) is not None:
        report.unit_name = squash(row.after(label_col) or "") or None


def _nothing(*_) -> None:
    return None


KIND = table_parts.TableKind(DOC_KIND, "department table", BUDGET_MARKS, _read_head, _nothing, _nothing)


def parse(block: list[Row], ordinal: int, vocab: Vocabulary, issues: IssueLog) -> Report:
    """Parse one department table; ``block[0]`` is its title row."""
    return table_parts.parse_table(block, ordinal, vocab, issues, KIND)
