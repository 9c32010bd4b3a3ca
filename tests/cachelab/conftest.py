import pytest

from tests.pages import site_data


@pytest.fixture
def site(db, django_user_model):
    """The fixture data, learners to fetch pages as, and values for every URL argument."""
    return site_data(django_user_model)
