import pytest

pytestmark = pytest.mark.django_db


def test_an_anonymous_learner_is_offered_log_in_and_sign_up(client) -> None:
    html = client.get("/quiz/").content.decode()

    assert 'href="/accounts/login/"' in html
    assert 'href="/accounts/signup/"' in html
    assert 'action="/accounts/logout/"' not in html


def test_a_signed_in_learner_sees_their_name_and_a_log_out_button(client, ada) -> None:
    client.force_login(ada)

    html = client.get("/").content.decode()

    assert "Signed in as <strong>ada</strong>" in html
    form = html[html.index('<form method="post" action="/accounts/logout/"') :]
    assert 'name="csrfmiddlewaretoken"' in form[: form.index("</form>")]
    assert "/accounts/signup/" not in html


def test_a_lesson_page_links_to_the_account_corner_and_sets_no_csrf_cookie(client) -> None:
    response = client.get("/lessons/redis/")

    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert b'hx-get="/accounts/corner/"' in response.content
    assert b'<a href="/accounts/corner/">Your account</a>' in response.content


def test_the_account_corner_offers_log_in_without_javascript(client) -> None:
    response = client.get("/accounts/corner/")

    html = response.content.decode()
    assert 'href="/accounts/login/"' in html and 'href="/accounts/signup/"' in html
    assert "Your account" in html  # a page of its own
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_account_corner_fragment_shows_the_signed_in_learner(client, ada) -> None:
    client.force_login(ada)

    response = client.get("/accounts/corner/", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.strip().startswith('<div class="account-bar" id="account-corner">')
    assert "Signed in as <strong>ada</strong>" in html
    assert 'action="/accounts/logout/"' in html and 'name="csrfmiddlewaretoken"' in html
    assert "<html" not in html


def test_the_navigation_marks_progress_only_on_the_progress_page(client) -> None:
    client.get("/")  # the navigation of the home page is kept first
    on_progress = client.get("/progress/").content.decode()
    at_home = client.get("/").content.decode()

    assert '<a href="/progress/" aria-current="page">Progress</a>' in on_progress
    assert '<a href="/progress/">Progress</a>' in at_home
