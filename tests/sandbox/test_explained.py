"""The run results explain themselves: the wire of each call in the JSON API and on the page,
the differences between backends, Memcached's inspection, the process truth and the
Server-Timing split."""

import pytest

from sandbox import registry
from sandbox.catalogue import NAMES
from sandbox.models import Explanation
from sandbox.results import process_label
from tests.clock import counts_down_from, seconds_after
from tests.sandbox.helpers import last, namespace_of, run

pytestmark = pytest.mark.django_db

API = "/sandbox/api/run"
WIRE_FIELDS = {"round_trips", "commands", "bytes_sent", "bytes_received", "sandbox_commands"}


@pytest.fixture
def explanations(db) -> None:
    """The explanations: in the test database for the session (tests/conftest.py)."""


def api(client, code: str, **body):
    response = client.post(API, {"code": code, **body}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response


def test_every_result_carries_its_wire_and_every_line_its_differences(client) -> None:
    body = api(client, "cache.set('k', 'v', timeout=60)\ncache.get('k')").json()
    for line in body["lines"]:
        assert isinstance(line["differences"], list)
        for name in NAMES:
            assert set(line["results"][name]["wire"]) >= WIRE_FIELDS
    locmem = body["lines"][0]["results"]["locmem"]["wire"]
    assert (locmem["round_trips"], locmem["commands"]) == (0, [])
    assert body["lines"][1]["differences"] == []  # all four read 'v'


def test_builtin_redis_incr_is_two_round_trips_and_django_redis_one_eval(client) -> None:
    api(client, "cache.set('n', 1)")
    results = api(client, "cache.incr('n')").json()["lines"][0]["results"]
    redis, django_redis = results["redis"]["wire"], results["django-redis"]["wire"]
    assert [command.split()[0] for command in redis["commands"]] == ["EXISTS", "INCRBY"]
    assert redis["round_trips"] == 2
    assert django_redis["commands"][0].startswith("EVAL <script, ")
    assert django_redis["round_trips"] == 1


def test_expiry_is_ex_seconds_on_builtin_redis_and_px_milliseconds_on_django_redis(client):
    results = api(client, "cache.set('greeting', 'hello', timeout=300)").json()["lines"][0]
    assert results["results"]["redis"]["wire"]["commands"][0].endswith(" EX 300")
    assert results["results"]["django-redis"]["wire"]["commands"][0].endswith(" PX 300000")


def test_the_memcached_read_back_is_the_sandboxs_and_not_counted_as_the_call(client) -> None:
    code = "cache.set('n', 2, timeout=300)"
    wire = api(client, code, inspect=True).json()["lines"][0]["results"]["memcached"]["wire"]
    assert wire["round_trips"] == 1
    assert len(wire["commands"]) == 1 and wire["commands"][0].startswith("set ")
    assert "flags 2" in wire["commands"][0]  # an int travels as its digits
    sent = [command.split()[:2] for command in wire["sandbox_commands"]]
    assert sent == [["read-back:", "get"], ["inspection:", "mg"], ["inspection:", "mn"]]


def test_without_inspect_the_api_sends_the_call_alone_and_says_how_to_check_it(client) -> None:
    api(client, "cache.get('warm-up')")  # the connection's handshake is behind us
    result = api(client, "cache.set('n', 2, timeout=300)").json()["lines"][0]["results"]
    memcached = result["memcached"]
    assert memcached["wire"]["sandbox_commands"] == []
    assert "open the details to read the keys back" in memcached["notes"][0]
    assert all(result[name]["wire"]["sandbox_commands"] == [] for name in NAMES)


def test_get_many_is_one_mget_and_one_memcached_get(client) -> None:
    api(client, "cache.set_many({'a': 1, 'b': 2})")
    results = api(client, "cache.get_many(['a', 'b'])").json()["lines"][0]["results"]
    assert [c.split()[0] for c in results["redis"]["wire"]["commands"]] == ["MGET"]
    assert [c.split()[0] for c in results["memcached"]["wire"]["commands"]] == ["get"]
    assert results["memcached"]["wire"]["round_trips"] == 1


def test_a_difference_is_flagged_with_its_explanation(client, explanations) -> None:
    line = api(client, "cache.set('n', 1)\ncache.decr('n', 5)").json()["lines"][1]
    assert [difference["backends"] for difference in line["differences"]] == [["memcached"]]
    assert "never goes below 0" in line["differences"][0]["explanation"]


def test_an_edited_explanation_shows_on_the_next_run(client, explanations) -> None:
    code = "cache.set('n', 1)\ncache.decr('n', 5)"
    api(client, code)
    row = Explanation.objects.get(explanation__contains="never goes below 0")
    row.explanation = "Memcached counters are unsigned: edited by an instructor."
    row.save()
    line = api(client, code).json()["lines"][1]
    assert line["differences"][0]["explanation"] == row.explanation


def test_a_run_that_disagrees_reads_no_explanations_from_the_database_once_kept(
    client, explanations, django_assert_num_queries
) -> None:
    api(client, "cache.set('k', 1)")
    with django_assert_num_queries(1):  # the session: the explanations come from the cache
        line = api(client, "cache.set('k', 1)").json()["lines"][0]
    assert line["differences"][0]["backends"] == ["django-redis"]


def test_the_page_flags_differing_cells_in_words_not_colour_alone(client, explanations) -> None:
    form = {"code": "cache.set('n', 1)\ncache.decr('n', 5)", "backends": list(NAMES)}
    html = client.post("/sandbox/run", {**form, "server": "A"}).content.decode()
    assert "The backends disagree on this line" in html
    assert html.count("≠ differs") == 2  # django-redis on line 1, memcached on line 2
    assert "never goes below 0" in html
    assert "<details" in html and "<code>INCRBY sandbox-redis:1:" in html  # decr is INCRBY -5


def test_memcached_inspection_shows_ttl_size_and_pickle_or_int() -> None:
    result = run(
        "cache.set('n', 42, timeout=120)\ncache.set('d', {'a': 1})", backends=["memcached"]
    )
    number, pickled = (line.outcomes["memcached"].keys[0].details for line in result.lines)
    assert ", 2 bytes, client flags 2 (an int" in number
    assert counts_down_from(120, seconds_after("TTL", number))
    assert "client flags 1 (a pickle)" in pickled
    assert counts_down_from(300, seconds_after("TTL", pickled))
    missing = last(run("cache.get('absent')", backends=["memcached"]), "memcached")
    assert missing.keys[0].details.endswith(": not on the server")


def test_memcached_inspection_is_the_sandboxs_own_meta_get() -> None:
    outcome = last(run("cache.get('absent')", backends=["memcached"]), "memcached")
    assert outcome.wire.commands[0].startswith("get ")
    assert outcome.wire.sandbox_commands[0].startswith("inspection: mg ")


def test_a_locmem_key_set_in_another_process_is_said_so_instead_of_a_bare_none() -> None:
    namespace = namespace_of("learner-one")
    locmem = registry.load(namespace, ["locmem"])["locmem"]
    assert locmem.reserve({("k", None)}, "app-2:4242")
    outcome = last(run("cache.get('k')", backends=["locmem"]), "locmem")
    assert outcome.value == "None"
    assert outcome.set_elsewhere == [
        f"'k' is not in this process's LocMem store: you set it in process app-2:4242, and this "
        f"request was served by process {process_label()}. Every worker process has a LocMem "
        "store of its own, so a value cached by one is a miss on the others: lesson 1's "
        "production bug, live."
    ]


def test_a_locmem_key_set_in_this_process_needs_no_such_note() -> None:
    run("cache.set('k', 1)", backends=["locmem"])
    outcome = last(run("cache.delete('k')\ncache.get('k')", backends=["locmem"]), "locmem")
    assert (outcome.value, outcome.set_elsewhere) == ("None", [])


def test_server_timing_splits_session_rate_limit_and_each_backend(client) -> None:
    response = api(client, "cache.set('k', 1)\ncache.get('k')")
    names = [part.split(";")[0] for part in response["Server-Timing"].split(", ")]
    assert names == ["session", "ratelimit", *NAMES]
    page = client.post("/sandbox/run", {"code": "cache.get('k')", "backends": ["redis"]})
    assert page["Server-Timing"].startswith("session;dur=")
