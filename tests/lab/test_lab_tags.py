import pytest
from django.template import Context, Template

pytestmark = pytest.mark.django_db

TAG = Template("{% load lab_tags %}{% lab_latest_figures %}")


def test_without_measurements_the_tag_links_to_the_lab() -> None:
    html = TAG.render(Context())
    assert "No figures yet" in html
    assert 'href="/lab/#cold-warm"' in html


def test_after_the_experiments_the_tag_quotes_the_measured_figures(client, shop) -> None:
    client.post("/lab/experiments/cold-warm", {"requests": 3})
    client.post("/lab/experiments/servers", {"requests": 200, "keys": 10})
    html = TAG.render(Context())
    assert "Uncached it took a median of" in html
    assert (
        "LocMemCache&#x27;s hit ratio fell from" in html or "LocMemCache's hit ratio fell" in html
    )
    assert "No figures yet" not in html


def test_the_figures_page_shows_the_newest_measurement_to_a_link_without_javascript(
    client, shop
) -> None:
    assert "No figures yet" in client.get("/lab/figures").content.decode()
    client.post("/lab/experiments/cold-warm", {"requests": 3})
    response = client.get("/lab/figures")
    assert response.status_code == 200
    assert "<main" in response.content.decode()
    assert "Uncached it took a median of" in response.content.decode()


def test_htmx_gets_only_the_figures_fragment(client, shop) -> None:
    response = client.get("/lab/figures", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<aside class="notice latest-figures"')
    assert "<main" not in html
    assert response["Vary"] == "HX-Request"
