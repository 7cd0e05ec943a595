"""Towns × years: budget, executed, execution rate and mid-year cuts (marts.town_year_kind_summary)."""

import streamlit as st

from dashboard import charts, queries, ui

st.title("镇街 × 年度 Towns × years")
st.caption(
    "部门预算按单位计一次；项目预算是部门项目支出的一部分，故按类型分列、不相加。"
    " Department budgets count once per unit; project budgets are part of them, so kinds are never added up."
)
filters = ui.current_filters()
rows = queries.run("town_years", filters)

left, middle, right = st.columns(3)
left.metric("镇街年度 town-years", rows[["town", "fiscal_year"]].drop_duplicates().shape[0])
middle.metric("报告 reports", int(rows["reports"].sum()))
right.metric("调减超20%的报告 cut > 20%", int(rows["reports_with_mid_year_cut"].sum()))

if rows.empty:
    st.info("所选范围内没有报告 (no report in the selection)")
    st.stop()

st.plotly_chart(charts.budget_execution(rows), key="budget_execution")
st.plotly_chart(charts.execution_rate(rows), key="execution_rate")
ui.table(
    rows,
    [
        "town",
        "fiscal_year",
        "doc_kind_label",
        "reports",
        "reports_with_budget",
        "budget_yuan",
        "executed_yuan",
        "execution_rate_pct",
        "initial_budget_yuan",
        "budget_change_yuan",
        "reports_with_budget_reduced",
        "reports_with_mid_year_cut",
    ],
    key="town_years",
)

st.subheader("年中调减 Mid-year cuts")
st.plotly_chart(charts.budget_change(rows), key="budget_change")
cuts = queries.run("mid_year_cuts", filters)
st.caption(
    "全年预算数比年初预算数减少超过 20% 的报告（规则 B4）。Reports whose budget was cut by more than 20% (rule B4)."
)
ui.table(
    ui.with_report_link(cuts),
    ["link", "town", "fiscal_year", "report", "subject", "message_zh", "source_file"],
    key="mid_year_cuts",
)
