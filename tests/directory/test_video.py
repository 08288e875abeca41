"""Video links become privacy-respecting embed URLs, or nothing."""

import pytest

from makeworks.lib.video import embed_url, parse_video


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("http://youtu.be/dQw4w9WgXcQ?si=abc", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "  https://www.youtube.com/watch?v=dQw4w9WgXcQ  ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://vimeo.com/channels/staffpicks/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://vimeo.com/76979871/8d2f1e0c9b",
            "https://player.vimeo.com/video/76979871?h=8d2f1e0c9b&dnt=1",
        ),
        (
            "https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "https://framatube.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d",
        ),
        (
            "https://framatube.org/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "https://framatube.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d",
        ),
        (
            "https://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv",
            "https://tube.example.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv",
        ),
        (
            "http://tube.example.org:8443/w/kkGMgK9ZtnKfYAgnEtQxbv",
            "https://tube.example.org:8443/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv",
        ),
    ],
)
def test_known_video_links_become_embed_urls(url: str, expected: str) -> None:
    assert embed_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "https://example.com/video.mp4",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ<script>",
        "https://www.youtube.com/channel/UC1234567890",
        "https://youtu.be/",
        "https://vimeo.com/about",
        "https://vimeo.com/76979871/not-a-hash!",
        "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
        "ftp://youtu.be/dQw4w9WgXcQ",
        "https://user:pass@youtu.be/dQw4w9WgXcQ",
        "https://evil.example/w/../../etc/passwd",
        "https://localhost/w/kkGMgK9ZtnKfYAgnEtQxbv",
        "https://tube.example.org/w/kkGMgK9ZtnKfYAgnEtQxbv/../../admin",
        "https://tube.example.org:99999/w/kkGMgK9ZtnKfYAgnEtQxbv",
        "https://[::1/w/kkGMgK9ZtnKfYAgnEtQxbv",
    ],
)
def test_anything_else_gives_none(url: str) -> None:
    assert embed_url(url) is None


def test_parsed_video_names_its_provider_and_a_page_to_watch_it_on() -> None:
    video = parse_video("https://youtu.be/dQw4w9WgXcQ")

    assert video is not None
    assert video.provider == "YouTube"
    assert video.watch_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def test_peertube_links_are_always_embedded_over_https() -> None:
    video = parse_video("http://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv")

    assert video is not None
    assert video.provider == "PeerTube"
    assert video.embed_url.startswith("https://framatube.org/")
