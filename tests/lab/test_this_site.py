"""/lab/this-site/, "How this site caches": every cache the site keeps, from the registry, and
live counts from this process's counters; nothing on it is typed by hand."""

import html
import re

import pytest

from lab.experiments import LOCK_SECONDS
from quiz.content import QUIZ_CONTENT, quiz_content
from quiz.models import Quiz
from sandbox.registry import TTL_SECONDS
from sitecache import counters
from sitecache.registry import site_caches

pytestmark = pytest.mark.django_db

EXPECTED = {
    "sessions",
    "quiz-content",
    "explanations",
    "lesson-pages",
    "lesson pages (HTTP)",
    "sandbox rate limits",
    "sandbox key registries",
    "sandbox history",
    "lab experiment locks",
}


def page(client) -> str:
    response = client.get("/lab/this-site/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    return html.unescape(response.content.decode())


def test_every_cache_the_site_keeps_is_described_with_its_key_timeout_and_why_it_is_safe(
    client,
) -> None:
    shown = page(client)
    names = {entry.name for entry in site_caches()}
    assert names >= EXPECTED
    for entry in site_caches():
        card = shown[shown.index(f'id="cache-{slug(entry.name)}"') :]
        card = card[: card.index("</article>")]
        for text in (entry.stores, entry.key_shape, entry.invalidation, entry.why_safe):
            assert text in card, (entry.name, text)
        assert entry.timeout_text in card
    assert f"{LOCK_SECONDS:,} s" in shown and f"{TTL_SECONDS:,} s" in shown


def slug(name: str) -> str:
    return re.sub(r"[^\w\s-]", "", name.lower()).strip().replace(" ", "-")


def test_the_counts_are_this_processs_own_and_move_with_each_read(client) -> None:
    practice = Quiz.objects.get(slug="practice")
    for _ in range(3):
        quiz_content(practice)
    counts = counters.counts()[("default", QUIZ_CONTENT.name)]
    row = re.search(r"<code>quiz-content</code></a></th>(.*?)</tr>", page(client), re.S).group(1)
    cells = [int(cell) for cell in re.findall(r"<td>(\d+)</td>", row)]
    assert cells[:5] == [counts[name] for name in ("hit", "miss", "uncached", "skipped", "error")]
    assert counts["hit"] >= 2


def test_the_current_generation_of_each_generational_cache_is_shown(
    client, django_capture_on_commit_callbacks
) -> None:
    quiz_content(Quiz(pk=1))  # makes the generation
    assert QUIZ_CONTENT.current() in page(client)


def test_the_lessons_that_teach_invalidation_link_to_it(client) -> None:
    for slug_ in ("choosing-a-backend", "page-caching", "redis"):
        assert 'href="/lab/this-site/"' in client.get(f"/lessons/{slug_}/").content.decode()
