"""The failover experiment: two memcached servers of its own, one stopped and started again,
read through three client configurations."""

import pytest

from lab.failover import CONFIGS, DOWN_SECONDS, failover
from lab.models import Result
from lab.own_servers import CannotRun, own_servers

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def figures() -> dict:
    return failover()


def by_name(figures: dict) -> dict[str, dict]:
    return {config["name"]: config for config in figures["configs"]}


def while_down(config: dict) -> list[dict]:
    return [phase for phase in config["phases"] if not phase["b_running"]]


def test_every_configuration_is_read_while_b_is_down_and_after(figures) -> None:
    assert [config["name"] for config in figures["configs"]] == [c.name for c in CONFIGS]
    for config in figures["configs"]:
        assert config["phases"][0]["from_s"] < DOWN_SECONDS < config["phases"][-1]["until_s"]


def test_the_defaults_raise_at_first_then_miss_silently_and_move_the_key_to_a(figures) -> None:
    defaults = by_name(figures)["defaults"]
    first, second = while_down(defaults)[:2]
    assert first["read"] == "raised ConnectionRefusedError" and first["ring"] == "B"
    assert (second["read"], second["ring"], second["stored"]) == ("miss", "B", "nowhere")
    assert defaults["summary"]["raised"] >= 2 and defaults["summary"]["silent_misses"] >= 2
    assert defaults["phases"][-1]["ring"] == "A"  # dead_timeout=60: still on A after B is back


def test_ignore_exc_never_raises(figures) -> None:
    ignoring = by_name(figures)["ignore_exc"]
    assert ignoring["summary"]["raised"] == 0
    assert ignoring["summary"]["lost_writes"] >= 1


def test_this_sites_settings_bring_the_key_back_to_b_after_the_restart(figures) -> None:
    site = by_name(figures)["this-site"]
    assert any(phase["ring"] == "A" for phase in while_down(site))
    last = site["phases"][-1]
    assert (last["b_running"], last["ring"], last["read"]) == (True, "B", "hit")


def test_the_run_is_saved_and_shown(client, db, figures) -> None:
    response = client.post("/lab/experiments/failover")
    assert response.status_code == 302
    saved = Result.objects.get(kind="failover").figures
    assert [config["name"] for config in saved["configs"]] == [c.name for c in CONFIGS]
    html = client.get("/lab/figures/failover/", headers={"HX-Request": "true"}).content.decode()
    assert "raised ConnectionRefusedError" in html and "stored nowhere" in html


def test_without_memcached_installed_the_experiment_says_it_cannot_run(monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(CannotRun, match="memcached is not installed"), own_servers("memcached"):
        pass
