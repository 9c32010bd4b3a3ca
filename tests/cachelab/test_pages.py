import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/lessons/", "/quiz/", "/sandbox/", "/lab/"])
def test_every_section_serves_a_page(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert b'<main id="main"' in response.content


def test_htmx_comes_from_the_projects_own_static_files(client) -> None:
    html = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2.min.js' in html
    assert "unpkg.com" not in html and "cdn" not in html.lower()


def test_the_body_sends_the_csrf_token_with_every_htmx_request(client) -> None:
    html = client.get("/").content.decode()
    assert '<body hx-headers=\'{"X-CSRFToken": "' in html


def test_the_kept_navigation_marks_the_section_each_page_is_in(client) -> None:
    sections = {"/quiz/": "/quiz/", "/sandbox/": "/sandbox/", "/": None}
    for _ in range(2):  # the second time round, every section's navigation is a kept one
        for path, current in sections.items():
            html = client.get(path).content.decode()
            marked = [href for href in sections if f'href="{href}" aria-current="page"' in html]
            assert marked == ([current] if current else []), path


def test_the_kept_head_still_loads_the_stylesheet_and_htmx(client) -> None:
    for path in ("/", "/quiz/", "/sandbox/"):  # rendered once, then kept
        html = client.get(path).content.decode()
        assert '<link rel="stylesheet" href="/static/cachelab/site.css' in html, path
        assert '<script src="/static/django_htmx/htmx-2.min.js' in html, path
