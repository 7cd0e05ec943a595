"""The dashboard in a real browser: the served app (python -m dashboard, what make dashboard runs),
each page loaded in the system's headless Chromium, a screenshot of each in target/dashboard/,
and no error or exception anywhere on a page.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.build

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "target" / "dashboard"
CHROMIUM = Path("/usr/bin/chromium")
START_TIMEOUT = 30
PAGE_TIMEOUT_MS = 20_000
# an exception, an st.error box, or Streamlit's own dialogs (page not found, connection lost)
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"], [role="dialog"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(warehouse: Path):
    """Run ``python -m dashboard`` on a free loopback port until the block ends; yield its URL."""
    port = free_port()
    log = REPO / "target" / f"dashboard-server-{port}.log"
    log.parent.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "dashboard", "--warehouse", str(warehouse)]
    command += ["--port", str(port), "--address", "127.0.0.1"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the dashboard did not start: {log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.unlink(missing_ok=True)


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def published(sample_build, tmp_path_factory) -> Path:
    """A copy of the sample warehouse, for the server to read and a test to republish."""
    path = tmp_path_factory.mktemp("published") / "budget.duckdb"
    shutil.copyfile(sample_build.warehouse, path)
    return path


@pytest.fixture(scope="module")
def server(published):
    with served(published) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


def load(browser, url: str, name: str | None, charts: int) -> tuple[list[str], object]:
    """Open url, wait until the script has run and the charts are drawn, screenshot it (if named)."""
    page = browser.new_page(viewport={"width": 1400, "height": 2000}, locale="zh-CN")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(url, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=PAGE_TIMEOUT_MS)
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=PAGE_TIMEOUT_MS
    )
    if name:
        page.wait_for_timeout(300)  # let plotly finish drawing before the screenshot
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    problems += [f"shown on the page: {text}" for text in page.locator(ERRORS).all_inner_texts()]
    return problems, page


def test_every_page_loads_in_chromium_without_an_error(server, browser, sample_build):
    [(report_id,)] = sample_build.query(
        "select report_id from marts.dim_report where is_current order by indicator_count desc, report_id limit 1"
    )
    pages = [
        ("towns", "", 3, "镇街 × 年度"),
        ("report", f"report?report={report_id}", 1, "报告详情"),
        ("indicators", "indicators", 2, "绩效指标"),
        ("findings", "findings", 2, "一致性检查"),
    ]
    for name, path, charts, title in pages:
        problems, page = load(browser, f"{server}/{path}", name, charts)
        assert not problems, (name, problems)
        assert title in page.locator("h1").first.inner_text(), name
        if name == "towns":
            assert_budget_chart_plots_the_mart(page, sample_build)
        page.close()


def assert_budget_chart_plots_the_mart(page, sample_build) -> None:
    """What plotly.js draws (its full data) equals marts.town_year_kind_summary, bar by bar."""
    traces = json.loads(
        page.evaluate(
            "JSON.stringify(document.querySelectorAll('.js-plotly-plot')[0]._fullData"
            ".map(t => ({name: t.name, x: t.x, y: Array.from(t.y)})))"
        )
    )
    expected = {
        (f"{town} {year}", label): (float(budget), float(executed))
        for town, year, label, budget, executed in sample_build.query(
            "select s.town, s.fiscal_year, k.short_label_zh, s.budget_yuan, s.executed_yuan "
            "from marts.town_year_kind_summary s join reference.doc_kinds k using (doc_kind)"
        )
    }
    budget, executed = traces
    assert budget["name"].startswith("全年预算数") and executed["name"].startswith("全年执行数")
    for index, trace in enumerate((budget, executed)):
        bars = dict(zip(zip(*trace["x"], strict=True), trace["y"], strict=True))
        assert bars.keys() == expected.keys()
        for bar, value in bars.items():
            assert value == pytest.approx(expected[bar][index], rel=1e-12), (trace["name"], bar)


def test_a_rebuild_is_seen_without_restarting(server, browser, published, sample_build, tmp_path):
    """A new warehouse published by a rename (as the build does) shows on the next page load."""
    [(findings,)] = sample_build.query("select count(*) from marts.dq_finding where is_current")
    _, page = load(browser, f"{server}/findings", None, 2)
    assert page.get_by_test_id("stMetricValue").first.inner_text() == str(findings)
    page.close()

    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(published, rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        con.execute("delete from marts.dq_finding where finding_id = (select min(finding_id) from marts.dq_finding)")
    os.replace(rebuilt, published)
    try:
        _, page = load(browser, f"{server}/findings", None, 2)
        assert page.get_by_test_id("stMetricValue").first.inner_text() == str(findings - 1)
        page.close()
    finally:
        shutil.copyfile(sample_build.warehouse, rebuilt)
        os.replace(rebuilt, published)
