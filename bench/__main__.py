"""Command line of the scale tools.

python -m bench corpus --reports N --out DIR [--seed S]   a generated corpus with truth files (make corpus)
python -m bench run [--sizes 1000 10000 100000]            the benchmark (make bench)
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.corpus import DEFAULT_SEED, generate
from bench.run import DEFAULT_SIZES, DEFAULT_WORK, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    corpus = commands.add_parser("corpus", help="write a generated corpus and its truth files")
    corpus.add_argument("--reports", type=int, required=True, help="number of reports")
    corpus.add_argument("--out", type=Path, required=True, help="folder to write (must not exist)")
    corpus.add_argument("--seed", type=int, default=DEFAULT_SEED)
    bench = commands.add_parser("run", help="build generated corpora and print where the time goes")
    bench.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    bench.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where corpora and results are kept")
    bench.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)

    if args.command == "corpus":
        if args.out.exists():
            print(f"error: {args.out} exists; give a new folder", file=sys.stderr)
            return 2
        started = time.perf_counter()
        files = generate(args.reports, args.out, args.seed)
        print(f"wrote {args.reports} reports in {files} files to {args.out} in {time.perf_counter() - started:.1f} s")
        return 0
    run(args.sizes, args.work, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
