import pytest
from django.conf import settings
from django.test import Client, override_settings

from cachelab.cache_config import build_caches
from lab.experiments import SERVER_COUNTS, one_at_a_time
from lab.forms import MAX_COLD_WARM_REQUESTS, MAX_STREAM_REQUESTS
from lab.models import Result
from lab.report import BACKENDS
from learners.identity import Learner
from tests.lab.conftest import visitor_of
from tests.servers import address_of_a_stopped_server

HTMX = {"HX-Request": "true"}


def learner_of(client) -> Learner:
    """The client's learner: a visitor id is given at their first experiment."""
    assert client.post("/lab/experiments/cold-start").status_code == 302
    return visitor_of(client.session.session_key)


def test_cold_vs_warm_measures_every_backend_and_redirects_to_its_section(client, shop) -> None:
    response = client.post("/lab/experiments/cold-warm", {"requests": 2})
    assert response.status_code == 302
    assert response["Location"] == "/lab/#cold-warm"
    figures = Result.objects.get(kind="cold-warm").figures
    assert [row["backend"] for row in figures["backends"]] == list(BACKENDS)
    rows = {row["backend"]: row for row in figures["backends"]}
    assert rows["none"]["warm"]["queries_per_request"] == 2
    assert rows["redis"]["warm"]["queries_per_request"] == 0
    assert rows["redis"]["saved_share"] == 0.5


def test_the_page_shows_the_learners_latest_figures_with_a_bar_chart(client, shop) -> None:
    client.post("/lab/experiments/cold-warm", {"requests": 2})
    html = client.get("/lab/").content.decode()
    assert 'class="bar-cold"' in html and 'class="bar-warm"' in html
    assert "Saved over 2 requests" in html


def test_locmem_hit_ratio_falls_as_app_servers_are_added_but_a_shared_store_does_not(
    client, shop
) -> None:
    response = client.post("/lab/experiments/servers", {"requests": 300, "keys": 20}, headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<section id="servers"')
    series = Result.objects.get(kind="servers").figures["series"]
    locmem = [point["hit_ratio"] for point in series["locmem"]]
    assert locmem == sorted(locmem, reverse=True) and locmem[0] > locmem[-1]
    for store in ("redis", "memcached"):
        assert {point["hit_ratio"] for point in series[store]} == {locmem[0]}
    assert [point["servers"] for point in series["locmem"]] == list(SERVER_COUNTS)


def test_cold_start_shows_the_first_request_misses_and_the_second_hits(client, shop) -> None:
    client.post("/lab/experiments/cold-start")
    rows = {
        row["backend"]: row for row in Result.objects.get(kind="cold-start").figures["backends"]
    }
    assert rows["memcached"]["first_queries"] == 2
    assert rows["memcached"]["second_queries"] == 0
    assert rows["none"]["second_queries"] == 2


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("cold-warm", {"requests": 0}),
        ("cold-warm", {"requests": MAX_COLD_WARM_REQUESTS + 1}),
        ("cold-warm", {"requests": "many"}),
        ("servers", {"requests": MAX_STREAM_REQUESTS + 1, "keys": 20}),
        ("servers", {"requests": 100, "keys": 100_000}),
    ],
)
def test_experiments_refuse_sizes_outside_their_bounds(client, shop, kind: str, data) -> None:
    response = client.post(f"/lab/experiments/{kind}", data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Result.objects.exists()


def test_a_second_run_while_one_is_running_is_refused_with_409(client, shop) -> None:
    learner = learner_of(client)
    with one_at_a_time(learner.namespace):
        response = client.post("/lab/experiments/cold-start", headers=HTMX)
    assert response.status_code == 409
    assert "already running" in response.content.decode()
    assert Result.objects.get(kind="cold-start").visitor == learner.visitor


def test_the_lock_is_released_after_a_run(client, shop) -> None:
    assert client.post("/lab/experiments/cold-start").status_code == 302
    assert client.post("/lab/experiments/cold-start").status_code == 302


def test_another_learner_may_run_at_the_same_time(client, shop) -> None:
    with one_at_a_time(Learner(visitor="someone-else").namespace):
        assert client.post("/lab/experiments/cold-start").status_code == 302


def test_the_servers_experiment_on_an_empty_shop_says_to_seed_it(client, db) -> None:
    response = client.post("/lab/experiments/servers", {"requests": 100, "keys": 10})
    assert response.status_code == 409
    assert "seed_lab" in response.content.decode()


def test_an_unknown_experiment_is_a_404(client, db) -> None:
    assert client.post("/lab/experiments/warp-speed").status_code == 404


def test_experiments_only_accept_post(client, db) -> None:
    assert client.get("/lab/experiments/cold-start").status_code == 405


def test_a_learner_keeps_only_their_latest_run_of_each_experiment(client, shop) -> None:
    client.post("/lab/experiments/cold-start")
    client.post("/lab/experiments/cold-start")
    assert Result.objects.filter(kind="cold-start").count() == 1


def test_when_the_shared_redis_is_down_an_experiment_is_refused_with_503(client, shop) -> None:
    dead_redis = build_caches(settings.REDIS_URL, settings.MEMCACHED_SERVERS)
    dead_redis["default"]["LOCATION"] = f"redis://{address_of_a_stopped_server()}/0"
    with override_settings(CACHES=dead_redis):
        response = client.post("/lab/experiments/cold-start")
    assert response.status_code == 503
    assert "not answering" in response.content.decode()
    assert not Result.objects.exists()


def test_results_belong_to_a_visitor_id_never_to_the_session_key(client, shop) -> None:
    client.post("/lab/experiments/cold-start")
    result = Result.objects.get()
    session_key = client.session.session_key
    assert result.visitor and result.user is None
    assert result.visitor != session_key
    assert not Result.objects.filter(visitor=session_key).exists()
    assert visitor_of(session_key).owns(result)


def test_each_learner_sees_only_their_own_figures(client, shop, django_user_model) -> None:
    client.post("/lab/experiments/cold-warm", {"requests": 2})
    assert "Saved over 2 requests" in client.get("/lab/").content.decode()
    other = Client()
    assert "Saved over 2 requests" not in other.get("/lab/").content.decode()


def test_signing_in_hands_the_visitors_results_to_the_account(client, shop, django_user_model):
    user = django_user_model.objects.create_user("ada", password="analytical-engine-1843")
    kept = Result.objects.create(kind="servers", user=user, figures={"kept": True})
    client.post("/lab/experiments/cold-start")
    client.post("/lab/experiments/servers", {"requests": 100, "keys": 10})
    visitor = visitor_of(client.session.session_key)
    client.force_login(user)  # login() keeps the anonymous session's data, then signals
    mine = Result.objects.filter(Learner(user_id=user.pk).filter())
    assert sorted(mine.values_list("kind", flat=True)) == ["cold-start", "servers"]
    assert mine.get(kind="servers") == kept  # the account's own result is kept
    assert not Result.objects.filter(visitor.filter()).exists()  # nothing duplicated
