"""make soak: repeated builds of a changing corpus, killed at random moments, while readers query.

    python -m bench.soak --rounds 100 [--readers 3] [--seed 1] [--work target/soak]

Each round changes the corpus (a revised report, a removed one, an amount edited in place, a bad
file added or taken away), starts a build and either lets it finish or kills it with SIGKILL at a
random moment of its expected run time. Read-only readers in other processes query the published
warehouse without pause the whole time. After every round the published file must open, and its
own run in ops.build_runs must match it: the run's row counts equal the tables' counts; a file
published by a build must be that build's; at the end, every build that published is recorded as
published in the run log. Prints rounds, kills, reader queries, reader errors and damaged files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.build import MART_COUNTS
from pipeline.paths import WarehousePaths

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT / "data" / "reports"
DEFAULT_WORK = PROJECT / "target" / "soak"
DEFAULT_READERS = 3
DEFAULT_KILL_CHANCE = 0.5
DEFAULT_MAX_SECONDS = 4 * 3600  # bounded in time as well as in rounds
READER_QUERIES = (
    "select count(*) from marts.dim_report where is_current",
    "select sum(budget_yuan), sum(fund_lines) from marts.town_year_summary",
    "select count(*), max(run_id) from ops.build_runs",
)
# printed in the prose report 004 as 17636.00 万元: edited in place (to another amount each time) to change the corpus
AMOUNT_RE = re.compile(r"1[78]\d{3}\.00 万元")


@dataclass
class SoakResult:
    readers: int = 0
    rounds: int = 0
    kills: int = 0
    finished: int = 0
    exit_codes: dict[int, int] = field(default_factory=dict)
    published_checked: int = 0
    damaged: list[str] = field(default_factory=list)
    reader_queries: int = 0
    reader_errors: int = 0
    reader_error_examples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        codes = ", ".join(f"{n}× {code}" for code, n in sorted(self.exit_codes.items()))
        return [
            f"rounds            {self.rounds} ({self.kills} killed with SIGKILL, {self.finished} finished: {codes})",
            f"reader queries    {self.reader_queries} (read-only, from {self.readers} processes, without pause)",
            f"reader errors     {self.reader_errors}",
            f"published files   {self.published_checked} checked after each round: "
            f"{len(self.damaged)} damaged or not matching their run log",
            f"time              {self.seconds:.0f} s",
        ]


def _reader(warehouse: str, stop, queries, errors, examples) -> None:
    """Query the published warehouse read-only, a new connection each time, until told to stop."""
    while not stop.is_set():
        try:
            with duckdb.connect(warehouse, read_only=True) as con:
                for sql in READER_QUERIES:
                    con.execute(sql).fetchall()
            with queries.get_lock():
                queries.value += len(READER_QUERIES)
        except Exception as error:  # every failure counts: a reader must never see a broken warehouse
            with errors.get_lock():
                errors.value += 1
            examples.put(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_published(warehouse: Path) -> tuple[str | None, str | None]:
    """(run id the published file records as its own, problem or None)."""
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            columns = ", ".join(f"{mart}_rows" for mart in MART_COUNTS)
            own = con.execute(
                f"select run_id, {columns} from ops.build_runs where status = 'published' "
                "order by started_at desc limit 1"
            ).fetchone()
            if own is None:
                return None, "no published run in ops.build_runs"
            actual = [con.execute(f"select count(*) from marts.{mart}").fetchone()[0] for mart in MART_COUNTS]
    except duckdb.Error as error:
        return None, f"cannot be read: {str(error).splitlines()[0]}"
    if list(own[1:]) != actual:
        return own[0], f"run {own[0]} records {list(own[1:])} rows, the file holds {actual}"
    return own[0], None


def change_corpus(reports: Path, rng: random.Random, round_no: int) -> str:
    """One change a shared folder sees between two nightly builds."""
    revisions = sorted(reports.glob("rev_*.txt"))
    choice = rng.choice(["revise", "remove", "edit", "bad", "none"])
    if choice == "remove" and revisions:
        rng.choice(revisions).unlink()
        return "removed a revision"
    if choice == "edit":
        path = reports / "004_0d66015b16f43f2b.txt"
        text = path.read_text(encoding="utf-8")
        amount = f"{rng.randint(17000, 18000)}.00 万元"
        path.write_text(AMOUNT_RE.sub(amount, text, count=1), encoding="utf-8")
        return "edited an amount in place"
    if choice == "bad":
        bad = reports / "bad.txt"
        if bad.exists():
            bad.unlink()
            return "removed a bad file"
        bad.write_bytes(b"")
        return "added an empty file"
    if choice == "none":
        return "no change"
    sample = rng.choice(sorted(SAMPLES.glob("*.txt")))
    text = sample.read_text(encoding="utf-8").replace("100.00", f"{rng.randint(90, 99)}.00", 1)
    (reports / f"rev_{round_no:04d}.txt").write_text(text, encoding="utf-8")
    return "added a revision"


def _build(reports: Path, warehouse: Path, log) -> subprocess.Popen:
    command = [sys.executable, "-m", "pipeline", "build", "--wait", "--reports", str(reports)]
    return subprocess.Popen(
        [*command, "--warehouse", str(warehouse)], cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT
    )


def _last_status(warehouse: Path) -> str | None:
    """Status of the last build in the warehouse's run log (published, unchanged, failed …)."""
    run_log = WarehousePaths.for_warehouse(warehouse).run_log
    lines = run_log.read_text(encoding="utf-8").splitlines() if run_log.exists() else []
    return json.loads(lines[-1]).get("status") if lines else None


def soak(
    rounds: int,
    work: Path,
    readers: int = DEFAULT_READERS,
    seed: int = 1,
    kill_chance: float = DEFAULT_KILL_CHANCE,
    max_seconds: float = DEFAULT_MAX_SECONDS,
    say=print,
    plan: list[bool] | None = None,
) -> SoakResult:
    """Soak the build; ``plan`` (kill or not, per round) replaces the random choice, for tests."""
    shutil.rmtree(work, ignore_errors=True)
    reports, warehouse = work / "reports", work / "warehouse" / "budget.duckdb"
    shutil.copytree(SAMPLES, reports)
    rng = random.Random(seed)
    result = SoakResult(readers=readers)
    started = time.monotonic()
    log = open(work / "builds.log", "ab")  # noqa: SIM115 - closed below
    first = _build(reports, warehouse, log)
    if first.wait() not in (0, 3):
        raise RuntimeError(f"the first build failed: see {work / 'builds.log'}")
    durations = [time.monotonic() - started]

    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    queries, errors = context.Value("q", 0), context.Value("q", 0)
    examples = context.Queue()
    processes = [
        context.Process(target=_reader, args=(str(warehouse), stop, queries, errors, examples), daemon=True)
        for _ in range(readers)
    ]
    for process in processes:
        process.start()
    published_runs: set[str] = set()
    try:
        for round_no in range(1, rounds + 1):
            if time.monotonic() - started > max_seconds:
                break
            change = change_corpus(reports, rng, round_no)
            before = digest(warehouse)
            kill = plan[round_no - 1] if plan else rng.random() < kill_chance
            # a random moment of the build's run time (with a plan: surely before its end)
            at = rng.uniform(0.2, 0.8) * durations[0] if plan else rng.uniform(0, 1.2 * max(durations))
            begun = time.monotonic()
            build = _build(reports, warehouse, log)
            outcome = "finished"
            if kill:
                try:
                    build.wait(timeout=at)
                except subprocess.TimeoutExpired:
                    build.send_signal(signal.SIGKILL)
                    outcome = f"killed after {at:.1f} s"
            code = build.wait()
            if outcome == "finished":
                durations.append(time.monotonic() - begun)
                result.finished += 1
                result.exit_codes[code] = result.exit_codes.get(code, 0) + 1
            else:
                result.kills += 1
            result.rounds += 1
            own, problem = check_published(warehouse)
            result.published_checked += 1
            if own is not None and digest(warehouse) != before:
                published_runs.add(own)
            published_anew = _last_status(warehouse) != "unchanged"  # with nothing changed, the file stays
            finished_ok = problem is None and outcome == "finished" and code in (0, 3)
            if finished_ok and published_anew and digest(warehouse) == before:
                problem = "a finished build left the published file as it was"
            if problem:
                result.damaged.append(f"round {round_no}: {problem}")
            say(f"round {round_no}: {change}; build {outcome} (exit {code}); " + (problem or "published file ok"))
        # the run log of the last published file records every build that published as published
        if result.rounds and outcome != "finished":
            _build(reports, warehouse, log).wait()  # one more build writes the killed rounds into it
        with duckdb.connect(str(warehouse), read_only=True) as con:
            statuses = dict(con.execute("select run_id, status from ops.build_runs").fetchall())
        for run_id in sorted(published_runs):
            if statuses.get(run_id) != "published":
                result.damaged.append(f"run {run_id} published a file but the run log says {statuses.get(run_id)}")
    finally:
        stop.set()
        for process in processes:
            process.join(timeout=30)
        log.close()
    result.reader_queries, result.reader_errors = queries.value, errors.value
    while not examples.empty() and len(result.reader_error_examples) < 5:
        result.reader_error_examples.append(examples.get())
    result.seconds = time.monotonic() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--readers", type=int, default=DEFAULT_READERS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kill-chance", type=float, default=DEFAULT_KILL_CHANCE)
    parser.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK)
    args = parser.parse_args(argv)
    result = soak(args.rounds, args.work, args.readers, args.seed, args.kill_chance, args.max_seconds)
    print("\n".join(result.lines()))
    for line in result.damaged + result.reader_error_examples:
        print("  " + line)
    return 0 if not result.damaged and not result.reader_errors else 1


if __name__ == "__main__":
    sys.exit(main())
