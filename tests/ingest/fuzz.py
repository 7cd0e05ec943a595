"""make fuzz: run the parser property on mutated sample reports for as long as asked.

    python -m tests.ingest.fuzz --seconds 600

Each round runs hypothesis with a fresh random seed. A failing example (a property
violation or any exception other than DocumentRejected) is shrunk by hypothesis and
saved as tests/fixtures/fuzz/<hash>.bin with a .txt note beside it, which
tests/ingest/test_fuzz.py replays from then on. Prints the examples run and failures found.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
import traceback

from hypothesis import HealthCheck, given, seed, settings

from tests.ingest.fuzzing import CASES, REGRESSIONS, Case, run_case

ROUND_EXAMPLES = 500


class Failure(AssertionError):
    pass


def fuzz(seconds: float) -> tuple[int, list[str]]:
    """(examples run, saved fixtures) after fuzzing for ``seconds``."""
    examples = 0
    saved: list[str] = []
    deadline = time.monotonic() + seconds
    last: dict[str, object] = {}  # the latest failing example: after shrinking, the smallest
    while time.monotonic() < deadline:
        last.clear()

        @seed(random.getrandbits(64))
        @settings(max_examples=ROUND_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(CASES)
        def round_(case: Case) -> None:
            nonlocal examples
            examples += 1
            if time.monotonic() > deadline + 60:  # shrinking may run past the deadline, not forever
                return
            data = case.data()
            try:
                outcome = run_case(data)
            except Exception as error:
                last.update(case=case, data=data, why=f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
                raise
            if outcome.problems:
                last.update(case=case, data=data, why="\n".join(outcome.problems))
                raise Failure(outcome.problems[0])

        try:
            round_()
        except Exception:
            if "data" not in last:
                raise
            saved.append(save(last["data"], last["case"], last["why"]))
    return examples, saved


def save(data: bytes, case: Case, why: str) -> str:
    REGRESSIONS.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(data).hexdigest()[:16]
    (REGRESSIONS / f"{name}.bin").write_bytes(data)
    (REGRESSIONS / f"{name}.txt").write_text(f"{case!r}\n\n{why}\n", encoding="utf-8")
    return name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ingest.fuzz", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args(argv)
    started = time.monotonic()
    examples, saved = fuzz(args.seconds)
    print(f"fuzz: {examples} examples in {time.monotonic() - started:.0f} s, {len(saved)} failures")
    for name in saved:
        print(f"  saved {REGRESSIONS / name}.bin (why: {REGRESSIONS / name}.txt)")
    return 1 if saved else 0


if __name__ == "__main__":
    sys.exit(main())
