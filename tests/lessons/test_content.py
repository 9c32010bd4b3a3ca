"""What the lesson texts and the quiz fixture say is true for Django 5.2 (issue 13's corrections).

These read the sources (lessons/content/*.md and fixtures/quiz.json) sentence by sentence, so a
correction that is undone in any lesson, option, step or solution fails here.
"""

import json
import re
from pathlib import Path

from lessons.content import CONTENT_DIR
from lessons.rendering import LAB_TOPICS as RENDERED_TOPICS

QUIZ_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "quiz.json"
FENCE = re.compile(r"^```[^\n]*\n.*?^```$", re.S | re.M)
BLOCK_BREAK = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*]|\d+\.) )")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(\"])")
LAB_FIGURES = re.compile(r"^```lab-figures\n(?P<topic>[^\n]*)\n```$", re.M)
LAB_TOPICS = set(RENDERED_TOPICS)
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
    assert all(set(found) <= LAB_TOPICS for found in topics.values()), topics
    assert "bench" in topics["redis"] and "bench" in topics["choosing-a-backend"]
    assert "stampede" in topics["why-cache"]
    for markdown in lesson_sources().values():
        # Any other lab-figures fence (a typo, a second line) would not become live figures.
        assert markdown.count("```lab-figures") == len(LAB_FIGURES.findall(markdown))
