"""Plotly figures drawn from the named queries' results, one function per chart.

Each function takes the rows of one query and plots its columns as they are: nothing is computed
here beyond counting rows (findings per rule or town); the categories are the rows' own labels.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
SEVERITY_COLOURS = {"fatal": "#6b0000", "error": "#d62728", "warning": "#ff9f1c", "info": "#1f77b4"}


def _layout(fig: go.Figure, title: str, yaxis: str, **layout) -> go.Figure:
    fig.update_layout(
        title=title,
        yaxis_title=yaxis,
        font_family=FONT,
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 60, "b": 40},
        **layout,
    )
    return fig


def _town_year_kind(rows: pd.DataFrame) -> list[list[str]]:
    """A two-level category axis: town and year above, document kind below."""
    return [(rows["town"] + " " + rows["fiscal_year"].astype(str)).tolist(), rows["doc_kind_label"].tolist()]


def budget_execution(rows: pd.DataFrame) -> go.Figure:
    """Adjusted budget and executed amount per town, year and document kind (query town_years)."""
    x = _town_year_kind(rows)
    fig = go.Figure(
        [
            go.Bar(name="全年预算数 budget", x=x, y=rows["budget_yuan"], marker_color="#4c78a8"),
            go.Bar(name="全年执行数 executed", x=x, y=rows["executed_yuan"], marker_color="#72b7b2"),
        ]
    )
    return _layout(fig, "预算与执行 Budget and executed", "元", barmode="group", yaxis_tickformat=",.0f")


def execution_rate(rows: pd.DataFrame) -> go.Figure:
    """Execution rate per town, year and document kind (query town_years)."""
    fig = go.Figure(
        go.Bar(
            name="执行率 execution rate",
            x=_town_year_kind(rows),
            y=rows["execution_rate_pct"],
            text=rows["execution_rate_pct"],
            texttemplate="%{y:.2f}%",
            textposition="outside",
            marker_color="#54a24b",
        )
    )
    return _layout(fig, "执行率 Execution rate", "%", yaxis_range=[0, 110])


def budget_change(rows: pd.DataFrame) -> go.Figure:
    """Adjusted minus initial budget per town, year and document kind (query town_years)."""
    fig = go.Figure(
        go.Bar(
            name="预算调整 budget change",
            x=_town_year_kind(rows),
            y=rows["budget_change_yuan"],
            marker_color="#e45756",
        )
    )
    return _layout(fig, "年中预算调整（全年预算数 − 年初预算数）Mid-year change", "元", yaxis_tickformat=",.0f")


def fund_lines(rows: pd.DataFrame) -> go.Figure:
    """Initial, adjusted budget and executed amount of each fund line of one report (query report_fund_lines).

    A report's fund lines overlap (a total and its parts), so the bars are side by side, never stacked.
    """
    fig = go.Figure(
        [
            go.Bar(name=name, x=rows["fund_line_label"], y=rows[column], marker_color=colour)
            for name, column, colour in [
                ("年初预算数 initial", "initial_budget_yuan", "#bab0ac"),
                ("全年预算数 adjusted", "adjusted_budget_yuan", "#4c78a8"),
                ("全年执行数 executed", "executed_yuan", "#72b7b2"),
            ]
        ]
    )
    return _layout(fig, "资金行 Fund lines", "元", barmode="group", yaxis_tickformat=",.0f", xaxis_type="category")


def indicators_by_level1(rows: pd.DataFrame) -> go.Figure:
    """Quantitative and qualitative indicators per 一级指标 (query indicators_by_level1)."""
    fig = go.Figure(
        [
            go.Bar(
                name="定量 quantitative", x=rows["level1"], y=rows["quantitative_indicators"], marker_color="#4c78a8"
            ),
            go.Bar(name="定性 qualitative", x=rows["level1"], y=rows["qualitative_indicators"], marker_color="#bab0ac"),
            go.Bar(name="未达目标 missed", x=rows["level1"], y=rows["missed_targets"], marker_color="#e45756"),
        ]
    )
    return _layout(fig, "一级指标：定量、定性与未达目标 Indicators by group", "指标数 indicators", barmode="group")


def score_distribution(rows: pd.DataFrame) -> go.Figure:
    """得分 of every indicator, one box per 一级指标 (query indicator_scores)."""
    fig = go.Figure(
        [
            go.Box(
                name=level1,
                y=group["score"],
                boxpoints="all",
                jitter=0.4,
                pointpos=0,
                text=group["indicator_name"],
                hovertemplate="%{text}: %{y}<extra></extra>",
            )
            for level1, group in rows.groupby("level1", sort=False)
        ]
    )
    return _layout(fig, "得分分布（按一级指标）Scores by group", "得分 score", showlegend=False)


def findings_by(rows: pd.DataFrame, column: str, title: str) -> go.Figure:
    """Findings counted per value of ``column``, stacked by severity (query findings)."""
    keys = [column, "severity", "severity_label"]
    counts = rows.groupby(keys, sort=False).size().rename("findings").reset_index()
    fig = go.Figure(
        [
            go.Bar(name=label, x=part[column], y=part["findings"], marker_color=SEVERITY_COLOURS.get(severity))
            for (severity, label), part in counts.groupby(["severity", "severity_label"], sort=False)
        ]
    )
    return _layout(fig, title, "发现数 findings", barmode="stack", xaxis_type="category")
