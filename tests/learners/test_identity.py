from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from learners.identity import Learner, ensure_learner, learner_of, learner_signed_in


@pytest.fixture
def anonymous_request():
    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    return request


def test_a_new_visitor_is_unknown_and_owns_nothing(anonymous_request):
    learner = learner_of(anonymous_request)

    assert not learner.is_known
    assert learner.key == ""
    assert str(learner.filter()) == str(Learner().filter())
    with pytest.raises(ValueError):
        learner.owner_fields()


@pytest.mark.django_db
def test_ensure_learner_gives_a_visitor_an_id_that_is_not_the_session_key(anonymous_request):
    learner = ensure_learner(anonymous_request)
    anonymous_request.session.save()

    assert learner.is_known and not learner.is_signed_in
    assert learner.visitor != anonymous_request.session.session_key
    assert learner_of(anonymous_request) == learner
    assert learner.owner_fields() == {"user_id": None, "visitor": learner.visitor}


def test_each_learner_has_their_own_namespace_that_does_not_show_their_id():
    visitor, other, user = (
        Learner(visitor="quiet-owl"),
        Learner(visitor="quiet-elk"),
        Learner(user_id=7),
    )

    namespaces = {visitor.namespace, other.namespace, user.namespace}

    assert len(namespaces) == 3
    assert all(len(namespace) == 24 and "quiet" not in namespace for namespace in namespaces)
    assert visitor.namespace == Learner(visitor="quiet-owl").namespace


def test_a_signed_in_learner_is_their_user():
    learner = Learner(user_id=3)

    assert learner.is_signed_in and learner.key == "user:3"
    assert learner.owner_fields() == {"user_id": 3, "visitor": ""}


@pytest.mark.django_db
def test_logging_in_hands_the_visitors_work_to_the_account(anonymous_request):
    visitor = ensure_learner(anonymous_request)
    user = get_user_model().objects.create_user("ada", password="correct horse 42")
    received = []

    def receiver(sender, visitor, learner, request, **kwargs):
        received.append((visitor, learner))

    learner_signed_in.connect(receiver)
    try:
        login(anonymous_request, user, backend="django.contrib.auth.backends.ModelBackend")
    finally:
        learner_signed_in.disconnect(receiver)

    assert received == [(visitor, Learner(user_id=user.pk))]
    assert learner_of(anonymous_request) == Learner(user_id=user.pk)


@pytest.mark.django_db
def test_logging_in_without_anonymous_work_sends_nothing(anonymous_request):
    user = get_user_model().objects.create_user("bob", password="correct horse 42")
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    learner_signed_in.connect(receiver)
    try:
        login(anonymous_request, user, backend="django.contrib.auth.backends.ModelBackend")
    finally:
        learner_signed_in.disconnect(receiver)

    assert received == []
