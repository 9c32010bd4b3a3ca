"""Picking the faulty line: the answer explains the bug; a wrong pick says to look again."""

import pytest
from django.test import Client

from spotbug.models import Answer

PASSWORD = "correct horse battery 42"


def pick(client: Client, snippet, line, **headers):
    return client.post(f"/spot-the-bug/{snippet.pk}/answer", {"line": line}, headers=headers)


def test_the_right_line_without_javascript_shows_the_explanation_and_the_section(
    client, snippets
) -> None:
    snippet = snippets[0]
    response = pick(client, snippet, snippet.faulty_line)
    assert response.status_code == 302 and response["Location"] == f"/spot-the-bug/{snippet.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert f"Right: line {snippet.faulty_line}." in html
    assert snippet.explanation.split(":")[0] in html
    assert f'href="{snippet.lesson_url()}"' in html


def test_a_wrong_line_with_htmx_says_to_look_again_and_keeps_the_bug_hidden(client, snippets):
    snippet = snippets[0]
    wrong = 1 if snippet.faulty_line != 1 else 2
    response = pick(client, snippet, wrong, HX_Request="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f"Not line {wrong}." in html and "Right:" not in html
    assert snippet.explanation not in html
    assert "HX-Request" in response["Vary"]


def test_the_score_counts_bugs_found_and_first_tries(client, snippets) -> None:
    first, second = snippets[0], snippets[1]
    pick(client, first, first.faulty_line)
    pick(client, second, 1 if second.faulty_line != 1 else 2)
    pick(client, second, second.faulty_line)
    html = client.get("/spot-the-bug/").content.decode()
    assert f"You found 2 of {len(snippets)} bugs, 1 on the first try." in html
    answer = Answer.objects.get(snippet=second)
    assert answer.tries == 2 and answer.right and not answer.first_try_right


@pytest.mark.parametrize("line", ["", "zero", "0", "999", "-1"])
def test_a_line_the_snippet_does_not_have_is_a_400_and_records_nothing(
    client, snippets, line
) -> None:
    response = pick(client, snippets[0], line)
    assert response.status_code == 400
    assert f"Pick one of the lines 1 to {len(snippets[0].lines)}" in response.content.decode()
    assert not Answer.objects.exists()


def test_an_unknown_snippet_is_a_404(client, snippets) -> None:
    assert client.get("/spot-the-bug/99999/").status_code == 404
    assert client.post("/spot-the-bug/99999/answer", {"line": 1}).status_code == 404


def test_see_it_happen_links_the_sandbox_with_the_code_filled_in(client, snippets) -> None:
    snippet = next(s for s in snippets if s.sandbox_code)
    pick(client, snippet, snippet.faulty_line)
    html = client.get(f"/spot-the-bug/{snippet.pk}/").content.decode()
    assert 'href="/sandbox/?code=' in html and "See it happen in the sandbox" in html


def test_pages_answer_head_and_are_never_kept_by_a_shared_cache(client, snippets) -> None:
    for url in ("/spot-the-bug/", f"/spot-the-bug/{snippets[0].pk}/"):
        assert client.head(url).status_code == 200
        assert "private" in client.get(url)["Cache-Control"]


def test_a_visitors_answers_move_to_their_account_at_sign_in(
    client, snippets, django_user_model
) -> None:
    ada = django_user_model.objects.create_user("ada", "ada@example.com", PASSWORD)
    pick(client, snippets[0], snippets[0].faulty_line)
    client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
    answer = Answer.objects.get()
    assert answer.user_id == ada.pk and answer.visitor == ""
    html = Client().get("/spot-the-bug/").content.decode()
    assert f"You found 0 of {len(snippets)} bugs." in html
