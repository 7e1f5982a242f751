"""Counts the processes listed in a pid file (one per line) and how many are
still alive, after giving each up to ten seconds to die: SIGKILL is
delivered at once, but a process may take a moment to be torn down. A
zombie nobody reaped yet counts as gone.

usage: all_gone.py PIDFILE
"""
import sys
import time


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except FileNotFoundError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


pids = [int(line) for line in open(sys.argv[1]) if line.strip()]
deadline = time.monotonic() + 10
while any(alive(p) for p in pids) and time.monotonic() < deadline:
    time.sleep(0.05)
print(f"{len(pids)} started, {sum(alive(p) for p in pids)} left")
