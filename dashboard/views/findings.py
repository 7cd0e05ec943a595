"""Consistency findings by rule, severity and town, each linking to its report (marts.dq_finding)."""

import streamlit as st

from dashboard import charts, queries, ui

st.title("一致性检查 Consistency findings")
st.caption(
    "已发布的自评报告中确有算术错误：这些是发现，不是构建失败。"
    " Published reports contain real arithmetic errors: these are findings, not build failures."
)
findings = queries.run("findings", ui.current_filters())

severities = queries.run("severities")
columns = st.columns(len(severities) + 1)
columns[0].metric("发现 findings", len(findings))
for column, severity, label in zip(columns[1:], severities["severity"], severities["severity_label"], strict=True):
    column.metric(label, int((findings["severity"] == severity).sum()))

if findings.empty:
    st.success("所选范围内没有发现 (no findings in the selection)")
    st.stop()

left, right = st.columns(2)
with left:
    st.plotly_chart(charts.findings_by(findings, "rule_id", "按规则 By rule"), key="findings_by_rule")
with right:
    st.plotly_chart(charts.findings_by(findings, "town", "按镇街 By town"), key="findings_by_town")

ui.table(
    ui.with_report_link(findings),
    ["link", "severity", "rule_id", "town", "fiscal_year", "report", "message_zh", "rule_zh", "source_file"],
    key="findings_table",
)
