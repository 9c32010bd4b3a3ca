"""What the lesson texts and the quiz fixture say is true for Django 5.2 (issue 13's corrections).

These read the sources (lessons/content/*.md and fixtures/quiz.json) sentence by sentence, so a
correction that is undone in any lesson, option, step or solution fails here.
"""

import json
import re
from pathlib import Path

from lab.topics import TOPICS
from lessons.content import CONTENT_DIR

QUIZ_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "quiz.json"
FENCE = re.compile(r"^```[^\n]*\n.*?^```$", re.S | re.M)
BLOCK_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.) )")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(\"])")
LAB_FIGURES = re.compile(r"^```lab-figures\n(?P<topic>[^\n]*)\n```$", re.M)
# Measurements typed into a lesson: "1.1 to 1.2 times", "63 to 86%", "46 µs", "3x".
HAND_COPIED_FIGURE = re.compile(
    r"\d+(?:\.\d+)? to \d+(?:\.\d+)?\s*(?:%|times)|\d\s?µs|\d\s?ms\b|\b\d+(?:\.\d+)?x\b"
)
STAMPEDE_WORDS = ("stampede", "at once", "at the same moment", "rebuil", "many requests")


def lesson_sources() -> dict[str, str]:
    return {path.stem: path.read_text() for path in sorted(CONTENT_DIR.glob("*.md"))}


def prose(markdown: str) -> str:
    """The text a learner reads, without the code blocks."""
    return FENCE.sub("", markdown)


def sentences_of(text: str) -> list[str]:
    found = []
    for block in BLOCK_BREAK.split(text):
        found += SENTENCE_END.split(" ".join(block.split()))
    return [sentence for sentence in found if sentence]


def quiz_claims(fields: dict) -> list[str]:
    """What a fixture object asserts as true: a wrong option's text and the list of common
    mistakes state falsehoods on purpose; their explanations do not."""
    skipped = {"common_mistakes"}
    if fields.get("is_correct") is False:
        skipped.add("text")
    return [
        value for name, value in fields.items() if isinstance(value, str) and name not in skipped
    ]


def quiz_texts() -> list[str]:
    fixture = json.loads(QUIZ_FIXTURE.read_text())
    return [text for obj in fixture for text in quiz_claims(obj["fields"])]


def every_sentence() -> list[str]:
    found = []
    for markdown in lesson_sources().values():
        found += sentences_of(prose(markdown))
    for text in quiz_texts():
        found += sentences_of(text)
    return found


def section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    end = markdown.find("\n## ", start + len(heading))
    return markdown[start : end if end != -1 else None]


def test_sentences_split_at_full_stops_and_list_items() -> None:
    text = "One. Two `b`.\n\n- three\n- four: five.\n1. six"
    assert sentences_of(text) == ["One.", "Two `b`.", "- three", "- four: five.", "1. six"]


def test_no_lesson_or_question_says_get_or_set_keeps_requests_from_rebuilding_a_value() -> None:
    claims = [
        sentence
        for sentence in every_sentence()
        if "get_or_set" in sentence
        and any(word in sentence.lower() for word in STAMPEDE_WORDS)
        and " not " not in sentence
    ]
    assert not claims


def test_why_cache_shows_the_stampede_get_or_set_allows_and_the_two_guards() -> None:
    stampedes = section(lesson_sources()["why-cache"], "## Cache stampedes")
    assert "every request that misses" in stampedes
    assert 'cache.get_or_set("report:sales", build_sales_report, 300)' in stampedes
    assert 'if cache.add("report:sales:rebuilding", True, timeout=30):' in stampedes
    assert 'with cache.lock("report:sales:lock"' in stampedes
    assert "```lab-figures\nstampede\n```" in stampedes


def test_noeviction_is_only_mentioned_together_with_a_maxmemory_limit() -> None:
    mentions = [sentence for sentence in every_sentence() if "noeviction" in sentence]
    assert mentions
    assert all("maxmemory" in sentence for sentence in mentions), mentions
    assert "Redis's default `maxmemory` is 0" in lesson_sources()["redis"]


def test_a_version_bump_does_not_promise_that_old_entries_go_away() -> None:
    versions = section(lesson_sources()["choosing-a-backend"], "## Keys, prefixes and versions")
    assert "on their own" not in versions
    assert "`timeout=None`" in versions and "`volatile-*`" in versions


def test_waiting_for_server_response_is_not_called_the_time_to_first_byte() -> None:
    equated = re.compile(r"waiting for server response\W+(?:is|=|means)\W+the time to first byte")
    assert not [s for s in every_sentence() if equated.search(s.lower())]
    devtools = section(lesson_sources()["why-cache"], "## DevTools: Network")
    assert "plus one network round trip" in devtools


def test_the_memcached_key_limit_is_taught_in_bytes() -> None:
    # Django's own check counts characters: a sentence may say so only beside the bytes rule.
    in_characters = [s for s in every_sentence() if re.search(r"250[ -]character", s)]
    assert all("bytes" in sentence for sentence in in_characters), in_characters
    memcached = lesson_sources()["memcached"]
    assert "at most **250 bytes**" in memcached
    assert 'cache.set("é" * 200, "value")' in memcached
    assert "MemcacheIllegalInputError" in memcached


def test_incr_on_the_built_in_redis_backend_is_two_round_trips_and_one_script_on_django_redis():
    redis = lesson_sources()["redis"]
    assert not [s for s in sentences_of(prose(redis)) if "atomic `INCRBY`" in s]
    assert "sends `EXISTS`, then `INCRBY`: two round trips" in " ".join(redis.split())
    assert "one Lua script" in redis


def test_no_lesson_quotes_a_measured_figure_by_hand() -> None:
    for slug, markdown in lesson_sources().items():
        assert not HAND_COPIED_FIGURE.findall(prose(markdown)), slug


def test_lab_figures_come_from_the_lab_in_a_block_naming_a_known_topic() -> None:
    topics = {
        slug: [match["topic"] for match in LAB_FIGURES.finditer(markdown)]
        for slug, markdown in lesson_sources().items()
    }
    assert all(set(found) <= set(TOPICS) for found in topics.values()), topics
    assert "bench" in topics["redis"] and "bench" in topics["choosing-a-backend"]
    assert "stampede" in topics["why-cache"]
    for markdown in lesson_sources().values():
        # Any other lab-figures fence (a typo, a second line) would not become live figures.
        assert markdown.count("```lab-figures") == len(LAB_FIGURES.findall(markdown))


# -- issue 18's corrections ------------------------------------------------------------------
def code_after(markdown: str, heading: str) -> str:
    """The first fenced block after `heading`."""
    start = markdown.index(heading)
    return re.search(r"^```[^\n]*\n(.*?)^```$", markdown[start:], re.S | re.M)[1]


def test_the_add_guard_looks_at_the_cache_again_after_winning_and_the_text_says_why() -> None:
    why_cache = lesson_sources()["why-cache"]
    guard = code_after(why_cache, "### Good: one rebuild, guarded by `add()`")
    after_add = guard[guard.index("if cache.add(") :]
    assert after_add.index('cache.get("report:sales")') < after_add.index("build_sales_report()")
    text = " ".join(prose(why_cache).split())
    assert "exactly one caller gets `True` and rebuilds" not in text
    assert "The winner looks at the cache once more before it builds" in text


def test_the_redis_lock_is_said_to_poll_not_to_queue() -> None:
    assert not [s for s in every_sentence() if re.search(r"(?<!not )\bqueue (for|up)", s)]
    text = " ".join(prose(lesson_sources()["why-cache"]).split())
    assert "tries again (`SET ... NX`) every 0.1 s by default" in text
    assert "in no particular order" in text


def test_has_key_is_not_said_to_check_without_reading_on_every_backend() -> None:
    example = code_after(lesson_sources()["choosing-a-backend"], "## Keys, prefixes and versions")
    assert "has_key() checks without reading" not in example
    assert "on Memcached it\n# is a full get()" in example


def test_a_cached_page_is_said_to_be_deletable_through_get_cache_key() -> None:
    text = " ".join(prose(lesson_sources()["page-caching"]).split())
    assert "There is no `cache.delete()` for a cached page" not in text
    assert "`django.utils.cache.get_cache_key(request)` returns the key" in text


def test_the_middleware_rules_name_the_52_release_each_arrived_in() -> None:
    rules = section(lesson_sources()["page-caching"], "## The per-site cache")
    text = " ".join(rules.split())
    assert "read from Django 5.2's source:" not in text
    assert "`no-store` (since 5.2.15" in text
    assert "`Vary: *` (since 5.2.14)" in text
    assert "Since 5.2.16 such a response is never stored" in text
    assert "Since 5.2.15, a request with an `Authorization` header" in text
    assert "Cache Lab itself runs Django {django_version}" in text
    forms = " ".join(section(lesson_sources()["page-caching"], "## Responses that set").split())
    assert "`Cookie`, since Django 5.2.16" in forms


def test_no_lesson_types_the_django_release_the_site_runs() -> None:
    typed = re.compile(r"5\.2\.(?:1[7-9]|[2-9]\d)")  # releases after the newest one taught
    assert not [slug for slug, text in lesson_sources().items() if typed.search(text)]


def test_quiz_choice_75_names_the_releases_of_the_cookie_and_cache_control_rules() -> None:
    fixture = json.loads(QUIZ_FIXTURE.read_text())
    [why] = [
        obj["fields"]["why"] for obj in fixture if obj["model"] == "quiz.choice" and obj["pk"] == 75
    ]
    assert "since Django 5.2.15, no-cache or no-store" in why
    assert "(since Django 5.2.16; earlier 5.2 releases skipped those only" in why


def test_locmem_is_not_taught_as_single_process_or_dev_only() -> None:
    claims = [
        s
        for s in every_sentence()
        if re.search(r"only works for a single process|dev use only|small or dev use\b", s)
    ]
    assert not claims
    assert any("it works in every process" in s for s in every_sentence())


def test_conditional_get_middleware_is_shown_below_gzip_and_the_update_middleware() -> None:
    snippet = code_after(lesson_sources()["page-caching"], "`ConditionalGetMiddleware` does this")
    order = re.findall(r'"django\.middleware\.[\w.]+\.(\w+)"', snippet)
    conditional = order.index("ConditionalGetMiddleware")
    assert order.index("GZipMiddleware") < conditional
    assert order.index("UpdateCacheMiddleware") < conditional
    assert order[0] != "ConditionalGetMiddleware"
