import pytest

pytestmark = pytest.mark.django_db


def test_the_home_page_links_to_every_section(client) -> None:
    html = client.get("/").content.decode()
    for href in ('href="/lessons/"', 'href="/quiz/"', 'href="/sandbox/"', 'href="/lab/"'):
        assert href in html
