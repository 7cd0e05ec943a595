"""Where parsing spends its time: the files of a reports folder parsed in one process under cProfile.

python -m bench.profile REPORTS [--files N] [--top K] [--sort cumulative|tottime] [--repeat R]

Parses the files exactly as a build's workers do (``ingest.batch.parse_batch``: reading, parsing,
flattening into seed rows and writing CSV text) and prints the CPU time per file, without and with
the profiler, and the top functions by cumulative and by own time.  CPU time
(``time.process_time``) is printed, not wall time, so that other work on the machine changes the
figures less.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

from ingest.batch import parse_batch
from ingest.service import discover
from ingest.vocabulary import load_vocabulary

DEFAULT_FILES = 2000  # enough for stable figures, a few seconds of parsing
DEFAULT_TOP = 25


def _timed(root: Path, files: list[str]) -> float:
    """CPU seconds to parse ``files`` as one batch."""
    started = time.process_time()
    parse_batch(root, files)
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("reports", type=Path, help="a reports folder (make corpus writes OUT/reports)")
    parser.add_argument("--files", type=int, default=DEFAULT_FILES, help="files parsed, spread over the folder")
    parser.add_argument("--top", type=int, default=DEFAULT_TOP, help="functions listed per table")
    parser.add_argument("--repeat", type=int, default=3, help="unprofiled runs timed (the fastest is printed)")
    args = parser.parse_args(argv)

    listed = discover(args.reports)
    files = listed[:: max(1, len(listed) // args.files)][: args.files]  # spread over the whole folder
    if not files:
        print(f"error: no files in {args.reports}", file=sys.stderr)
        return 2
    load_vocabulary()
    parse_batch(args.reports, files[:50])  # imports and caches warmed, as in a worker after its first batch
    plain = min(_timed(args.reports, files) for _ in range(args.repeat))
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    parse_batch(args.reports, files)
    profiler.disable()
    profiled = pstats.Stats(profiler).total_tt
    per_file = plain * 1000 / len(files)
    print(f"{len(files)} files: {per_file:.3f} ms CPU per file ({plain:.2f} s, the fastest of {args.repeat} runs)")
    print(f"under cProfile: {profiled * 1000 / len(files):.3f} ms per file")
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(args.top)
        text = out.getvalue()
        print(f"\n--- top {args.top} by {order} ---")
        print(text[text.index("   ncalls") :].rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
