"""What the pages share: the sidebar filters, column formats and links to a report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.queries import Filters

FILTERS_KEY = "filters"
REPORT_PAGE = "report"  # url_path of the report page (app.py)
REPORT_PARAM = "report"  # query parameter naming the report shown

YUAN = st.column_config.NumberColumn(format="localized")
PERCENT = st.column_config.NumberColumn(format="%.2f%%")

COLUMN_LABELS = {
    "town": "镇/街道 town",
    "fiscal_year": "年度 year",
    "doc_kind_label": "类型 kind",
    "report": "报告 report",
    "reports": "报告数 reports",
    "indicators": "指标数 indicators",
    "quantitative_indicators": "定量 quantitative",
    "qualitative_indicators": "定性 qualitative",
    "missed_targets": "未达目标 missed",
    "weight_sum": "分值合计 weights",
    "score_sum": "得分合计 scores",
    "reports_with_budget": "有预算的报告 with budget",
    "initial_budget_yuan": "年初预算数（元）",
    "budget_yuan": "全年预算数（元）",
    "executed_yuan": "全年执行数（元）",
    "execution_rate_pct": "执行率 rate",
    "budget_change_yuan": "预算调整（元）change",
    "reports_with_budget_reduced": "调减报告 reduced",
    "reports_with_mid_year_cut": "调减超20%（B4）",
    "fund_line_label": "资金 fund line",
    "adjusted_budget_yuan": "全年预算数（元）",
    "execution_rate_reported_pct": "填报执行率 printed",
    "execution_rate_computed_pct": "计算执行率 computed",
    "amount_unit": "原文单位 unit",
    "line_no": "行 line",
    "page": "页 page",
    "indicator_seq": "序号",
    "level1": "一级指标",
    "level2": "二级指标",
    "indicator_name": "三级指标 indicator",
    "target_text": "年度指标值 target",
    "actual_text": "全年完成值 actual",
    "target_met": "达成 met",
    "weight": "分值 weight",
    "score": "得分 score",
    "points_deducted": "扣分 deducted",
    "deviation_note": "偏差原因 deviation",
    "severity": "级别 severity",
    "rule_id": "规则 rule",
    "rule_zh": "规则说明",
    "subject": "对象 subject",
    "observed": "实际 observed",
    "expected": "应为 expected",
    "difference": "差额 difference",
    "message_zh": "说明 message",
    "source_file": "源文件 source file",
    "link": "报告 link",
}
FORMATS = {
    "initial_budget_yuan": YUAN,
    "budget_yuan": YUAN,
    "executed_yuan": YUAN,
    "budget_change_yuan": YUAN,
    "adjusted_budget_yuan": YUAN,
    "execution_rate_pct": PERCENT,
    "execution_rate_reported_pct": PERCENT,
    "execution_rate_computed_pct": PERCENT,
    "fiscal_year": st.column_config.NumberColumn(format="%d"),
    "link": st.column_config.LinkColumn(display_text="打开 open"),
}


def sidebar_filters(options: pd.DataFrame) -> Filters:
    """Year, town and document-kind pickers; an empty pick means all. Kept for every page."""
    kinds = dict(zip(options["doc_kind"], options["doc_kind_label"], strict=True))
    with st.sidebar:
        st.header("筛选 Filters")
        years = st.multiselect("年度 Year", sorted(options["fiscal_year"].unique()), key="filter_years")
        towns = st.multiselect("镇/街道 Town", sorted(options["town"].unique()), key="filter_towns")
        picked = st.multiselect("类型 Kind", list(kinds), format_func=kinds.get, key="filter_kinds")
        st.caption("不选即全部 (empty = all)")
    filters = Filters(
        years=tuple(int(y) for y in (years or options["fiscal_year"].unique())),
        towns=tuple(towns or options["town"].unique()),
        kinds=tuple(picked or kinds),
    )
    st.session_state[FILTERS_KEY] = filters
    return filters


def current_filters() -> Filters:
    return st.session_state[FILTERS_KEY]


def with_report_link(rows: pd.DataFrame) -> pd.DataFrame:
    """Add a ``link`` column opening each row's report on the report page."""
    return rows.assign(link=REPORT_PAGE + "?" + REPORT_PARAM + "=" + rows["report_id"])


def table(rows: pd.DataFrame, columns: list[str], **kwargs) -> None:
    """Show the given columns of a query's rows, with Chinese headers and formats."""
    config = {c: _config(c) for c in columns}
    st.dataframe(rows[columns], column_config=config, hide_index=True, **kwargs)


def _config(column: str):
    label = COLUMN_LABELS.get(column, column)
    fmt = FORMATS.get(column)
    if fmt is None:
        return label
    return {**fmt, "label": label}
