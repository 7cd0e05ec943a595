"""One build at a time per warehouse.

The lock is an advisory ``flock`` on a file: the kernel releases it when the
holding process ends, however it ends (kill -9 included), so a crashed build
never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path


class BuildLocked(Exception):
    """Another build of the same warehouse holds the lock."""


class BuildLock:
    def __init__(self, path: Path, wait: bool = False, on_wait: Callable[[str], None] | None = None):
        self.path = path
        self.wait = wait
        self.on_wait = on_wait  # told which build holds the lock, before waiting for it
        self._file = None

    def __enter__(self) -> BuildLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a+")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.seek(0)
            holder = self._file.read().strip() or "unknown process"
            if not self.wait:
                self._file.close()
                raise BuildLocked(f"another build of this warehouse is running ({holder})") from None
            if self.on_wait:
                self.on_wait(holder)
            fcntl.flock(self._file, fcntl.LOCK_EX)
        self._file.seek(0)
        self._file.truncate()
        self._file.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        self._file.flush()
        return self

    def __exit__(self, *exc) -> None:
        self._file.truncate(0)
        fcntl.flock(self._file, fcntl.LOCK_UN)
        self._file.close()
