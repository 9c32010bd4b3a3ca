"""What the lab page says about how the stampede experiment runs (issue 18, correction 5)."""

import html

import pytest
from django.utils.html import strip_tags

pytestmark = pytest.mark.django_db


def test_the_stampede_experiment_says_its_threads_share_one_process(client) -> None:
    page = client.get("/lab/")
    text = " ".join(html.unescape(strip_tags(page.content.decode())).split())

    assert "as that many app server workers would be" not in text
    assert "threads of one process, released together" in text
    assert (
        "here every thread shares one LocMem store, so its add() guard lets a single thread "
        "rebuild, while N workers would have N stores of their own and could each rebuild once"
    ) in text
