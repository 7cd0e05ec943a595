"""Indicator outcomes: missed targets, scores by 一级指标, share of quantitative indicators."""

import pandas as pd
import streamlit as st

from dashboard import charts, queries, ui

st.title("绩效指标 Indicator outcomes")
filters = ui.current_filters()
totals = queries.run("indicator_totals", filters).iloc[0]

columns = st.columns(4)
columns[0].metric("指标 indicators", int(totals["indicators"]))
columns[1].metric("定量指标 quantitative", int(totals["quantitative_indicators"]))
share = totals["quantitative_indicator_share"]
columns[2].metric("定量占比 quantitative share", "—" if pd.isna(share) else f"{share:.2%}")
columns[3].metric("未达目标 missed targets", int(totals["missed_targets"]))
if totals["unlabelled_indicators"]:
    st.caption(
        f"{int(totals['unlabelled_indicators'])} 个指标的一级指标在原文中不明确，显示为“{queries.UNLABELLED_LEVEL1}”"
        " (indicators whose 一级指标 is ambiguous in the source are shown as 未标注)."
    )

groups = queries.run("indicators_by_level1", filters)
st.plotly_chart(charts.indicators_by_level1(groups), key="indicators_by_level1")
ui.table(
    groups,
    [
        "level1",
        "indicators",
        "quantitative_indicators",
        "qualitative_indicators",
        "missed_targets",
        "weight_sum",
        "score_sum",
    ],
    key="level1_table",
)

scores = queries.run("indicator_scores", filters)
if not scores.empty:
    st.plotly_chart(charts.score_distribution(scores), key="score_distribution")

st.subheader("未达目标的定量指标 Missed quantitative targets")
missed = queries.run("missed_targets", filters)
if missed.empty:
    st.success("所选范围内没有未达目标的指标 (no missed target in the selection)")
else:
    ui.table(
        ui.with_report_link(missed),
        [
            "link",
            "town",
            "fiscal_year",
            "report",
            "level1",
            "indicator_name",
            "target_text",
            "actual_text",
            "weight",
            "score",
            "deviation_note",
        ],
        key="missed_targets",
    )
