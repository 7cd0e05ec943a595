"""One report: its fund lines, indicators and findings, and where it was read from."""

import pandas as pd
import streamlit as st

from dashboard import charts, queries, ui

st.title("报告详情 Report")
options = queries.run("report_options", ui.current_filters())
labels = dict(zip(options["report_id"], options["label"], strict=True))
linked = st.query_params.get(ui.REPORT_PARAM)
if linked and linked not in labels:
    # a link from another page may name a report outside the current filters
    linked_rows = queries.run("report", report_id=linked)
    if not linked_rows.empty:
        labels[linked] = f"{linked_rows.at[0, 'town']} · {linked_rows.at[0, 'fiscal_year']} · " + str(
            linked_rows.at[0, "project_name"] or linked_rows.at[0, "unit_name"]
        )
if not labels:
    st.info("所选范围内没有报告 (no report in the selection)")
    st.stop()

ids = list(labels)
report_id = st.selectbox(
    "报告 Report", ids, index=ids.index(linked) if linked in labels else 0, format_func=labels.get, key="report_pick"
)
st.query_params[ui.REPORT_PARAM] = report_id

report = queries.run("report", report_id=report_id).iloc[0]
st.subheader(report["project_name"] or report["unit_name"])
st.markdown(
    f"**{report['doc_kind_label']}** · {report['town']} · {report['fiscal_year']} 年度 · "
    f"单位 unit：{report['unit_name']}" + ("" if report["is_current"] else " · 已被新版本取代 superseded")
)
st.markdown(f"源文件 source file：`{report['source_file']}`（原文单位 printed unit：{report['amount_unit']}）")

columns = st.columns(4)
columns[0].metric("总分 total score", "—" if pd.isna(report["total_score"]) else report["total_score"])
columns[1].metric("评分等级 grade", report["grade"] or "—")
columns[2].metric("指标 indicators", int(report["indicator_count"]))
columns[3].metric(
    "发现 findings (error / warning / info)",
    f"{report['error_findings']} / {report['warning_findings']} / {report['info_findings']}",
)

st.subheader("预算执行 Fund lines")
lines = queries.run("report_fund_lines", report_id=report_id)
if not lines.empty:
    st.plotly_chart(charts.fund_lines(lines), key="fund_lines")
ui.table(
    lines,
    [
        "fund_line_label",
        "initial_budget_yuan",
        "adjusted_budget_yuan",
        "executed_yuan",
        "budget_change_yuan",
        "execution_rate_reported_pct",
        "execution_rate_computed_pct",
        "page",
        "line_no",
    ],
    key="fund_lines",
)

st.subheader("绩效指标 Indicators")
ui.table(
    queries.run("report_indicators", report_id=report_id),
    [
        "indicator_seq",
        "level1",
        "level2",
        "indicator_name",
        "target_text",
        "actual_text",
        "target_met",
        "weight",
        "score",
        "points_deducted",
        "deviation_note",
        "page",
        "line_no",
    ],
    key="indicators",
)
st.caption(
    f"页码、行号指源文件 `{report['source_file']}` 中的页与行；页码仅 PDF 有 "
    "(page and line of the source file; pages only for PDF)."
)

st.subheader("一致性检查发现 Findings")
findings = queries.run("report_findings", report_id=report_id)
if findings.empty:
    st.success("无发现 (no findings)")
else:
    ui.table(
        findings, ["severity", "rule_id", "subject", "observed", "expected", "difference", "message_zh"], key="findings"
    )
