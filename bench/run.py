"""The benchmark behind ``make bench``: build generated corpora of several sizes and show where the time goes.

For each size it generates a corpus (kept under the work folder, not timed),
runs the real build from scratch (report files in the page cache) while
sampling the memory of its processes, and reports per stage the wall seconds,
the peak memory and the ratio to a floor measured in the same run:

    read and parse   floor: reading every report file's bytes
    seed load        floor: DuckDB's own read_csv of the same seed files
    dbt build        floor: the models' compiled SQL run straight in DuckDB
    expectations     floor: fetching the check tables into pandas (through Arrow)
    publish          (a rename: no floor)

then a rebuild with nothing changed (wall time, Python's start-up included),
incremental builds with 1% of the files changed (three, each of other files and
on top of the one before, as nightly rebuilds follow one another: the median is
reported, with each run), the latency of five analyst queries, and the
round-trip accuracy against the corpus's truth files.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from bench.accuracy import round_trip
from bench.corpus import DEFAULT_SEED, REPORTS_DIR, TRUTH_DIR, generate
from ingest.decoding import decode
from ingest.rows import COLUMNS, TABLES
from ingest.service import discover
from pipeline.paths import WarehousePaths

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_WORK = REPO / "target" / "bench"
SAMPLE_SECONDS = 0.05
CHANGED_SHARE = 0.01
REBUILD_ROUNDS = 3  # 1% rebuilds in a row: one rebuild varies by up to 20% on this machine
EDITABLE_DIGITS = "012345678"  # raised by one in a changed file (bench: 1% changed)
QUERY_RUNS = 5
QUERIES = {
    "execution rate by town and year": (
        "select district, town, fiscal_year, execution_rate_pct from marts.town_year_summary order by all"
    ),
    "missed targets in one district": (
        "select town, fiscal_year, indicator_name, target_text, actual_text from marts.fct_indicator_outcome "
        "where is_current and target_met = false and district = '浦东新区' order by town, fiscal_year"
    ),
    "projects cut by more than 20%": (
        "select town, fiscal_year, project_name, budget_change_yuan from marts.fct_budget_execution "
        "where is_current and fund_line = 'total' and budget_change_yuan < -0.2 * initial_budget_yuan "
        "order by budget_change_yuan limit 100"
    ),
    "findings by rule and severity": (
        "select rule_id, severity, count(*) from marts.dq_finding group by all order by all"
    ),
    "average project score by district and year": (
        "select district, fiscal_year, avg(total_score) from marts.dim_report "
        "where is_current and doc_kind = 'project_table' group by all order by all"
    ),
}


class MemorySampler(threading.Thread):
    """Samples the resident memory of a process and all its descendants."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, int]] = []  # (time, kilobytes)
        self._done = threading.Event()

    def _tree_rss_kb(self) -> int:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    with open(f"/proc/{entry.name}/stat", "rb") as f:
                        ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                children.setdefault(ppid, []).append(int(entry.name))
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            todo.extend(children.get(pid, []))
            try:
                with open(f"/proc/{pid}/status") as f:
                    total += next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
            except OSError:
                pass
        return total

    def run(self) -> None:
        while not self._done.is_set():
            self.samples.append((time.time(), self._tree_rss_kb()))
            time.sleep(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def peak_mb(self, start: float = 0, end: float = float("inf")) -> float:
        window = [kb for t, kb in self.samples if start <= t <= end]
        return round(max(window, default=0) / 1024, 1)


@dataclass
class Measured:
    seconds: float
    peak_mb: float | None = None


@dataclass
class Stage:
    name: str
    measured: Measured
    floor_name: str | None = None
    floor: Measured | None = None

    @property
    def ratio(self) -> float | None:
        if self.floor is None or not self.floor.seconds:
            return None
        return self.measured.seconds / self.floor.seconds


@dataclass
class SizeResult:
    reports: int
    files: int = 0
    indicators: int = 0
    generate_seconds: float = 0
    stages: list[Stage] = field(default_factory=list)
    total: Measured | None = None
    unchanged: Measured | None = None  # a rebuild that finds nothing changed: wall seconds of the whole command
    incremental: Measured | None = None  # the median of the 1% rebuilds, and the peak memory of all
    incremental_runs: list[float] = field(default_factory=list)  # each 1% rebuild's seconds, in order
    incremental_stages: dict[str, float] = field(default_factory=dict)  # of the median rebuild
    queries_ms: dict[str, float] = field(default_factory=dict)
    accuracy: float | None = None
    accuracy_fields: int = 0
    accuracy_examples: list = field(default_factory=list)


def _timestamp(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _build(corpus: Path, warehouse: Path, *args: str, status: str = "published") -> tuple[dict, MemorySampler]:
    command = [sys.executable, "-m", "pipeline", "build", "--reports", str(corpus), "--warehouse", str(warehouse)]
    process = subprocess.Popen([*command, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = MemorySampler(process.pid)
    sampler.start()
    out, err = process.communicate()
    sampler.stop()
    summary = json.loads(out.strip().splitlines()[-1])
    if summary["status"] != status:
        raise RuntimeError(f"the benchmark build failed: {summary['message']}\n{err[-2000:]}")
    return summary, sampler


def _node_windows(run_results: Path) -> dict[str, tuple[float, float]]:
    """unique_id -> (start, end) of each dbt node's execution."""
    windows = {}
    for result in json.loads(run_results.read_text(encoding="utf-8"))["results"]:
        execute = next((t for t in result["timing"] if t["name"] == "execute"), None)
        if execute and execute.get("started_at"):
            windows[result["unique_id"]] = (_timestamp(execute["started_at"]), _timestamp(execute["completed_at"]))
    return windows


def _in_subprocess(code: str, *args: str) -> Measured:
    """Run a floor program in its own process: the seconds it reports for its work (imports and
    start-up excluded), and the peak memory of the process."""
    process = subprocess.Popen([sys.executable, "-c", code, *args], cwd=REPO, stdout=subprocess.PIPE, text=True)
    sampler = MemorySampler(process.pid)
    sampler.start()
    out, _ = process.communicate()
    sampler.stop()
    if process.returncode != 0:
        raise RuntimeError(f"benchmark floor failed: {code[:80]}")
    return Measured(float(out.strip().splitlines()[-1]), sampler.peak_mb())


TIMER = "import time\nstarted = time.perf_counter()\n"
ELAPSED = "\nprint(time.perf_counter() - started)\n"

READ_FLOOR = (
    """
import sys
from pathlib import Path
from ingest.service import discover
root = Path(sys.argv[1])
"""
    + TIMER
    + """
total = sum(len((root / name).read_bytes()) for name in discover(root))
"""
    + ELAPSED
)

LOAD_FLOOR = (
    """
import json, sys
import duckdb
seeds, database, columns = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
"""
    + TIMER
    + """
with duckdb.connect(database) as con:
    con.execute("create schema if not exists raw")
    for table, types in columns.items():
        spec = ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in types)
        con.execute(f"create table raw.{table} as select * from read_csv(?, header = true, "
                    f"auto_detect = false, columns = {{{spec}}})", [f"{seeds}/{table}.csv"])
"""
    + ELAPSED
)

MODELS_FLOOR = (
    """
import json, sys
import duckdb
database, manifest, built = sys.argv[1], json.loads(open(sys.argv[2]).read()), sys.argv[3]
nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
done, order = set(), []
def visit(key):
    if key in done or key not in nodes:
        return
    done.add(key)
    for parent in nodes[key]["depends_on"]["nodes"]:
        visit(parent)
    order.append(key)
for key in nodes:
    visit(key)
"""
    + TIMER
    + """
with duckdb.connect(database) as con:
    con.execute("attach ? as built (read_only)", [built])
    con.execute("create schema if not exists reference")
    for (name,) in con.execute("select table_name from duckdb_tables() "
                               "where database_name = 'built' and schema_name = 'reference'").fetchall():
        con.execute(f"create table reference.{name} as select * from built.reference.{name}")
    for key in order:
        node = nodes[key]
        schema, alias = node["schema"], node["alias"]
        con.execute(f"create schema if not exists {schema}")
        if node["language"] == "python":  # the expectations: measured on their own
            con.execute(f"create table {schema}.{alias} as select * from built.{schema}.{alias}")
            continue
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        con.execute(f"create or replace {kind} {schema}.{alias} as {node['compiled_code']}")
"""
    + ELAPSED
)

FETCH_FLOOR = (
    """
import json, sys
import duckdb
import pandas
"""
    + TIMER
    + """
with duckdb.connect(sys.argv[1], read_only=True) as con:
    frames = [con.sql(query).to_arrow_table().to_pandas() for query in json.loads(sys.argv[2])]
"""
    + ELAPSED
)


def _check_queries(warehouse: Path) -> list[str]:
    """What the expectations stage reads into pandas: per check table, the columns its checks use
    (quality.runner.columns_to_fetch and projection, as int_expectation_failures selects them)."""
    from quality.runner import columns_to_fetch, projection  # loads Great Expectations: once, outside every timing

    queries = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        wanted = columns_to_fetch(con.sql("select * from staging.stg_reference__dq_rules").df())
        for table, needed in wanted.items():
            columns = projection(con.table(f"intermediate.{table}"), needed)
            queries.append(f"select {columns} from intermediate.{table}")
    return queries


def _edit(text: str) -> str:
    """The file's last digit below 9 raised by one: a printed number (most often a score or an amount
    near the end of a table) changes, as when a report is corrected and published again."""
    for i in range(len(text) - 1, -1, -1):
        if text[i] in EDITABLE_DIGITS:
            return text[:i] + str(int(text[i]) + 1) + text[i + 1 :]
    return text + "\n"


def _touch_share(corpus: Path, share: float, offset: int = 0) -> dict[Path, bytes]:
    """Change the content of a share of the files (a number edited, in the file's own encoding), so
    that their parsed rows change; returns their original bytes, to put back afterwards. Each
    ``offset`` below 1 / share chooses other files."""
    files = discover(corpus)
    step = max(1, round(1 / share))
    originals = {}
    for name in files[offset::step]:
        path = corpus / name
        originals[path] = data = path.read_bytes()
        decoded = decode(data)
        path.write_bytes(_edit(decoded.text).encode(decoded.encoding))
    return originals


def _queries(warehouse: Path) -> dict[str, float]:
    timings = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name, sql in QUERIES.items():
            runs = []
            for _ in range(QUERY_RUNS):
                started = time.perf_counter()
                con.execute(sql).fetchall()
                runs.append((time.perf_counter() - started) * 1000)
            timings[name] = round(statistics.median(runs), 1)
    return timings


def _warm_page_cache(reports: Path) -> None:
    """Read every report file once, untimed, so that the build and its read floor both find the files
    in the page cache: a corpus read cold from disk measured the disk (about 1 ms a file here), not the parser."""
    for path in reports.rglob("*"):
        if path.is_file():
            path.read_bytes()


def _corpus(reports: int, work: Path, seed: int, result: SizeResult) -> tuple[Path, Path]:
    """The generated corpus of this size (reports and truth folders), generated unless kept from a previous run."""
    folder = work / f"corpus-{reports}-{seed}"
    corpus, truth = folder / REPORTS_DIR, folder / TRUTH_DIR
    if not (folder / ".complete").exists() or not corpus.is_dir():  # (or written in an older layout)
        shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        generate(reports, folder, seed)
        (folder / ".complete").touch()
        result.generate_seconds = round(time.perf_counter() - started, 1)
    return corpus, truth


def _full_build(corpus: Path, run: Path, result: SizeResult) -> None:
    """Build from scratch and measure each stage against its floor."""
    warehouse = run / "budget.duckdb"
    paths = WarehousePaths.for_warehouse(warehouse)
    summary, sampler = _build(corpus, warehouse, "--keep-work")
    result.files, result.indicators = summary["files_total"], summary["indicators"]
    seconds = summary["stage_seconds"]
    start = _timestamp(summary["started_at"])
    windows = {}
    for stage in ("plan", "ingest", "dbt", "record", "publish"):
        windows[stage] = (start, start + seconds.get(stage, 0))
        start += seconds.get(stage, 0)
    nodes = _node_windows(paths.dbt_target / "run_results.json")
    seed_nodes = [w for k, w in nodes.items() if k.startswith("seed.")]
    seeds = (min(s for s, _ in seed_nodes), max(e for _, e in seed_nodes))
    checks = next(w for k, w in nodes.items() if k.endswith(".int_expectation_failures"))
    dbt_rest = seconds["dbt"] - (seeds[1] - seeds[0]) - (checks[1] - checks[0])

    print(f"[{result.reports} reports] floors …", flush=True)
    read_floor = _in_subprocess(READ_FLOOR, str(corpus))
    floor_db = run / "floor" / "budget.duckdb"
    floor_db.parent.mkdir()
    columns = json.dumps({table: COLUMNS[table] for table in TABLES})
    load_floor = _in_subprocess(LOAD_FLOOR, str(paths.work_seeds), str(floor_db), columns)
    models_floor = _in_subprocess(MODELS_FLOOR, str(floor_db), str(paths.dbt_target / "manifest.json"), str(warehouse))
    fetch_floor = _in_subprocess(FETCH_FLOOR, str(warehouse), json.dumps(_check_queries(warehouse)))

    parse_mb = sampler.peak_mb(windows["plan"][0], windows["ingest"][1])
    parse = Measured(seconds.get("plan", 0) + seconds["ingest"], parse_mb)
    publish_mb = sampler.peak_mb(windows["record"][0], windows["publish"][1])
    publish = Measured(seconds["record"] + seconds["publish"], publish_mb)
    result.stages = [
        Stage("read and parse", parse, "reading the files", read_floor),
        Stage("seed load", Measured(seeds[1] - seeds[0], sampler.peak_mb(*seeds)), "DuckDB read_csv", load_floor),
        Stage(
            "dbt build (rest)",
            Measured(dbt_rest, sampler.peak_mb(*windows["dbt"])),
            "models' SQL in DuckDB",
            models_floor,
        ),
        Stage(
            "expectations",
            Measured(checks[1] - checks[0], sampler.peak_mb(*checks)),
            "check tables to pandas",
            fetch_floor,
        ),
        Stage("publish", publish),
    ]
    result.total = Measured(summary["total_seconds"], sampler.peak_mb())
    shutil.rmtree(paths.work, ignore_errors=True)


def _rebuilds(corpus: Path, warehouse: Path, result: SizeResult) -> None:
    """Rebuild with nothing changed, then REBUILD_ROUNDS times with another 1% of the files changed, each
    on top of the rebuild before (the corpus put back after)."""
    print(f"[{result.reports} reports] rebuild with nothing changed …", flush=True)
    started = time.perf_counter()
    _, sampler = _build(corpus, warehouse, status="unchanged")
    result.unchanged = Measured(time.perf_counter() - started, sampler.peak_mb())

    originals: dict[Path, bytes] = {}
    runs = []  # (the build's summary, its peak MB)
    try:
        for round_ in range(REBUILD_ROUNDS):
            print(
                f"[{result.reports} reports] incremental build {round_ + 1}/{REBUILD_ROUNDS}, "
                f"{CHANGED_SHARE:.0%} of the files changed …",
                flush=True,
            )
            changed = _touch_share(corpus, CHANGED_SHARE, offset=round_)
            originals.update(changed)
            summary, sampler = _build(corpus, warehouse)
            assert summary["files_parsed"] == len(changed) and summary["files_skipped"] == 0, summary
            runs.append((summary, sampler.peak_mb()))
    finally:
        for path, data in originals.items():  # the corpus is kept for the next run: leave it as it was
            path.write_bytes(data)
    median, _ = sorted(runs, key=lambda run: run[0]["total_seconds"])[len(runs) // 2]
    result.incremental = Measured(median["total_seconds"], max(peak for _, peak in runs))
    result.incremental_runs = [summary["total_seconds"] for summary, _ in runs]
    result.incremental_stages = {k: v for k, v in median["stage_seconds"].items() if not k.startswith("dbt_")}


def bench_size(reports: int, work: Path, seed: int) -> SizeResult:
    result = SizeResult(reports)
    corpus, truth = _corpus(reports, work, seed, result)
    run = work / f"run-{reports}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    warehouse = run / "budget.duckdb"

    _warm_page_cache(corpus)
    print(f"[{reports} reports] full build …", flush=True)
    _full_build(corpus, run, result)
    result.queries_ms = _queries(warehouse)
    print(f"[{reports} reports] round-trip accuracy …", flush=True)
    accuracy = round_trip(warehouse, truth, run / "truth")
    result.accuracy, result.accuracy_fields, result.accuracy_examples = (
        accuracy.share,
        accuracy.compared,
        accuracy.examples,
    )
    _rebuilds(corpus, warehouse, result)
    return result


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def render(results: list[SizeResult]) -> str:
    lines = []
    for r in results:
        lines += [
            f"### {r.reports:,} reports ({r.files:,} files, {r.indicators:,} indicator rows)",
            "",
            "| stage | seconds | peak MB | floor | floor s | floor MB | ratio |",
            "|---|---:|---:|---|---:|---:|---:|",
        ]
        for s in r.stages:
            lines.append(
                f"| {s.name} | {_fmt(s.measured.seconds)} | {_fmt(s.measured.peak_mb, 0)} | {s.floor_name or '–'} "
                f"| {_fmt(s.floor.seconds if s.floor else None)} | {_fmt(s.floor.peak_mb if s.floor else None, 0)} "
                f"| {_fmt(s.ratio)} |"
            )
        lines += [
            f"| **total** | **{_fmt(r.total.seconds)}** | **{_fmt(r.total.peak_mb, 0)}** | | | | |",
            "",
            f"{r.reports / r.total.seconds:,.0f} reports/s; rebuild with nothing changed: "
            f"{_fmt(r.unchanged.seconds, 2)} s (the whole command); "
            f"incremental build with {CHANGED_SHARE:.0%} of the files changed: {_fmt(r.incremental.seconds)} s "
            f"(the median of {', '.join(_fmt(s) for s in r.incremental_runs)} s; "
            + ", ".join(f"{k} {v:.1f}" for k, v in r.incremental_stages.items())
            + f"); round-trip accuracy {r.accuracy:.4%} of {r.accuracy_fields:,} fields.",
            "",
            "| analyst query | median ms |",
            "|---|---:|",
            *(f"| {name} | {ms} |" for name, ms in r.queries_ms.items()),
            "",
        ]
    if len(results) > 1:
        lines += [
            "| reports | total s | ms per report | unchanged s | incremental s (median) | peak MB | accuracy |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results:
            lines.append(
                f"| {r.reports:,} | {_fmt(r.total.seconds)} | {_fmt(1000 * r.total.seconds / r.reports, 2)} "
                f"| {_fmt(r.unchanged.seconds, 2)} | {_fmt(r.incremental.seconds)} | {_fmt(r.total.peak_mb, 0)} "
                f"| {r.accuracy:.4%} |"
            )
    return "\n".join(lines) + "\n"


def run(sizes: list[int], work: Path = DEFAULT_WORK, seed: int = DEFAULT_SEED) -> list[SizeResult]:
    work.mkdir(parents=True, exist_ok=True)
    results = [bench_size(n, work, seed) for n in sizes]
    table = render(results)
    from bench import pdf  # the PDF stage and the published formats' accuracy

    table += pdf.report()
    print(table)
    (work / "results.md").write_text(table, encoding="utf-8")
    (work / "results.json").write_text(
        json.dumps([r.__dict__ for r in results], default=lambda o: o.__dict__, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print(f"written to {work / 'results.md'} and results.json")
    return results
