"""The one intake every raster upload goes through: what it keeps (the picture, upright) and what it
drops (EXIF location and author, profiles, anything appended), and what it refuses."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from makeworks.lib.images import image_intake
from tests.images import (
    EXIF_ORIENTATION,
    assert_carries_nothing_but_pixels,
    located_jpeg,
    zip_archive,
)


def upload(content: bytes, name: str = "IMG_2041 at home.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_phone_photo_loses_its_location_and_author_and_its_file_name() -> None:
    clean = image_intake(upload(located_jpeg()), what="The photo")

    assert_carries_nothing_but_pixels(clean.content)
    assert (clean.width, clean.height, clean.format) == (1600, 1200, "JPEG")
    assert "home" not in clean.name
    assert clean.name.endswith(".jpg")


def test_a_jpeg_that_is_also_a_zip_is_stored_as_a_jpeg_only() -> None:
    content = located_jpeg(trailing=zip_archive())

    clean = image_intake(upload(content), what="The photo")

    assert b"payload.html" not in clean.content
    assert clean.content.endswith(b"\xff\xd9")


def test_a_photo_taken_sideways_is_stored_upright() -> None:
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = 6  # the camera was turned a quarter clockwise
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "red").save(buffer, "JPEG", exif=exif.tobytes())

    clean = image_intake(upload(buffer.getvalue()), what="The photo")

    assert (clean.width, clean.height) == (300, 400)


def test_a_huge_photo_is_stored_at_most_2560_pixels_wide() -> None:
    clean = image_intake(upload(located_jpeg((5000, 2500))), what="The photo")

    assert (clean.width, clean.height) == (2560, 1280)


def test_an_image_over_the_pixel_cap_is_refused_before_it_is_decoded() -> None:
    buffer = io.BytesIO()
    # One bit per pixel of one colour: a tiny file that would decode to 40 MB of pixels.
    Image.new("1", (8000, 5001)).save(buffer, "PNG")

    with pytest.raises(ValidationError, match="The photo has more than 40 megapixels"):
        image_intake(upload(buffer.getvalue(), "huge.png"), what="The photo")


def test_a_transparent_gif_becomes_a_transparent_png_without_its_comment() -> None:
    buffer = io.BytesIO()
    Image.new("P", (40, 40), 0).save(buffer, "GIF", transparency=0, comment=b"made by Jane Maker")

    clean = image_intake(upload(buffer.getvalue(), "logo.gif"), what="The image")

    assert clean.format == "PNG"
    assert b"Jane Maker" not in clean.content
    with Image.open(io.BytesIO(clean.content)) as stored:
        assert stored.mode == "RGBA"
        assert stored.getchannel("A").getextrema() == (0, 0)
