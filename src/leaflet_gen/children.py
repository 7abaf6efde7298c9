"""Helper processes (pool workers, the cold-start child) that never outlive their parent.

A parent stopped by SIGKILL runs no clean-up, so each child asks Linux to send it SIGTERM when
the parent ends (``prctl(PR_SET_PDEATHSIG)``); on SIGTERM a child deletes the temporary files it
was writing and exits at once. Ctrl-C reaches every process of the terminal's group: children
ignore it and the parent, which decides what an interruption means, stops them.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import suppress

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def become_child(parent: int) -> None:
    """Call first thing in a forked child of process ``parent``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    if sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent ended before the request took hold
        _stop(signal.SIGTERM, None)


def _stop(signum: int, frame) -> None:
    """Delete unfinished output and WeasyPrint's font copies, then exit without unwinding."""
    pdf = sys.modules.get(f"{__package__}.pdf")
    if pdf is not None:
        with suppress(Exception):
            pdf.remove_pending()
            pdf.release()
    os._exit(128 + signum)
