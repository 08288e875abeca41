"""The console's tests issue badges from the same makerspace as the passport tests, so they share its
fixtures rather than copy them (the site URL and English for every test, the hub, its issuer, and awards
issued as a committed request would); and the two hubs with their people that most console tests use."""

import pytest
from django.test import Client

from tests.console.test_console_access import Hubs, build_hubs
from tests.passport.conftest import _site_and_language, hub, issue, issuer  # noqa: F401


@pytest.fixture
def hubs(db: None) -> Hubs:
    """Two hubs with an owner, an editor and staff each (build_hubs)."""
    return build_hubs()


@pytest.fixture
def editor(client: Client, hubs: Hubs) -> Client:
    """The test client, signed in as the first hub's editor."""
    client.force_login(hubs.a.people["editor"])
    return client
