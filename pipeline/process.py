"""Child processes that do not outlive the build.

A build killed with kill -9 cannot clean up after itself: its dbt process and
parser workers would go on writing to the work folder the next build starts
from.  On Linux the kernel can kill them instead, the moment their parent dies.
"""

from __future__ import annotations

import ctypes
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Run in a child process: have the kernel send it SIGKILL when its parent dies."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
