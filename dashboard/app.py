"""Entry point of the dashboard (``streamlit run dashboard/app.py``): filters and page router."""

import streamlit as st

from dashboard import queries, ui

PAGES = [
    st.Page("views/town_years.py", title="镇街 × 年度 Towns × years", default=True),
    st.Page("views/report.py", title="报告详情 Report", url_path=ui.REPORT_PAGE),
    st.Page("views/indicators.py", title="绩效指标 Indicators", url_path="indicators"),
    st.Page("views/findings.py", title="一致性检查 Findings", url_path="findings"),
]


def render() -> None:
    options = queries.run("filter_options")
    if options.empty:
        st.info("数据仓库中没有报告（the warehouse holds no current report）")
        return
    ui.sidebar_filters(options)
    build = queries.run("last_build")
    built = (
        f"，构建于 built {build.at[0, 'finished_at']:%Y-%m-%d %H:%M}（run {build.at[0, 'run_id']}）"
        if len(build)
        else ""
    )
    st.sidebar.caption(f"数据仓库 warehouse: `{queries.warehouse_path()}`{built}")
    st.navigation(PAGES).run()


st.set_page_config(page_title="预算绩效自评 Budget performance", page_icon="📊", layout="wide")
try:
    with queries.request():  # one read-only connection for this page load
        render()
except queries.WarehouseMissing as missing:
    st.error(str(missing))
