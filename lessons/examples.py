"""The code behind every "Run in sandbox" button, for checking it against the sandbox."""

from lessons.models import Lesson
from lessons.rendering import MARKDOWN, is_runnable


def sandbox_examples(lesson: Lesson) -> list[str]:
    """The code of every block that gets a "Run in sandbox" button, in page order."""
    return [
        token.content.rstrip("\n")
        for token in MARKDOWN.parse(lesson.body)
        if token.type == "fence" and is_runnable(token.info)
    ]


def all_sandbox_examples() -> dict[str, list[str]]:
    """Every lesson's runnable examples, by lesson slug, in course order."""
    return {lesson.slug: sandbox_examples(lesson) for lesson in Lesson.objects.all()}
