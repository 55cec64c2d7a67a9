"""CPU seconds (user + system) used so far by processes and their children, from /proc.

    .venv/bin/python bench/load/cpu.py PID [PID ...]      # prints one number per PID

run.sh reads it for gunicorn's master and the Celery worker before and after the load test:
the difference per request is what the application costs, whatever else the machine runs
(waiting for a core is not counted). Linux only.
"""

import os
import sys
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _own(pid: int) -> float:
    # Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def tree_seconds(pid: int) -> float:
    """The process and its living descendants (gunicorn's workers, the worker's pool)."""
    try:
        return _own(pid) + sum(tree_seconds(child) for child in _children(pid))
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


if __name__ == "__main__":
    print(" ".join(f"{tree_seconds(int(pid)):.2f}" for pid in sys.argv[1:]))
