import pytest
from django.urls import NoReverseMatch, reverse

from lessons.models import Lesson
from lessons.rendering import UnknownTopic, reading_minutes, render_body, sanitize

HOSTILE_BODY = """\
## Hello

<script>alert('raw html')</script>

<img src="x" onerror="alert('img')">

[click me](javascript:alert('link'))

```python run
cache.set('x', '</code></pre><script>alert("code")</script>')
```
"""


def test_raw_html_and_script_links_in_a_body_render_inert() -> None:
    html = render_body(HOSTILE_BODY)["html"]
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert('raw html')&lt;/script&gt;" in html


@pytest.mark.django_db
def test_a_lesson_page_with_a_script_in_its_body_runs_no_script(client) -> None:
    Lesson.objects.create(slug="hostile", title="Hostile", order=1, summary="s", body=HOSTILE_BODY)
    html = client.get("/lessons/hostile/").content.decode()
    body = html[html.index('<div class="lesson-body">') :]
    assert "<script" not in body
    assert "<img" not in body


def test_headings_get_unique_anchors_and_form_a_nested_table_of_contents() -> None:
    rendered = render_body("## Settings\n\n### `TIMEOUT`\n\n## Settings\n\n## Main\n")
    assert rendered["toc"] == [
        {"id": "settings", "text": "Settings", "children": [
            {"id": "timeout", "text": "TIMEOUT", "children": []},
        ]},
        {"id": "settings-2", "text": "Settings", "children": []},
        {"id": "main-2", "text": "Main", "children": []},
    ]  # fmt: skip
    assert '<h2 id="settings-2">Settings</h2>' in rendered["html"]
    assert '<h2 id="main-2">' in rendered["html"]  # "main" is the page's own landmark id


@pytest.mark.parametrize(
    ("words", "minutes"), [(0, 1), (1, 1), (200, 1), (201, 2), (1000, 5), (1001, 6)]
)
def test_reading_time_is_words_at_200_a_minute_rounded_up(words: int, minutes: int) -> None:
    assert reading_minutes(" ".join(["word"] * words)) == minutes
    assert render_body(" ".join(["word"] * words))["minutes"] == minutes


def test_code_is_highlighted_on_the_server_and_only_run_blocks_get_a_button() -> None:
    html = render_body("```python\nx = 1\n```\n\n```python run\ncache.get('k')\n```\n")["html"]
    assert '<div class="highlight">' in html and '<span class="n">x</span>' in html
    assert html.count("Run in sandbox") == 1
    assert 'href="/sandbox/?code=cache.get%28%27k%27%29"' in html


def test_an_unknown_code_language_is_shown_as_plain_text() -> None:
    html = render_body("```nosuchlanguage\na < b\n```\n")["html"]
    assert "a &lt; b" in html


def test_tables_scroll_sideways_on_narrow_screens() -> None:
    html = render_body("| a | b |\n| --- | --- |\n| 1 | 2 |\n")["html"]
    assert html.startswith('<div class="table-scroll"><table>')


def lab_figures_url_or_skip(topic: str) -> str:
    try:
        return reverse("lab:figures", args=[topic])
    except NoReverseMatch:
        pytest.skip("lab:figures with a topic arrives with the lab branch (CONTRACTS.md)")


def test_a_lab_figures_block_loads_that_topics_live_figures_with_a_link_without_js() -> None:
    url = lab_figures_url_or_skip("cold-warm")
    html = render_body("Before.\n\n```lab-figures\ncold-warm\n```\n")["html"]
    assert f'hx-get="{url}" hx-trigger="load" hx-swap="outerHTML"' in html
    assert f'<a href="{url}"' in html
    assert "<pre" not in html


def test_a_lab_figures_block_with_an_unknown_topic_is_refused_with_the_topics_named() -> None:
    with pytest.raises(UnknownTopic, match="cold-warm, app-servers"):
        render_body("```lab-figures\nno-such-topic\n```\n")


def test_htmx_attributes_survive_sanitising_only_with_a_lab_figures_placeholders_values() -> None:
    url = lab_figures_url_or_skip("bench")
    html = sanitize(
        f'<div hx-get="{url}" hx-trigger="load" hx-swap="outerHTML">a</div>'
        '<div hx-get="/accounts/logout/" hx-trigger="click" hx-swap="innerHTML">b</div>'
        '<p hx-get="/x">c</p>'
    )
    assert html.count("hx-") == 3
    assert "/accounts/logout/" not in html and "click" not in html


@pytest.mark.django_db
def test_every_lesson_page_ends_with_test_yourself_linking_to_its_quiz(client) -> None:
    Lesson.objects.filter(slug="redis").update(title="Redis")
    try:
        url = reverse("quiz:lesson", args=["redis"])
    except NoReverseMatch:
        pytest.skip("quiz:lesson arrives with the quiz branch (CONTRACTS.md)")
    html = client.get("/lessons/redis/").content.decode()
    assert '<h2 id="lesson-end-heading">Test yourself</h2>' in html
    assert f'<a class="button" href="{url}">Test yourself on “Redis”</a>' in html
