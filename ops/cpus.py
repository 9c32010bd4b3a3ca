"""How many CPUs this process may really use: for gunicorn's worker count.

`os.cpu_count()` counts the machine's CPUs. A process pinned to some of them (taskset,
cpuset, `docker --cpuset-cpus`) may run on its affinity mask only, and a container with a
CPU quota (`docker --cpus`, Kubernetes limits, systemd's CPUQuota) gets quota/period CPUs'
worth of time however many it sees. The tightest quota of the process's cgroups and their
ancestors counts, cgroup v2 (`cpu.max`) or v1 (`cpu.cfs_quota_us` / `cpu.cfs_period_us`).
"""

import math
import os
from dataclasses import dataclass
from pathlib import Path

PROC_SELF = Path("/proc/self")


@dataclass(frozen=True)
class CgroupMount:
    root: str  # the cgroup path mounted here ("/" unless a bind mount of a subtree)
    mount_point: Path
    version: int


def usable_cpus(proc: Path = PROC_SELF) -> int:
    cpus = len(os.sched_getaffinity(0))
    quota = cgroup_cpu_quota(proc)
    if quota is None:
        return cpus
    return max(1, min(cpus, math.ceil(quota)))


def cgroup_cpu_quota(proc: Path = PROC_SELF) -> float | None:
    """The tightest CPU quota, in CPUs, over this process's cgroups; None when none is set
    (or /proc and /sys/fs/cgroup say nothing, as outside Linux)."""
    try:
        mountinfo = (proc / "mountinfo").read_text()
        memberships = (proc / "cgroup").read_text()
    except OSError:
        return None
    quotas = [
        quota
        for mount in cpu_cgroup_mounts(mountinfo)
        if (path := cgroup_path(memberships, mount.version)) is not None
        for directory in directories_up_to_mount(mount, path)
        if (quota := read_quota(directory, mount.version)) is not None
    ]
    return min(quotas, default=None)


def cpu_cgroup_mounts(mountinfo: str) -> list[CgroupMount]:
    """cgroup2 mounts, and cgroup v1 mounts with the cpu controller (proc(5): mountinfo)."""
    mounts = []
    for line in mountinfo.splitlines():
        before, _, after = line.partition(" - ")
        fields, filesystem = before.split(), after.split()
        if len(fields) < 5 or len(filesystem) < 3:
            continue
        root, mount_point = fields[3], Path(fields[4])
        kind, options = filesystem[0], filesystem[2].split(",")
        if kind == "cgroup2":
            mounts.append(CgroupMount(root, mount_point, 2))
        elif kind == "cgroup" and "cpu" in options:
            mounts.append(CgroupMount(root, mount_point, 1))
    return mounts


def cgroup_path(memberships: str, version: int) -> str | None:
    """The process's cgroup in that hierarchy (/proc/self/cgroup: "id:controllers:path")."""
    for line in memberships.splitlines():
        hierarchy, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if version == 2 and hierarchy == "0" and controllers == "":
            return path
        if version == 1 and "cpu" in controllers.split(","):
            return path
    return None


def directories_up_to_mount(mount: CgroupMount, path: str) -> list[Path]:
    """The process's cgroup directory and each parent up to the mount point."""
    relative = path.removeprefix(mount.root) if path.startswith(mount.root) else ""
    directory = mount.mount_point / relative.lstrip("/")
    directories = [directory]
    while directory != mount.mount_point and directory.parent != directory:
        directory = directory.parent
        directories.append(directory)
    return directories


def read_quota(directory: Path, version: int) -> float | None:
    try:
        if version == 2:
            quota, period = (directory / "cpu.max").read_text().split()
            return None if quota == "max" else int(quota) / int(period)
        quota_us = int((directory / "cpu.cfs_quota_us").read_text())
        period_us = int((directory / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return None if quota_us < 0 else quota_us / period_us
