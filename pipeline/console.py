"""What the build tells the person or scheduler running it.

On a terminal: one progress line per stage, updated in place, and a readable
summary.  Otherwise (cron, systemd, CI): timestamped log lines and, last, the
summary as one JSON line a scheduler can parse.  Everything also goes to the
build's log file.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from typing import TextIO


class Console:
    def __init__(self, log_path: Path | None = None, stream: TextIO = sys.stdout):
        self.stream = stream
        self.interactive = stream.isatty()
        self._log = None
        self._progress_open = False
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()

    def _to_log(self, text: str) -> None:
        if self._log:
            try:
                self._log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {text}\n")
                self._log.flush()
            except OSError as error:  # a full disk: say so once, keep telling the operator on the stream
                self._log = None
                self.stream.write(f"warning: the build log can no longer be written ({error.strerror})\n")

    def _end_progress(self) -> None:
        if self._progress_open:
            self.stream.write("\n")
            self._progress_open = False

    def info(self, text: str) -> None:
        """A line for the operator."""
        self._to_log(text)
        self._end_progress()
        prefix = "" if self.interactive else time.strftime("%Y-%m-%d %H:%M:%S ")
        self.stream.write(prefix + text + "\n")
        self.stream.flush()

    def progress(self, text: str) -> None:
        """A transient status line: redrawn in place on a terminal, not printed otherwise."""
        if self.interactive:
            self.stream.write("\r\033[K" + text)
            self.stream.flush()
            self._progress_open = True

    def log_only(self, text: str) -> None:
        self._to_log(text)

    def summary(self, lines: list[str], record: dict) -> None:
        self._to_log(json.dumps(record, ensure_ascii=False))
        self._end_progress()
        if self.interactive:
            self.stream.write("\n".join(lines) + "\n")
        else:
            self.stream.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.stream.flush()

    def close(self) -> None:
        self._end_progress()
        if self._log:
            with contextlib.suppress(OSError):
                self._log.close()
