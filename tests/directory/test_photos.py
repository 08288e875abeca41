"""Photos are checked with Pillow before anything is stored, and each gets a thumbnail."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from directory import services
from directory.models import ListingPhoto
from tests.factories import ListingFactory

pytestmark = pytest.mark.django_db


def image_upload(size=(1200, 900), fmt="JPEG", name="photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 90, 40)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_photo_is_stored_with_a_thumbnail_that_fits_the_gallery():
    listing = ListingFactory.create()
    photo = services.photo_add(listing=listing, upload=image_upload(), alt_text="The workshop floor")
    assert (photo.width, photo.height) == (1200, 900)
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert thumbnail.width <= 480
        assert thumbnail.height <= 360
    assert photo.alt_text == "The workshop floor"


def test_several_photos_keep_their_order():
    listing = ListingFactory.create()
    first = services.photo_add(listing=listing, upload=image_upload())
    second = services.photo_add(listing=listing, upload=image_upload(fmt="PNG", name="b.png"))
    assert list(listing.photos.all()) == [first, second]


def test_a_file_that_is_not_an_image_is_refused():
    listing = ListingFactory.create()
    with pytest.raises(ValidationError, match="not an image we can read"):
        services.photo_add(listing=listing, upload=SimpleUploadedFile("cv.jpg", b"%PDF-1.4 not a photo"))
    assert not ListingPhoto.objects.exists()


def test_an_svg_is_refused_as_a_photo():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError):
        services.photo_add(listing=ListingFactory.create(), upload=SimpleUploadedFile("logo.svg", svg))
    assert not ListingPhoto.objects.exists()


def test_a_photo_over_10_mb_is_refused():
    big = SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        services.photo_add(listing=ListingFactory.create(), upload=big)


def test_a_photo_over_40_megapixels_is_refused_before_decoding():
    with pytest.raises(ValidationError, match="more than 40 megapixels"):
        services.photo_add(listing=ListingFactory.create(), upload=image_upload(size=(8000, 5001), fmt="PNG"))
    assert not ListingPhoto.objects.exists()
