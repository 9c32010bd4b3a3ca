"""The servers the project starts: loopback only, capped, and gone when the site stops."""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from ops.postgres import SUPERUSER, start_postgres
from ops.services import (
    LAUNCHER,
    Service,
    free_port,
    memcached_answers,
    redis_answers,
    running_services,
    start_redis,
)
from tests.ops.probing import status_of
from tests.servers import postgres_directory, remove_directory

ROOT = Path(__file__).resolve().parents[2]


def test_redis_listens_on_loopback_only_with_a_memory_cap(tmp_path: Path) -> None:
    service = start_redis(free_port(), tmp_path, persist=False)
    try:
        client = redis.Redis(host="127.0.0.1", port=service.port)
        assert client.config_get("bind") == {"bind": "127.0.0.1"}
        assert int(client.config_get("maxmemory")["maxmemory"]) == 64 * 1024 * 1024
    finally:
        service.stop()


def test_running_services_stops_what_it_started(tmp_path: Path) -> None:
    redis_port, memcached_port = free_port(), free_port()
    with running_services(redis_port, memcached_port, tmp_path) as services:
        assert [s.name for s in services] == ["redis-server", "memcached"]
        assert redis_answers(redis_port) and memcached_answers(memcached_port)
    assert not redis_answers(redis_port)
    assert not memcached_answers(memcached_port)


def test_running_services_reuses_a_server_already_answering(redis_server, tmp_path) -> None:
    memcached_port = free_port()
    with running_services(redis_server.port, memcached_port, tmp_path) as services:
        assert services[0].process is None
    assert redis_answers(redis_server.port), "a server it did not start must be left running"


def wait_for(check, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def server_processes(*ports: int) -> list[str]:
    """Command lines of running redis-server/memcached processes that name one of ports."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().decode(errors="replace").replace("\0", " ")
        except OSError:  # the process ended while we looked
            continue
        # redis-server rewrites its command line to "redis-server 127.0.0.1:PORT".
        if ("redis-server" in command or "memcached" in command) and any(
            re.search(rf"\b{port}\b", command) for port in ports
        ):
            found.append(command)
    return found


def manage(environ: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, check=True,
        capture_output=True,
    )  # fmt: skip


@pytest.mark.slow
def test_make_run_serves_the_site_with_its_own_redis_and_memcached_until_ctrl_c(
    tmp_path: Path,
) -> None:
    """What `make run` runs after its setup: the `db` target's commands, then devserver
    (with the servers' ports moved off 6379/11211 by REDIS_URL and MEMCACHED_SERVERS)."""
    redis_port, memcached_port, http_port = free_port(), free_port(), free_port()
    environ = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MEMCACHED_SERVERS": f"127.0.0.1:{memcached_port}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHELAB_VAR_DIR": str(tmp_path / "var"),
    }
    manage(environ, "migrate", "--noinput")
    manage(environ, "loadcontent", *sorted(str(path) for path in ROOT.glob("fixtures/*.json")))
    server = subprocess.Popen(
        [sys.executable, "manage.py", "devserver", f"127.0.0.1:{http_port}"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    site = f"http://127.0.0.1:{http_port}"
    try:
        assert wait_for(lambda: status_of(f"{site}/healthz") == 200, 30)
        assert status_of(f"{site}/") == 200
        assert status_of(f"{site}/lessons/") == 200
        assert redis_answers(redis_port) and memcached_answers(memcached_port)
        assert len(server_processes(redis_port, memcached_port)) == 2  # started, not reused
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C sends
        output, _ = server.communicate(timeout=20)
        assert f"redis-server on 127.0.0.1:{redis_port} (started)" in output
        assert f"memcached on 127.0.0.1:{memcached_port} (started)" in output
        assert wait_for(lambda: not redis_answers(redis_port), 5)
        assert wait_for(lambda: not memcached_answers(memcached_port), 5)
        assert server_processes(redis_port, memcached_port) == []
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)


def test_a_server_dies_with_its_parent_even_when_the_parent_is_killed(tmp_path: Path) -> None:
    """The parent is SIGKILLed: it cannot stop anything, the kernel must."""
    redis_port = free_port()
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from ops.services import start_redis; "
            "start_redis(int(sys.argv[1]), Path(sys.argv[2]), persist=False); "
            "print('ready', flush=True); time.sleep(60)",
            str(redis_port),
            str(tmp_path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert parent.stdout is not None and parent.stdout.readline() == "ready\n"
        assert redis_answers(redis_port)
        parent.kill()
        parent.wait(timeout=5)
        assert wait_for(lambda: not redis_answers(redis_port), 5)
        assert wait_for(lambda: server_processes(redis_port) == [], 5)
    finally:
        if parent.poll() is None:
            parent.kill()


def test_a_restarted_server_answers_on_the_same_port(tmp_path: Path) -> None:
    service = start_redis(free_port(), tmp_path, persist=False)
    try:
        first_pid = service.process.pid
        service.restart()
        assert service.process.pid != first_pid
        assert redis_answers(service.port)
    finally:
        service.stop()


def test_the_launcher_refuses_to_start_a_server_for_a_parent_that_is_gone() -> None:
    done = subprocess.run(
        [sys.executable, "-I", str(LAUNCHER), "1", "--", "true"], capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "parent 1 exited before true started" in done.stderr


@pytest.fixture
def postgres() -> Iterator[Service]:
    """ops.postgres's own cluster (what `make cluster` runs), in a directory its user can
    reach."""
    directory = postgres_directory()
    service = start_postgres(free_port(), directory / "postgres", durable=False)
    yield service
    service.stop()
    remove_directory(directory)


def test_postgres_runs_unprivileged_on_loopback_and_keeps_data_across_a_restart(
    postgres: Service,
) -> None:
    service = postgres
    url = dict(host="127.0.0.1", port=service.port, user=SUPERUSER, dbname="postgres")
    with psycopg.connect(**url, autocommit=True) as connection:
        assert connection.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        connection.execute("CREATE TABLE kept (value text)")
        connection.execute("INSERT INTO kept VALUES ('still here')")
    owner = Path(f"/proc/{service.process.pid}/status").read_text()
    uid = next(line.split()[1] for line in owner.splitlines() if line.startswith("Uid:"))
    assert (os.geteuid() == 0) == (uid != "0")  # as root, the server runs as another user
    service.restart()
    with psycopg.connect(**url) as connection:
        assert connection.execute("SELECT value FROM kept").fetchone() == ("still here",)
