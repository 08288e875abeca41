"""The optional online geocoder, against a real HTTP server on loopback (never the internet)."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.http import QueryDict

from directory.search import SearchParamsError, parse_search_params, search_listings
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


class FakeNominatim(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        FakeNominatim.requests.append(self.path)
        if "narnia" in self.path.lower():
            body = json.dumps([{"lat": "55.95", "lon": "-3.19", "display_name": "Narnia, Scotland"}])
        else:
            body = "[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def geocoder(settings) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNominatim.requests = []
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_address[1]}/search"
    yield settings.GEOCODER_URL
    server.shutdown()
    server.server_close()


def test_a_place_the_gazetteer_does_not_know_is_asked_of_the_geocoder(geocoder):
    ListingFactory(name="Leith Forge", city="Edinburgh", latitude=55.96, longitude=-3.18)
    results = search_listings(parse_search_params(QueryDict("near=Narnia&radius=5")))
    assert [hit.name for hit in results.hits] == ["Leith Forge"]


def test_the_geocoder_is_asked_once_per_place(geocoder):
    parse_search_params(QueryDict("near=Narnia"))
    parse_search_params(QueryDict("near=narnia"))
    assert len(FakeNominatim.requests) == 1


def test_a_place_the_geocoder_does_not_know_gives_a_clear_message(geocoder):
    with pytest.raises(SearchParamsError, match="We could not find the place"):
        parse_search_params(QueryDict("near=Nowhere+at+all"))


def test_a_geocoder_that_is_down_does_not_break_search(settings):
    settings.GEOCODER_URL = "http://127.0.0.1:9/search"
    with pytest.raises(SearchParamsError, match="We could not find the place"):
        parse_search_params(QueryDict("near=Narnia"))


def test_known_places_never_reach_the_geocoder(geocoder):
    ListingFactory(name="Clyde Works", city="Glasgow")
    parse_search_params(QueryDict("near=Glasgow"))
    assert FakeNominatim.requests == []
