"""Both TLS layouts deploy/nginx/ ships, through the cluster: nginx ending TLS itself
(cachelab-tls.conf), and nginx behind a TLS load balancer whose X-Forwarded-Proto it passes on
(cachelab-behind-lb.conf). One more app host, on the cluster's database and caches, runs as
production does with HTTPS: DJANGO_SSL_REDIRECT, Secure cookies, X-Forwarded-Proto believed.
A redirect loop or a CSRF origin failure shows as a page that never loads or a refused POST."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from loadtest.journeys import Learner
from ops.cluster import start_gunicorn
from ops.nginx import Tls, self_signed_certificate, start_nginx
from ops.services import LOOPBACK, free_port
from tests.cluster.peers import LOAD_BALANCER, session_from

pytestmark = pytest.mark.cluster

HTTPS_APP_HOST = {
    "DJANGO_BEHIND_TLS_PROXY": "true",
    "DJANGO_SSL_REDIRECT": "true",
    "DJANGO_SECURE_COOKIES": "true",
}


@dataclass
class Fronts:
    tls_plain: str  # nginx ending TLS: its plain HTTP port
    tls: str  # ... and its HTTPS port
    certificate: str
    behind_lb: str  # nginx behind a load balancer (127.0.0.2)


@pytest.fixture(scope="module")
def fronts(cluster, tmp_path_factory) -> Iterator[Fronts]:
    directory = tmp_path_factory.mktemp("tls-layouts")
    certificate, key = self_signed_certificate(directory / "tls")
    environment = cluster.environment | HTTPS_APP_HOST
    services = [start_gunicorn("app-https", free_port(), environment, directory, workers=1)]
    app_ports = [services[0].port]
    try:
        tls = Tls(certificate, key, free_port())
        services.append(
            start_nginx(free_port(), app_ports, directory / "tls-nginx", tls=tls, name="nginx-tls")
        )
        behind_lb = start_nginx(
            free_port(),
            app_ports,
            directory / "lb-nginx",
            trusted_peers=[LOAD_BALANCER],
            name="nginx-behind-lb",
        )
        services.append(behind_lb)
        yield Fronts(
            tls_plain=f"http://{services[1].address}",
            tls=f"https://{LOOPBACK}:{tls.port}",
            certificate=str(certificate),
            behind_lb=f"http://{services[2].address}",
        )
    finally:
        for service in reversed(services):
            service.stop()


def test_nginx_ending_tls_redirects_plain_http_to_https(fronts) -> None:
    response = requests.get(f"{fronts.tls_plain}/lessons/", allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == f"{fronts.tls}/lessons/"


def test_through_nginx_ending_tls_pages_load_and_a_post_passes_csrf(fronts) -> None:
    with requests.Session() as browser:
        browser.trust_env = False  # else REQUESTS_CA_BUNDLE would win over `verify`
        browser.verify = fronts.certificate
        browser.headers["Origin"] = fronts.tls  # what a browser sends with a form POST
        learner = Learner(browser, fronts.tls)
        slug = learner.lesson_slugs()[0]  # 200, not a redirect to itself
        assert learner.mark_read(slug)  # the POST's CSRF check passed (else 403)
        assert all(cookie.secure for cookie in browser.cookies)


class LoadBalancer(requests.Session):
    """A browser's requests as its TLS load balancer forwards them: plain HTTP, with
    X-Forwarded-Proto: https and the browser's cookies, the Secure ones too (the browser
    sent them over HTTPS; requests would keep them off a plain HTTP request)."""

    def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
        prepared = super().prepare_request(request)
        if self.cookies:
            prepared.headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        prepared.headers["X-Forwarded-Proto"] = "https"
        return prepared


def test_behind_a_load_balancer_its_https_passes_through_nginx(fronts) -> None:
    with session_from(LOAD_BALANCER, LoadBalancer()) as balancer:
        balancer.headers["Origin"] = fronts.behind_lb.replace("http://", "https://")
        learner = Learner(balancer, fronts.behind_lb)
        slug = learner.lesson_slugs()[0]  # 200: Django saw https, no redirect loop
        assert learner.mark_read(slug)  # the https Origin matched: CSRF passed
        assert all(cookie.secure for cookie in balancer.cookies)


def test_a_client_that_is_not_the_load_balancer_cannot_claim_https(fronts) -> None:
    response = requests.get(
        f"{fronts.behind_lb}/lessons/",
        headers={"X-Forwarded-Proto": "https"},
        allow_redirects=False,
    )
    assert response.status_code == 301  # nginx said http: Django sends it to HTTPS
    assert response.headers["Location"] == (
        fronts.behind_lb.replace("http://", "https://") + "/lessons/"
    )


def test_the_load_balancer_without_the_header_counts_as_plain_http(fronts) -> None:
    with session_from(LOAD_BALANCER) as balancer:
        response = balancer.get(f"{fronts.behind_lb}/lessons/", allow_redirects=False)
    assert response.status_code == 301


def test_the_health_checks_answer_over_plain_http_despite_the_https_redirect(fronts) -> None:
    assert requests.get(f"{fronts.behind_lb}/healthz").status_code == 200
    ready = requests.get(f"{fronts.behind_lb}/healthz/ready", allow_redirects=False)
    assert ready.status_code in (200, 503)
    assert set(ready.json().values()) <= {"ok", "down"}
