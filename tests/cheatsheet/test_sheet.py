"""The cheat sheet is the cards marked for it: an edit to a card is an edit to the sheet."""

from flashcards.models import Card, Topic
from tests.flashcards.conftest import deck  # noqa: F401  (fixture)


def test_the_sheet_shows_every_marked_card_linked_to_its_section(client, deck) -> None:  # noqa: F811
    html = client.get("/cheat-sheet/").content.decode()
    marked = [card for card in deck if card.on_cheat_sheet]
    assert len(marked) >= 30
    for card in marked:
        assert f'href="{card.lesson_url()}"' in html
    unmarked = next(card for card in deck if not card.on_cheat_sheet)
    assert unmarked.back not in html


def test_the_sheet_groups_rows_by_topic_in_the_topics_order(client, deck) -> None:  # noqa: F811
    html = client.get("/cheat-sheet/").content.decode()
    shown = [topic for topic in Topic if f'id="sheet-{topic.value}"' in html]
    assert len(shown) >= 5
    positions = [html.index(f'id="sheet-{topic.value}"') for topic in shown]
    assert positions == sorted(positions)


def test_an_instructors_edit_to_a_card_shows_on_the_sheet(client, deck) -> None:  # noqa: F811
    card = Card.objects.filter(on_cheat_sheet=True).first()
    card.back = "Edited in the admin just now."
    card.save()
    assert "Edited in the admin just now." in client.get("/cheat-sheet/").content.decode()


def test_backticked_code_is_shown_as_code_and_html_is_escaped(client, deck) -> None:  # noqa: F811
    card = Card.objects.filter(on_cheat_sheet=True).first()
    card.back = "Use `cache.add()` <script>alert(1)</script>"
    card.save()
    html = client.get("/cheat-sheet/").content.decode()
    assert "<code>cache.add()</code>" in html and "&lt;script&gt;" in html


def test_the_sheet_answers_head(client, deck) -> None:  # noqa: F811
    assert client.head("/cheat-sheet/").status_code == 200
