import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from learners.identity import VISITOR_SESSION_KEY, Learner, learner_signed_in
from tests.accounts.conftest import PASSWORD, log_in

pytestmark = pytest.mark.django_db


def test_signing_up_logs_the_new_learner_in(client) -> None:
    response = client.post(
        "/accounts/signup/",
        {"username": "grace", "email": "", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] == "/progress/"
    user = get_user_model().objects.get(username="grace")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_signing_up_goes_back_to_the_page_the_learner_came_from(client) -> None:
    data = {"username": "grace", "password1": PASSWORD, "password2": PASSWORD}

    response = client.post("/accounts/signup/", {**data, "next": "/quiz/practice/"})

    assert response["Location"] == "/quiz/practice/"


def test_signing_up_never_sends_the_learner_to_another_site(client) -> None:
    data = {"username": "grace", "password1": PASSWORD, "password2": PASSWORD}

    response = client.post("/accounts/signup/", {**data, "next": "https://evil.example/"})

    assert response["Location"] == "/progress/"


def test_signing_up_hands_the_visitors_work_to_the_new_account(client) -> None:
    session = client.session
    session[VISITOR_SESSION_KEY] = "visitor-42"
    session.save()
    received = []

    def receiver(visitor: Learner, learner: Learner, **kwargs) -> None:
        received.append((visitor, learner))

    learner_signed_in.connect(receiver)
    try:
        client.post(
            "/accounts/signup/",
            {"username": "grace", "password1": PASSWORD, "password2": PASSWORD},
        )
    finally:
        learner_signed_in.disconnect(receiver)

    user = get_user_model().objects.get(username="grace")
    assert received == [(Learner(visitor="visitor-42"), Learner(user_id=user.pk))]


def test_a_weak_password_is_refused_with_the_validators_reasons(client) -> None:
    response = client.post(
        "/accounts/signup/", {"username": "grace", "password1": "12345678", "password2": "12345678"}
    )

    assert response.status_code == 200
    assert b"This password is too common." in response.content
    assert b"This password is entirely numeric." in response.content
    assert not get_user_model().objects.filter(username="grace").exists()


def test_the_session_key_changes_at_login(client, ada) -> None:
    session = client.session
    session[VISITOR_SESSION_KEY] = "visitor-7"
    session.save()
    before = client.session.session_key

    response = log_in(client, "ada")

    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(ada.pk)


def test_the_session_key_changes_at_sign_up(client) -> None:
    session = client.session
    session[VISITOR_SESSION_KEY] = "visitor-8"
    session.save()
    before = client.session.session_key

    client.post(
        "/accounts/signup/", {"username": "grace", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert client.session.session_key != before


def test_logging_out_takes_a_post(client, ada) -> None:
    client.force_login(ada)

    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert SESSION_KEY not in client.session


def test_every_account_form_needs_its_csrf_token(ada) -> None:
    client = Client(enforce_csrf_checks=True)
    data = {"username": "ada", "password": PASSWORD}

    assert client.post("/accounts/login/", data).status_code == 403
    assert client.post("/accounts/signup/", data).status_code == 403
    assert client.post("/accounts/password_reset/", {"email": "a@b.c"}).status_code == 403
    client.force_login(ada)
    assert client.post("/accounts/logout/").status_code == 403
    assert client.post("/accounts/password_change/", {}).status_code == 403


def test_changing_the_password_needs_the_old_one(client, ada) -> None:
    client.force_login(ada)
    new = "another horse staple 7"

    wrong = client.post(
        "/accounts/password_change/",
        {"old_password": "nope", "new_password1": new, "new_password2": new},
    )
    right = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert b"Your old password was entered incorrectly" in wrong.content
    assert right["Location"] == "/accounts/password_change/done/"
    ada.refresh_from_db()
    assert ada.check_password(new)


def test_changing_the_password_asks_an_anonymous_learner_to_log_in(client) -> None:
    response = client.get("/accounts/password_change/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/password_change/"


def test_a_forgotten_password_is_reset_through_the_email_backend(client, ada, mailoutbox) -> None:
    response = client.post("/accounts/password_reset/", {"email": "ada@example.com"})

    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["ada@example.com"] and email.subject == "Reset your Cache Lab password"
    link = next(line for line in email.body.splitlines() if "/accounts/reset/" in line)
    form_url = client.get(link.removeprefix("http://testserver"))["Location"]
    new = "another horse staple 7"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})

    assert done["Location"] == "/accounts/reset/done/"
    ada.refresh_from_db()
    assert ada.check_password(new)


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox) -> None:
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})

    assert response["Location"] == "/accounts/password_reset/done/"
    assert mailoutbox == []


def test_a_signed_in_learner_is_sent_on_from_the_login_page(client, ada) -> None:
    client.force_login(ada)

    assert client.get("/accounts/login/")["Location"] == "/progress/"
    assert client.get("/accounts/signup/")["Location"] == "/progress/"
