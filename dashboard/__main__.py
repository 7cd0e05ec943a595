"""Serve the dashboard: ``python -m dashboard --warehouse FILE --port N`` (what ``make dashboard`` runs).

Streamlit is started headless, without the usage-statistics prompt or a file watcher, on the
published warehouse given (read-only: the pages only ever open it with ``read_only=True``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dashboard.queries import WAREHOUSE_ENV

APP = Path(__file__).resolve().parent / "app.py"


def streamlit_command(port: int, address: str | None) -> list[str]:
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--server.fileWatcherType", "none", "--server.runOnSave", "false", "--client.toolbarMode", "viewer"]
    if address:
        command += ["--server.address", address]
    return command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="the published warehouse file")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", help="interface to listen on (default: Streamlit's, every interface)")
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        print(
            f"dashboard: no warehouse at {args.warehouse}: run `make build` first, or give WAREHOUSE=path",
            file=sys.stderr,
        )
        return 2
    os.environ[WAREHOUSE_ENV] = str(args.warehouse.resolve())
    command = streamlit_command(args.port, args.address)
    os.execv(command[0], command)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
