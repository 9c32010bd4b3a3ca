"""`make serve`: the site in production mode on one host, and nothing left running after."""

import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from ops.services import free_port, memcached_answers, redis_answers
from tests.ops.probing import status_of
from tests.waiting import wait_for

pytestmark = pytest.mark.cluster

ROOT = Path(__file__).resolve().parents[2]


def test_serve_runs_gunicorn_with_debug_off_and_stops_everything_on_ctrl_c(tmp_path) -> None:
    http_port, redis_port, memcached_port = free_port(), free_port(), free_port()
    environment = os.environ | {
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MEMCACHED_SERVERS": f"127.0.0.1:{memcached_port}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHELAB_VAR_DIR": str(tmp_path / "var"),
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", f"127.0.0.1:{http_port}", "--workers", "1"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    site = f"http://127.0.0.1:{http_port}"
    try:
        assert wait_for(lambda: status_of(f"{site}/healthz") == 200, 90, interval=0.5)
        assert status_of(f"{site}/lessons/") == 200
        with urllib.request.urlopen(f"{site}/lessons/") as response:
            page = response.read().decode()
        # DEBUG off: WhiteNoise serves the collected, hashed static files.
        assert "/static/cachelab/site." in page and ".css" in page
        assert "/static/cachelab/site.css" not in page
        assert status_of(f"{site}/no-such-page/") == 404
        assert (tmp_path / "var" / "gunicorn.log").exists()
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
        assert wait_for(lambda: status_of(f"{site}/healthz") == 0)
        assert wait_for(lambda: not redis_answers(redis_port))
        assert wait_for(lambda: not memcached_answers(memcached_port))
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
