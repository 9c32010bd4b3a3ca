"""CPU time used by each part of the cluster (a process and all its descendants) between two
moments, never negative.

A part's CPU is the sum, over every process of its tree, of how much that process's
cumulative user + system time grew; a process that started in between counts from zero; one
that ended in between (a gunicorn worker recycled after max_requests) counts through what its
parent gained in reaped children's time (psutil's children_user + children_system), less what
that process had used before. Summing the trees as wholes instead (the figure of the
published "app-b -0.07") loses a recycled worker's whole life at once.
"""

import contextlib
from dataclasses import dataclass, field

import psutil


@dataclass
class TreeTimes:
    """One moment of one part: each live process's CPU seconds, and the root's reaped."""

    by_pid: dict[int, float] = field(default_factory=dict)
    reaped: float = 0.0


def tree_times(root_pid: int) -> TreeTimes:
    try:
        root = psutil.Process(root_pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return TreeTimes()
    times = TreeTimes()
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            cpu = process.cpu_times()
            times.by_pid[process.pid] = cpu.user + cpu.system
            if process.pid == root_pid:
                times.reaped = cpu.children_user + cpu.children_system
    return times


def used_between(before: TreeTimes, after: TreeTimes) -> float:
    """CPU seconds the tree used between the two moments (>= 0)."""
    live = sum(
        max(0.0, seconds - before.by_pid.get(pid, 0.0)) for pid, seconds in after.by_pid.items()
    )
    ended = sum(seconds for pid, seconds in before.by_pid.items() if pid not in after.by_pid)
    return live + max(0.0, after.reaped - before.reaped - ended)


def machine_busy() -> float:
    """CPU seconds all cores of the machine spent on anything but idling, since boot."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


@dataclass
class Snapshot:
    parts: dict[str, TreeTimes]
    machine: float


def snapshot(parts: dict[str, int]) -> Snapshot:
    """`parts` maps a name to the pid at the root of its process tree."""
    return Snapshot({name: tree_times(pid) for name, pid in parts.items()}, machine_busy())


def cores_between(before: Snapshot, after: Snapshot, seconds: float) -> dict[str, float]:
    """Cores each part used over `seconds`, the whole machine's, and what was not ours."""
    cores = {
        name: round(used_between(times, after.parts.get(name, TreeTimes())) / seconds, 2)
        for name, times in before.parts.items()
    }
    machine = round(max(0.0, after.machine - before.machine) / seconds, 2)
    return cores | {
        "machine": machine,
        "other work": round(max(0.0, machine - sum(cores.values())), 2),
    }
