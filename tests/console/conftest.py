"""The console's tests issue badges from the same makerspace as the passport tests, so they share its
fixtures rather than copy them (the site URL and English for every test, the hub, its issuer, and awards
issued as a committed request would)."""

from tests.passport.conftest import _site_and_language, hub, issue, issuer  # noqa: F401
