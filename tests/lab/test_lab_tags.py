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
