"""Video portraits: turn a link a maker pasted into an embed URL that does not track the visitor.

Only YouTube (through youtube-nocookie.com), Vimeo (with do-not-track) and PeerTube are embedded;
anything else gives None, so a page never frames an address we have not checked.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtube-nocookie.com",
     "www.youtube-nocookie.com"}
)  # fmt: skip
YOUTUBE_SHORT_HOSTS = frozenset({"youtu.be", "www.youtu.be"})
VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"})

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_PATH = re.compile(r"^/(?:embed|shorts|live|v)/([A-Za-z0-9_-]{11})/?$")
VIMEO_PATH = re.compile(
    r"^/(?:video/|channels/[\w-]+/|groups/[\w-]+/videos/)?(\d{1,12})(?:/([0-9a-f]{6,20}))?/?$"
)
VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")
# PeerTube names videos by UUID (/videos/watch/…) or by a short base-58 id (/w/…).
PEERTUBE_PATH = re.compile(
    r"^/(?:videos/watch|videos/embed|w)/"
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[1-9A-HJ-NP-Za-km-z]{16,24})/?$"
)
HOSTNAME = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class Video:
    provider: str  # "YouTube", "Vimeo" or "PeerTube"
    embed_url: str
    watch_url: str


def parse_video(url: str) -> Video | None:
    """The embeddable form of a YouTube, Vimeo or PeerTube link, or None for anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or not host or parts.username or parts.password:
        return None
    if host in YOUTUBE_HOSTS or host in YOUTUBE_SHORT_HOSTS:
        return _youtube(host, parts.path, parts.query)
    if host in VIMEO_HOSTS:
        return _vimeo(parts.path, parts.query)
    return _peertube(host, port, parts.path)


def embed_url(url: str) -> str | None:
    video = parse_video(url)
    return video.embed_url if video else None


def _youtube(host: str, path: str, query: str) -> Video | None:
    if host in YOUTUBE_SHORT_HOSTS:
        video_id = path.strip("/")
    elif path.rstrip("/") == "/watch":
        video_id = parse_qs(query).get("v", [""])[0]
    else:
        match = YOUTUBE_PATH.match(path)
        video_id = match.group(1) if match else ""
    if not YOUTUBE_ID.match(video_id):
        return None
    return Video(
        "YouTube",
        f"https://www.youtube-nocookie.com/embed/{video_id}",
        f"https://www.youtube.com/watch?v={video_id}",
    )


def _vimeo(path: str, query: str) -> Video | None:
    match = VIMEO_PATH.match(path)
    if not match:
        return None
    video_id, unlisted_hash = match.group(1), match.group(2) or parse_qs(query).get("h", [""])[0]
    # Unlisted videos only play with their hash; it is part of the link the maker chose to share.
    hash_param = f"h={unlisted_hash}&" if VIMEO_HASH.match(unlisted_hash) else ""
    return Video(
        "Vimeo",
        f"https://player.vimeo.com/video/{video_id}?{hash_param}dnt=1",
        f"https://vimeo.com/{video_id}",
    )


def _peertube(host: str, port: int | None, path: str) -> Video | None:
    match = PEERTUBE_PATH.match(path)
    if not match or not HOSTNAME.match(host):
        return None
    origin = f"https://{host}" if port in (None, 443) else f"https://{host}:{port}"
    video_id = match.group(1)
    return Video("PeerTube", f"{origin}/videos/embed/{video_id}", f"{origin}/w/{video_id}")
