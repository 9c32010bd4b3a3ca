import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.test import Client
from django.utils.html import escape

from lessons.examples import sandbox_examples
from lessons.models import Lesson
from lessons.rendering import sandbox_url
from tests.lessons.conftest import SLUGS, change_form_data

# Headings (or phrases) each lesson must contain: the list of what it teaches.
REQUIRED = {
    "why-cache": [
        "Good: a shared cache every app server reads",
        "Bad: the default local-memory cache in production",
        "Performance gain.",
        "Performance cost.",
        "Performance comparison",
        "[OK] Good",
        "[X] Bad",
        "Rendering pipeline",
        "Server processing",
        "Network transfer",
        "First paint",
        "Bottleneck.",
        "Core Web Vital affected: LCP",
        "Optimization tips",
        "Plan for a cold cache instead of counting on persistence.",
        "DevTools: Network",
        "Disable cache",
        "Waiting for server response",
        "Server-Timing",
        'href="/lab/"',
    ],
    "locmem": [
        "One store per process",
        "least recently used",
        "MAX_ENTRIES",
        "CULL_FREQUENCY",
        "When LocMemCache is right",
    ],
    "redis": [
        "django.core.cache.backends.redis.RedisCache",
        "django_redis.cache.RedisCache",
        "Settings for both",
        "Persistence is a server setting",
        "Replicas",
        "What django-redis adds",
        "IGNORE_EXCEPTIONS",
    ],
    "memcached": [
        "PyMemcacheCache",
        "PyLibMCCache",
        "removed in Django 4.1",
        "Pickling: why a dict round-trips",
        "250 bytes",
        "InvalidCacheKey",
        "Several servers and client-side hashing",
        "Cold starts after a restart",
    ],
    "choosing-a-backend": [
        "A decision guide",
        "The database cache",
        "createcachetable",
        "The file-based cache",
        "MEDIA_ROOT",
        "The dummy cache",
        "<code>clear()</code> on a shared server",
        "FLUSHDB",
    ],
    "page-caching": [
        "The per-site cache",
        "django.middleware.cache.UpdateCacheMiddleware",
        "django.middleware.cache.FetchFromCacheMiddleware",
        "CACHE_MIDDLEWARE_SECONDS",
        "<code>cache_page</code>: one view at a time",
        "The classic leak: a personal page cached for everyone",
        "Bad: <code>cache_page</code> on a page that greets the user",
        "Good: vary on the cookie, or do not share the page",
        "vary_on_cookie",
        "vary_on_headers",
        "Responses that set cookies, and forms",
        "Fragment caching with the <code>cache</code> template tag",
        "make_template_fragment_key",
        "cache_control",
        "never_cache",
        "ConditionalGetMiddleware",
        "Conditional GET: <code>ETag</code> and <code>Last-Modified</code>",
    ],
    "keeping-data-correct": [
        "Invalidate when the data changes",
        "Why <code>transaction.on_commit</code>",
        "The read-then-set race",
        "A generation, moved on at commit",
        "<code>incr_version()</code>",
        "What is safe to pickle",
        "The async API",
        "Testing code that caches",
        "Serving stale while one worker rebuilds",
        'href="/lab/this-site/"',
        'hx-get="/lab/figures/race/"',
    ],
    "running-cache-servers": [
        "Sizing memcached",
        "maxmemory-policy",
        "Watching the hit ratio",
        "keyspace_hits",
        "get_misses",
        "One memcached of several fails",
        "dead_timeout",
        "Connection pools",
        "Redis Cluster is a different protocol",
        "s-maxage",
        "stale-while-revalidate",
        'hx-get="/lab/figures/failover/"',
        'hx-get="/lab/figures/cache-servers/"',
        'hx-get="/lab/figures/full-cache/"',
    ],
}


@pytest.mark.parametrize("slug", SLUGS)
def test_every_lesson_renders_with_its_required_sections(client, course, slug: str) -> None:
    response = client.get(f"/lessons/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    missing = [text for text in REQUIRED[slug] if text not in html]
    assert not missing, f"{slug} lacks {missing}"


def test_the_lesson_list_shows_every_lesson_in_order_with_summary_time_and_impact(
    client, course
) -> None:
    html = client.get("/lessons/").content.decode()
    positions = [html.index(f'href="/lessons/{slug}/"') for slug in SLUGS]
    assert positions == sorted(positions)
    for lesson in course:
        assert escape(lesson.summary) in html
        assert f"{lesson.reading_minutes} min read" in html
    assert 'class="badge badge-high"' in html and 'class="badge badge-medium"' in html


def test_an_unknown_lesson_is_a_404(client, course) -> None:
    assert client.get("/lessons/no-such-lesson/").status_code == 404


def test_a_post_to_a_lesson_is_refused_with_405(client, course) -> None:
    assert client.post("/lessons/why-cache/").status_code == 405


def test_the_first_and_last_lessons_link_only_forwards_and_backwards(client, course) -> None:
    first = client.get(f"/lessons/{SLUGS[0]}/").content.decode()
    last = client.get(f"/lessons/{SLUGS[-1]}/").content.decode()
    assert f'rel="next" href="/lessons/{SLUGS[1]}/"' in first and 'rel="prev"' not in first
    assert f'rel="prev" href="/lessons/{SLUGS[-2]}/"' in last and 'rel="next"' not in last


@pytest.mark.parametrize("slug", SLUGS)
def test_every_lesson_links_to_its_practice_questions(client, course, slug: str) -> None:
    assert 'href="/quiz/practice/"' in client.get(f"/lessons/{slug}/").content.decode()


@pytest.mark.parametrize("slug", SLUGS)
def test_every_runnable_example_has_a_run_in_sandbox_link_with_its_code(
    client, course, slug: str
) -> None:
    html = client.get(f"/lessons/{slug}/").content.decode()
    examples = sandbox_examples(Lesson.objects.get(slug=slug))
    assert examples
    for code in examples:
        assert f'href="{sandbox_url(code).replace("&", "&amp;")}"' in html
    assert html.count(">Run in sandbox<") == len(examples)


def test_a_lesson_page_shows_its_reading_time_impact_and_table_of_contents(client, course) -> None:
    html = client.get("/lessons/redis/").content.decode()
    assert f"{course[2].reading_minutes} min read" in html
    assert '<span class="badge badge-high">High impact</span>' in html
    assert '<a href="#persistence-is-a-server-setting">Persistence is a server setting</a>' in html
    assert '<h2 id="persistence-is-a-server-setting">' in html
    assert '<a href="/lessons/" aria-current="page">Lessons</a>' in html  # the shared page's nav


def test_reading_lessons_anonymously_creates_no_session(client, course) -> None:
    for slug in SLUGS:
        response = client.get(f"/lessons/{slug}/")
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def test_a_first_visit_reads_the_outline_and_gets_the_page_rendered_once_for_everyone(
    course, django_assert_num_queries
) -> None:
    with django_assert_num_queries(2):  # the outline (the ETag) and the lesson: rendered, kept
        first = Client().get("/lessons/memcached/")
    with django_assert_num_queries(1):  # the outline: the page is the one kept
        again = Client().get("/lessons/memcached/")
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_a_lesson_page_is_the_same_for_every_learner_and_sets_no_csrf_cookie(course) -> None:
    first, second = Client(), Client()
    first_response = first.get("/lessons/locmem/")
    second_response = second.get("/lessons/locmem/")
    assert first_response.content == second_response.content
    assert "csrftoken" not in first_response.cookies
    assert "X-CSRFToken" not in first_response.content.decode()


def test_pages_that_post_still_send_the_csrf_token_with_htmx(client, course) -> None:
    assert "X-CSRFToken" in client.get("/sandbox/").content.decode()


HTMX = {"HX-Request": "true"}


def test_one_learners_pending_message_reaches_only_their_own_account_corner(
    admin_client, course
) -> None:
    lesson = course[2]
    # Saving leaves a "changed successfully" message pending until a page shows it.
    admin_client.post(f"/admin/lessons/lesson/{lesson.pk}/change/", change_form_data(lesson))
    assert "changed successfully" not in admin_client.get("/lessons/redis/").content.decode()
    corner = admin_client.get("/accounts/corner/", headers=HTMX).content.decode()
    assert "changed successfully" in corner and 'hx-swap-oob="true"' in corner
    assert "changed successfully" not in Client().get("/accounts/corner/").content.decode()


def test_an_anonymous_learners_pending_message_is_shown_to_them_once(client, course) -> None:
    waiting = CookieStorage(HttpRequest())._encode([Message(constants.INFO, "Welcome back")])
    client.cookies["messages"] = waiting
    assert "Welcome back" not in client.get("/lessons/redis/").content.decode()
    assert "Welcome back" in client.get("/accounts/corner/", headers=HTMX).content.decode()
    assert "Welcome back" not in client.get("/accounts/corner/", headers=HTMX).content.decode()
