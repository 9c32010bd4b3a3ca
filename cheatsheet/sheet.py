"""The cheat sheet: the flashcards an instructor marked for it, grouped by topic.

Nothing here is written twice: a row is a card's label and answer, linked to the lesson section
that teaches it, so an edit to a card in the admin is an edit to the sheet.
"""

from dataclasses import dataclass

from flashcards.models import Card, Topic


@dataclass(frozen=True)
class Group:
    topic: str
    title: str
    rows: list[Card]


def cheat_sheet() -> list[Group]:
    cards = Card.objects.filter(on_cheat_sheet=True).select_related("lesson")
    by_topic: dict[str, list[Card]] = {}
    for card in cards:
        by_topic.setdefault(card.topic, []).append(card)
    return [
        Group(topic.value, topic.label, by_topic[topic.value])
        for topic in Topic
        if topic.value in by_topic
    ]
