"""A learner driven through nginx gets the same state whichever app host answers."""

import gzip
import re
from pathlib import Path

import pytest
import requests
from django.conf import settings

from loadtest.journeys import REMOTE_BACKENDS
from ops.cluster import APP_HOSTS
from tests.cluster.peers import LOAD_BALANCER, session_from
from tests.waiting import wait_for

pytestmark = pytest.mark.cluster


def app_hosts_that_answered(learner) -> set[str]:
    return set(learner.hosts)


@pytest.fixture
def watched(learner):
    """The learner, noting which app host (nginx's X-Upstream) answered each request."""
    learner.hosts = []
    learner.http.hooks["response"].append(
        lambda response, *args, **kwargs: learner.hosts.append(response.headers["X-Upstream"])
    )
    return learner


def test_nginx_spreads_one_learners_requests_over_both_app_hosts(cluster, watched) -> None:
    for slug in watched.lesson_slugs():
        watched.read_lesson(slug)
    app_ports = {f"127.0.0.1:{cluster.services[name].port}" for name in APP_HOSTS}
    assert set(watched.hosts) == app_ports


def test_lesson_progress_reads_the_same_on_both_hosts(cluster, watched) -> None:
    slugs = watched.lesson_slugs()
    for slug in slugs[:2]:
        watched.read_lesson(slug)
        assert watched.mark_read(slug)
        assert not watched.mark_read(slug)  # read now: no button any more
    watched.hosts.clear()
    for _ in range(4):
        index = watched.http.get(f"{cluster.url}/lessons/").text
        assert re.search(rf"\b2 of {len(slugs)} lessons", index)  # "You have read 2 of 6 lessons"
    assert len(set(watched.hosts)) == 2


def test_a_quiz_attempt_continues_whichever_host_answers_and_every_answer_is_kept(
    cluster, watched
) -> None:
    slug = watched.quiz_slugs()[0]
    attempt = watched.take_quiz(slug, hint_chance=0.5)
    assert len(watched.recorded) >= 2
    assert len(set(watched.hosts)) == 2  # the session was read on both hosts
    assert all(answer.attempt == attempt for answer in watched.recorded)
    assert all(watched.is_recorded(answer) for answer in watched.recorded)
    # The attempt belongs to this learner's session only.
    with requests.Session() as stranger:
        response = stranger.get(f"{cluster.url}/quiz/attempts/{attempt}/", allow_redirects=False)
    assert response.status_code in (302, 403, 404)


def stored_keys(result: dict, backend: str) -> set[str]:
    return {
        key["stored_key"] for line in result["lines"] for key in line["results"][backend]["keys"]
    }


def test_the_sandbox_namespace_is_the_same_on_both_hosts(cluster, watched) -> None:
    first = watched.run_sandbox("cache.set('greeting', 'hello')")
    for _ in range(4):  # round robin: these land on both hosts
        again = watched.run_sandbox("cache.get('greeting')")
        for backend in REMOTE_BACKENDS:
            result = again["lines"][0]["results"][backend]
            assert result["error"] is None and result["value"] == "'hello'"
            assert stored_keys(again, backend) == stored_keys(first, backend)
    assert len(set(watched.hosts)) == 2


def test_the_sandbox_spreads_keys_over_both_memcached_servers(cluster, learner) -> None:
    keys = [f"key-{index}" for index in range(12)]
    code = "\n".join(f"cache.set({key!r}, 1)" for key in keys)
    result = learner.run_sandbox(code, backends=["memcached"], inspect=True)
    details = " ".join(
        key["details"] for line in result["lines"] for key in line["results"]["memcached"]["keys"]
    )
    servers = set(re.findall(r"Memcached server (127\.0\.0\.1:\d+)", details))
    assert servers == {cluster.services[name].address for name in ("memcached-1", "memcached-2")}


def test_the_access_log_records_the_address_nginx_saw_not_one_the_client_wrote(
    cluster,
) -> None:
    with session_from(LOAD_BALANCER) as other_machine:
        response = other_machine.get(
            f"{cluster.url}/healthz?from-another-address",
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
    assert response.status_code == 200
    assert cluster.environment["DJANGO_TRUSTED_PROXY_COUNT"] == "1"
    # The worker writes the line just after it answered: give it a moment.
    line = f'{LOAD_BALANCER} "GET /healthz?from-another-address'
    assert wait_for(lambda: line in app_host_logs(cluster))
    assert "203.0.113.9" not in app_host_logs(cluster)


def app_host_logs(cluster) -> str:
    return "".join(cluster.services[name].log_path.read_text() for name in APP_HOSTS)


def test_the_site_runs_with_debug_off_on_the_app_hosts(cluster, learner) -> None:
    response = learner.http.get(f"{cluster.url}/no-such-page/")
    assert response.status_code == 404
    assert "Using the URLconf" not in response.text  # Django's DEBUG 404 page


def test_nginx_sends_a_lesson_page_gzip_compressed_to_a_client_that_accepts_it(
    cluster, learner
) -> None:
    slug = learner.lesson_slugs()[0]
    url = f"{cluster.url}/lessons/{slug}/"
    compressed = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True)
    raw = compressed.raw.read(decode_content=False)
    assert compressed.status_code == 200
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed.headers["Vary"]
    page = gzip.decompress(raw).decode()
    assert "</html>" in page
    assert len(raw) < len(page.encode()) / 3
    plain = requests.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert "</html>" in plain.text


def test_a_compressed_lesson_page_still_revalidates_with_its_etag(cluster, learner) -> None:
    slug = learner.lesson_slugs()[0]
    url = f"{cluster.url}/lessons/{slug}/"
    first = requests.get(url, headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]  # nginx weakens a strong ETag when it compresses
    again = requests.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304


def test_static_files_keep_whitenoises_precompressed_copy_and_long_lived_headers(
    cluster, learner
) -> None:
    page = learner.http.get(f"{cluster.url}/lessons/").text
    stylesheet = re.search(r'href="(/static/cachelab/site\.[0-9a-f]+\.css)"', page)
    assert stylesheet, "the page links no hashed stylesheet"
    url = cluster.url + stylesheet[1]
    response = requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True)
    raw = response.raw.read(decode_content=False)
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    assert "max-age=315360000" in response.headers["Cache-Control"]
    # WhiteNoise's file, byte for byte (nginx compressing on the fly would not know the size).
    precompressed = Path(settings.STATIC_ROOT) / (stylesheet[1].removeprefix("/static/") + ".gz")
    assert int(response.headers["Content-Length"]) == len(raw) == precompressed.stat().st_size
