"""Processes read from /proc, for the tests that check no browser or driver is left running."""

from __future__ import annotations

import os


def descendants(pid: int) -> dict[int, str]:
    """pid -> command name of every live (not zombie) descendant of ``pid``."""
    parents: dict[int, tuple[int, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1: stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z":
            parents[int(entry)] = (int(fields[1]), name)
    found: dict[int, str] = {}
    frontier = {pid}
    while frontier:
        frontier = {p for p, (pp, _n) in parents.items() if pp in frontier and p not in found}
        found.update({p: parents[p][1] for p in frontier})
    return found


def alive(pids: dict[int, str]) -> dict[int, str]:
    """Those of ``pids`` still running under the same name (not exited, not a zombie)."""
    out = {}
    for pid, name in pids.items():
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2] != "Z" and name in stat:
            out[pid] = name
    return out
