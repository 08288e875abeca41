"""Photos as makers' phones and hostile uploaders make them, and the check that what we store and link
carries none of what came with them."""

import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from PIL import Image

AUTHOR = "Jane Maker"
# Where the photo was taken: a workshop that is also someone's home.
GPS = {1: "N", 2: (55.0, 51.0, 30.0), 3: "W", 4: (4.0, 15.0, 0.0)}
EXIF_ARTIST, EXIF_GPS, EXIF_ORIENTATION = 0x013B, 0x8825, 0x0112


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


def located_jpeg(size: tuple[int, int] = (1600, 1200), *, trailing: bytes = b"") -> bytes:
    """A JPEG whose EXIF gives where it was taken and by whom, with `trailing` bytes after the picture
    (a ZIP there makes it a JPEG and a ZIP at once)."""
    exif = Image.Exif()
    exif[EXIF_ARTIST] = AUTHOR
    exif[EXIF_GPS] = GPS
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 90, 40)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue() + trailing


def assert_carries_nothing_but_pixels(content: bytes) -> None:
    assert content, "the stored file is empty"
    assert b"Exif" not in content
    assert AUTHOR.encode() not in content
    assert b"PK\x03\x04" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert not image.getexif()
        assert not image.info.get("icc_profile")
        assert not image.info.get("xmp")


def media_files_linked(html: str | bytes, *, also: Iterable[str] = ()) -> list[Path]:
    """The files under MEDIA_ROOT that a page (and any extra URLs, e.g. from the API) links to."""
    text = html.decode() if isinstance(html, bytes) else html
    media = re.escape(settings.MEDIA_URL)
    urls = re.findall(rf'(?:src|href)="(?:[a-z]+://[^/"]+)?{media}([^"]+)"', text)
    urls += [url.split(settings.MEDIA_URL, 1)[1] for url in also if settings.MEDIA_URL in url]
    return [Path(settings.MEDIA_ROOT) / url for url in urls]
