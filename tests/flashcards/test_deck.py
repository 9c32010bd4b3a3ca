"""The deck's content: enough cards, over every lesson, each pointing at a real section."""

from flashcards.models import Card
from lessons.models import Lesson


def test_the_deck_has_at_least_sixty_cards_and_every_lesson_has_some(deck) -> None:
    assert len(deck) >= 60
    assert set(Lesson.objects.values_list("pk", flat=True)) == {card.lesson_id for card in deck}


def test_every_card_links_to_a_heading_its_lesson_has(deck) -> None:
    missing = [
        (card.front, card.lesson.slug, card.section)
        for card in deck
        if card.section not in card.lesson.headings()
    ]
    assert missing == []


def test_a_card_links_to_its_lesson_section(deck) -> None:
    card = Card.objects.get(front__startswith="How many round trips does cache.incr()")
    assert card.lesson_url() == "/lessons/redis/#what-one-call-costs-measured-on-this-platform"


def test_cards_name_their_lesson_by_slug_so_a_renumbered_lesson_keeps_its_cards(deck) -> None:
    redis = Lesson.objects.get(slug="redis")
    assert Card.objects.filter(lesson=redis).count() >= 8
