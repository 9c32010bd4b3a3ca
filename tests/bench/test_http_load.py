"""The benchmark's client against a real server: cookies kept by http.cookiejar."""

import pytest

from bench.http_load import Site, availability, wrk_script
from bench.targets import Target

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_site_client_keeps_the_csrf_cookie_and_sends_it_as_a_header(live_server) -> None:
    site = Site(live_server.url)
    post = Target("sandbox call", "/sandbox/api/run", method="POST", prime_from="/sandbox/")
    assert site.request(post, path="/sandbox/", method="GET") == 200
    token = site.cookie("csrftoken")
    assert token
    assert site.headers(post)["X-CSRFToken"] == token
    assert f"csrftoken={token}" in site.headers_with_cookies(post)["Cookie"]
    assert "Cookie" not in site.headers(post)  # urllib's cookie processor adds it


def test_wrk_gets_the_same_cookies_in_its_script(live_server) -> None:
    site = Site(live_server.url)
    target = Target("sandbox", "/sandbox/")
    site.request(target)
    script = wrk_script(target, site.headers_with_cookies(target))
    assert f"csrftoken={site.cookie('csrftoken')}" in script


def test_a_url_that_does_not_exist_is_reported_not_measured(live_server) -> None:
    site = Site(live_server.url)
    assert availability(site, Target("missing", "/no-such-page/")) == "not available (404)"
    assert availability(site, Target("floor", "/lab/floor")) == "ok"


def test_a_first_visit_target_is_sent_no_cookie_though_the_learner_has_some(live_server) -> None:
    site = Site(live_server.url)
    site.request(Target("sandbox", "/sandbox/"))
    assert site.cookie("csrftoken")
    first_visit = Target("lesson, first visit", "/lab/floor", cookies=False)
    assert "Cookie" not in site.headers_with_cookies(first_visit)
    assert "Cookie" not in wrk_script(first_visit, site.headers_with_cookies(first_visit))
    assert site.request(first_visit) == 200
