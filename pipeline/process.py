"""Child processes that do not outlive the build.

A build killed with kill -9 cannot clean up after itself: its dbt process and
parser workers would go on writing to the work folder the next build starts
from.  On Linux the kernel can kill them instead, the moment their parent dies.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
EXIT_ORPHANED = 70  # a child whose parent died before it could ask to die with it


def die_with_parent(parent_pid: int | None = None) -> None:
    """Run in a child process: have the kernel send it SIGKILL when its parent dies.

    ``parent_pid``: the parent's process id, for a child that runs Python code before it can
    call this (multiprocessing's spawn): if that parent died meanwhile, the child exits now."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(EXIT_ORPHANED)
