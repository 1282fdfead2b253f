"""Checks the work-stream page tests share: who gets what answer from a page."""

from django.test import Client


def status_for(world, persona: str, url: str, *, method: str = "get", data=None) -> int:
    """The status a fresh client signed in as `persona` gets; anonymous must be sent to sign in."""
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    response = getattr(client, method)(url, data or {})
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith("/sign-in/"), response["Location"]
    return response.status_code


def assert_matrix(world, url: str, expected: dict[str, int], *, method: str = "get", data=None) -> None:
    """Every persona in `expected` gets its status from `url` (anonymous: 302 to sign-in)."""
    actual = {persona: status_for(world, persona, url, method=method, data=data) for persona in expected}
    assert actual == expected
