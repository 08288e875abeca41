"""Static files reach the browser from any server started on the app, not only from runserver with DEBUG:
outside production WhiteNoise finds them in the source folders."""

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("path", "content_type", "text"),
    [
        ("/static/css/site.css", "text/css", ".site-header"),
        ("/static/js/search.js", "text/javascript", "data-fold-on-small-screens"),
        ("/static/vendor/leaflet/leaflet.js", "text/javascript", "Leaflet"),
    ],
)
def test_the_app_itself_serves_our_and_vendored_static_files_without_debug(
    client: Client, path: str, content_type: str, text: str
) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert text in response.getvalue().decode()


def test_a_missing_static_file_is_a_plain_404(client: Client) -> None:
    assert client.get("/static/css/no-such-file.css").status_code == 404


def test_a_path_outside_the_static_folders_is_not_served(client: Client) -> None:
    assert client.get("/static/../makeworks/settings.py").status_code == 404
    assert client.get("/static/%2e%2e/makeworks/settings.py").status_code == 404
