"""deploy/gunicorn.conf.py: workers from the CPUs this process may use, and an access log
with the client's address as the site reads it."""

import datetime
import logging
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import override_settings
from gunicorn.config import Config

from ops.access_log import ClientAddressLogger
from ops.cpus import cgroup_cpu_quota, usable_cpus

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"

needs_two_cpus = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="pinning to one CPU must change the count"
)


def run_on_one_cpu(*argv: str) -> str:
    """Run argv pinned to one CPU (as taskset or a cpuset would), with a clean gunicorn env."""
    one_cpu = min(os.sched_getaffinity(0))
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    done = subprocess.run(
        [sys.executable, "-c",
         f"import os, sys; os.sched_setaffinity(0, {{{one_cpu}}}); "
         "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])", *argv],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


@needs_two_cpus
def test_a_process_pinned_to_one_cpu_counts_one() -> None:
    out = run_on_one_cpu("-c", "from ops.cpus import usable_cpus; print(usable_cpus())")
    assert out.strip() == "1"
    assert os.cpu_count() > 1  # what multiprocessing.cpu_count() would have said


@needs_two_cpus
def test_gunicorn_pinned_to_one_cpu_starts_three_workers() -> None:
    out = run_on_one_cpu("-m", "gunicorn", "-c", str(GUNICORN_CONF), "--print-config")
    settings = {
        name.strip(): value.strip()
        for name, _, value in (line.partition(" = ") for line in out.splitlines())
    }
    assert settings["workers"] == "3"  # 2 x 1 CPU + 1


def test_gunicorn_config_has_no_keep_alive_setting_of_its_own() -> None:
    # The sync worker closes every connection after one request: a keepalive would be dead.
    namespace: dict = {"__file__": str(GUNICORN_CONF)}
    exec(compile(GUNICORN_CONF.read_text(), str(GUNICORN_CONF), "exec"), namespace)
    assert namespace["worker_class"] == "sync"
    assert "keepalive" not in namespace


def fake_cgroup_machine(tmp_path: Path, version: int, limits: dict[str, str]) -> Path:
    """/proc/self and /sys/fs/cgroup laid out under tmp_path: the process is in
    /app.slice/cachelab.service; `limits` maps a cgroup path to its quota file's text."""
    cgroup_root = tmp_path / "sys" / "fs" / "cgroup" / ("unified" if version == 2 else "cpu")
    proc = tmp_path / "proc"
    proc.mkdir()
    if version == 2:
        mount = f"41 31 0:38 / {cgroup_root} rw,relatime - cgroup2 cgroup2 rw"
        membership = "0::/app.slice/cachelab.service"
    else:
        mount = f"32 31 0:29 / {cgroup_root} rw,relatime - cgroup cgroup rw,cpu,cpuacct"
        membership = "4:cpu,cpuacct:/app.slice/cachelab.service\n1:memory:/elsewhere"
    proc.joinpath("mountinfo").write_text(
        f"22 27 0:21 / /proc rw,relatime - proc proc rw\n{mount}\n"
    )
    proc.joinpath("cgroup").write_text(membership + "\n")
    for path, text in limits.items():
        directory = cgroup_root / path.lstrip("/")
        directory.mkdir(parents=True, exist_ok=True)
        if version == 2:
            directory.joinpath("cpu.max").write_text(text + "\n")
        else:
            quota, period = text.split()
            directory.joinpath("cpu.cfs_quota_us").write_text(quota + "\n")
            directory.joinpath("cpu.cfs_period_us").write_text(period + "\n")
    return proc


def test_a_cgroup_v2_quota_caps_the_cpus(tmp_path) -> None:
    proc = fake_cgroup_machine(
        tmp_path, 2, {"/": "max 100000", "/app.slice/cachelab.service": "150000 100000"}
    )
    assert cgroup_cpu_quota(proc) == 1.5
    assert usable_cpus(proc) == min(2, len(os.sched_getaffinity(0)))  # 1.5 CPUs: 2 workers' worth


def test_the_tightest_quota_of_a_parent_cgroup_counts(tmp_path) -> None:
    proc = fake_cgroup_machine(
        tmp_path, 2, {"/app.slice": "50000 100000", "/app.slice/cachelab.service": "max 100000"}
    )
    assert cgroup_cpu_quota(proc) == 0.5
    assert usable_cpus(proc) == 1  # never fewer than one


def test_a_cgroup_v1_quota_caps_the_cpus(tmp_path) -> None:
    proc = fake_cgroup_machine(tmp_path, 1, {"/app.slice/cachelab.service": "100000 100000"})
    assert cgroup_cpu_quota(proc) == 1.0
    assert usable_cpus(proc) == 1


def test_without_a_quota_the_affinity_decides(tmp_path) -> None:
    proc = fake_cgroup_machine(tmp_path, 1, {"/app.slice/cachelab.service": "-1 100000"})
    assert cgroup_cpu_quota(proc) is None
    assert usable_cpus(proc) == len(os.sched_getaffinity(0))
    assert cgroup_cpu_quota(tmp_path / "no-proc-here") is None


def access_log_line(remote_addr: str, forwarded_for: str | None) -> str:
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(client)s "%(r)s" %(s)s')
    logger = ClientAddressLogger(config)
    environ = {
        "REMOTE_ADDR": remote_addr,
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/lessons/",
        "SERVER_PROTOCOL": "HTTP/1.0",
    }
    headers = []
    if forwarded_for is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded_for
        headers.append(("X-FORWARDED-FOR", forwarded_for))
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    request = SimpleNamespace(headers=headers)
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger.access_log.handlers = [handler]
    logger.access(response, request, environ, datetime.timedelta(milliseconds=3))
    return lines[0]


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_the_access_log_records_the_address_nginx_appended_not_the_clients_own() -> None:
    line = access_log_line("10.0.0.2", "203.0.113.9, 198.51.100.7")
    assert line == '198.51.100.7 "GET /lessons/ HTTP/1.0" 200'


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_trusted_proxies_the_access_log_records_the_peer() -> None:
    assert access_log_line("198.51.100.7", "203.0.113.9").startswith('198.51.100.7 "GET')
