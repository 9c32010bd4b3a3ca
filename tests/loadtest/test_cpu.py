"""CPU per part of the cluster, measured on real processes: a worker that ends between two
snapshots (gunicorn recycles them) must never make a part's figure negative."""

import subprocess
import sys
import time

import pytest

from loadtest.cpu import cores_between, snapshot, tree_times, used_between

BUSY = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass"
# A parent that starts one busy child, then on each line of input: "work" lets the child burn
# 0.3 s more of CPU and end, and the parent waits for it (reaps it), as gunicorn's master does.
PARENT = f"""
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", {BUSY.format(seconds=0.3)!r}])
print(child.pid, flush=True)
sys.stdin.readline()
child2 = subprocess.Popen([sys.executable, "-c", {BUSY.format(seconds=0.3)!r}])
child.wait()
child2.wait()
print("done", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def parent():
    process = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    yield process
    process.kill()
    process.wait()


def test_a_child_that_ends_between_two_snapshots_counts_only_its_time_in_between(parent) -> None:
    child = int(parent.stdout.readline())
    time.sleep(0.6)  # the first child has burnt its 0.3 s and ended, not yet reaped
    before = tree_times(parent.pid)
    parent.stdin.write("go\n")
    parent.stdin.flush()
    assert parent.stdout.readline().strip() == "done"  # both children reaped
    after = tree_times(parent.pid)
    assert child not in after.by_pid
    used = used_between(before, after)
    # The second child's 0.3 s (started and ended in between), not the first one's again.
    assert child in before.by_pid  # ended but not reaped yet: its time is still readable
    assert 0.25 <= used <= 0.45
    naive = sum(after.by_pid.values()) - sum(before.by_pid.values())
    assert naive < used  # what summing the trees gave: the ended child's time lost


def test_the_cores_of_every_part_and_of_the_machine_are_never_negative(parent) -> None:
    parent.stdout.readline()
    parts = {"parent": parent.pid, "gone": 2**22 + 1}  # a pid that does not exist
    before, started = snapshot(parts), time.monotonic()
    parent.stdin.write("go\n")
    parent.stdin.flush()
    parent.stdout.readline()
    cores = cores_between(before, snapshot(parts), time.monotonic() - started)
    assert set(cores) == {"parent", "gone", "machine", "other work"}
    assert all(value >= 0 for value in cores.values())
    assert cores["parent"] > 0 and cores["gone"] == 0
    assert cores["machine"] >= cores["parent"] - 0.05
