import pytest


@pytest.fixture
def token_of(demo_users):
    """A fresh token of a demo user (or any user object): the secret."""
    from kinerja.api.tokens import create_token

    def make(user, **kwargs):
        if isinstance(user, str):
            user = demo_users[user]
        return create_token(user, **kwargs)[1]

    return make


@pytest.fixture
def api_get(client):
    """GET an /api/ path with a bearer token (or none)."""

    def get(path, token=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        return client.get(path, **headers, **extra)

    return get
