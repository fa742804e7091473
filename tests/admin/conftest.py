import pytest

from tests import factories


@pytest.fixture
def submitter(db):
    return factories.submitter("440100", username="sub-gz")


@pytest.fixture
def recommender(db):
    return factories.recommender("440000", username="rec-gd")


@pytest.fixture
def secretariat(db):
    return factories.secretariat(username="sec")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login
