"""The one way a raster image from outside is stored: decoded, turned upright, stripped of every piece of
metadata, re-encoded and capped. The upload itself is never kept.

A maker's phone photo carries where it was taken (EXIF GPS), the camera owner's name and often a thumbnail
of the uncropped picture; a file can also be a JPEG and a ZIP at once. Re-encoding the decoded pixels
keeps the picture and drops everything else: EXIF, XMP, ICC and text chunks, comments and anything
appended after the image data. Stored files get a generated name, as the upload's own name may say
more than the person meant."""

import io
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MB = 1024 * 1024
# What is stored for each format read: JPEG stays JPEG (photos), WebP stays WebP, PNG and GIF become PNG
# (drawings, screenshots and transparency, which JPEG would lose). Only the first frame of an animation.
PHOTO_FORMATS: Mapping[str, str] = MappingProxyType(
    {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
)
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
# Re-encoding tries this many times, each smaller, to fit the byte cap before refusing.
SHRINK_STEPS = 4


@dataclass(frozen=True)
class Limits:
    """What an upload may be: `max_bytes` read, `max_pixels` decoded; what is stored: at most `max_side`
    pixels on its longest side (None: as it came) and `max_output_bytes`."""

    max_bytes: int = 10 * MB
    max_pixels: int = 40_000_000
    max_side: int | None = 2560
    max_output_bytes: int = 5 * MB
    formats: Mapping[str, str] = field(default_factory=lambda: PHOTO_FORMATS)


PHOTO = Limits()


@dataclass(frozen=True)
class CleanImage:
    """An image as it is stored: its new bytes, a generated file name and its size in pixels."""

    content: bytes
    name: str
    width: int
    height: int
    format: str

    def as_file(self) -> "ContentFile[bytes]":
        return ContentFile(self.content, name=self.name)


def _read(upload: IO[bytes], *, what: str, limits: Limits) -> bytes:
    size = getattr(upload, "size", None)
    too_large = ValidationError(
        _("%(what)s is larger than %(mb)d MB.") % {"what": what, "mb": limits.max_bytes // MB},
        code="too_large",
    )
    if size is not None and size > limits.max_bytes:
        raise too_large
    upload.seek(0)
    data = upload.read(limits.max_bytes + 1)
    upload.seek(0)
    if len(data) > limits.max_bytes:
        raise too_large
    return data


def _opened(data: bytes, *, what: str, limits: Limits) -> Image.Image:
    """The decoded first frame; the pixel count is read from the header before any pixel is decoded, so a
    decompression bomb is refused before it expands."""
    # Named apart from other unreadable files because people expect a drawing to work as a picture.
    if data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise ValidationError(
            _("SVG drawings cannot be used here. Upload a JPEG, PNG, WebP or GIF image."), code="svg"
        )
    unreadable = ValidationError(_("This file is not an image we can read."), code="not_an_image")
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > limits.max_pixels:
            raise ValidationError(
                _("%(what)s has more than %(megapixels)d megapixels.")
                % {"what": what, "megapixels": limits.max_pixels // 1_000_000},
                code="too_many_pixels",
            )
        if image.format not in limits.formats:
            raise ValidationError(
                _("This image is %(format)s; images must be %(formats)s.")
                % {"format": image.format or _("of no known kind"), "formats": ", ".join(limits.formats)},
                code="bad_format",
                params={"format": image.format or ""},
            )
        image.load()
    except Image.DecompressionBombError:
        raise ValidationError(
            _("%(what)s has more than %(megapixels)d megapixels.")
            % {"what": what, "megapixels": limits.max_pixels // 1_000_000},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise unreadable from None
    return image


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        # A damaged EXIF block only costs the orientation; it is dropped with the rest anyway.
        return image


def _in_srgb(image: Image.Image) -> Image.Image:
    """Colours from an embedded ICC profile (a phone's Display P3, a print shop's CMYK) turned into
    sRGB, so the profile can be dropped without the picture changing colour."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # An unreadable profile is dropped: the colours shift slightly, nothing else.
    return converted if converted is not None else image


def _pixels_only(image: Image.Image, output: str) -> Image.Image:
    """The picture in a mode `output` stores, in sRGB, with no info left to be written back out."""
    keeps_alpha = output != "JPEG" and (image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info)
    if keeps_alpha:
        mode = "RGBA"
    elif output == "PNG" and image.mode in ("1", "L"):
        mode = image.mode
    else:
        mode = "RGB"
    image = _in_srgb(image)
    if image.mode != mode:
        if output == "JPEG" and (image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info):
            # Transparent parts become white, as a page behind the photo would show them.
            base = Image.new("RGBA", image.size, (255, 255, 255, 255))
            image = Image.alpha_composite(base, image.convert("RGBA"))
        image = image.convert(mode)
    clean = image.copy()
    clean.info = {}
    return clean


def _encoded(image: Image.Image, output: str) -> bytes:
    buffer = io.BytesIO()
    if output == "JPEG":
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif output == "WEBP":
        image.save(buffer, "WEBP", quality=85, method=4)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def image_intake(upload: IO[bytes], *, what: str, limits: Limits = PHOTO) -> CleanImage:
    """`upload` decoded and re-encoded as it may be stored, or ValidationError saying what is wrong.

    `what` names the image in messages ("The photo"). Orientation from EXIF is applied to the pixels,
    the longest side is brought down to `limits.max_side`, and the encoded file is shrunk further until
    it fits `limits.max_output_bytes`."""
    data = _read(upload, what=what, limits=limits)
    image = _opened(data, what=what, limits=limits)
    source_format = str(image.format)
    output = limits.formats[source_format]
    try:
        image = _pixels_only(_upright(image), output)
        if limits.max_side is not None and max(image.size) > limits.max_side:
            image.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
        content = _encoded(image, output)
    except (OSError, ValueError):
        # Modes Pillow reads but cannot convert (16-bit grey, some TIFF-like JPEGs) are not photos we take.
        raise ValidationError(_("This file is not an image we can read."), code="not_an_image") from None
    for _step in range(SHRINK_STEPS):
        if len(content) <= limits.max_output_bytes:
            break
        image.thumbnail((image.width * 3 // 4, image.height * 3 // 4), Image.Resampling.LANCZOS)
        content = _encoded(image, output)
    else:
        if len(content) > limits.max_output_bytes:
            raise ValidationError(
                _("%(what)s is too detailed to store in %(mb)d MB; upload a smaller image.")
                % {"what": what, "mb": limits.max_output_bytes // MB},
                code="too_large",
            )
    name = f"{secrets.token_hex(8)}.{EXTENSIONS[output]}"
    return CleanImage(content=content, name=name, width=image.width, height=image.height, format=output)


def image_thumbnail(image: CleanImage, *, size: tuple[int, int]) -> CleanImage:
    """A JPEG no larger than `size` of an image that already went through image_intake."""
    with Image.open(io.BytesIO(image.content)) as opened:
        small = _pixels_only(opened, "JPEG")
    small.thumbnail(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=82, optimize=True)
    return CleanImage(
        content=buffer.getvalue(),
        name=f"thumb-{image.name.rsplit('.', 1)[0]}.jpg",
        width=small.width,
        height=small.height,
        format="JPEG",
    )


# The names image_intake gives: a file stored under another name came in before the intake existed.
_GENERATED_NAME = re.compile(r"(thumb-)?[0-9a-f]{16}\.(jpg|png|webp)")


def is_intake_name(path: str) -> bool:
    """Whether the stored file at `path` was written by image_intake (so it holds no original)."""
    return _GENERATED_NAME.fullmatch(path.rsplit("/", 1)[-1]) is not None


def stored_image_reencoded(file: FieldFile, *, what: str, limits: Limits = PHOTO) -> CleanImage | None:
    """The re-encoded copy of a stored image that image_intake did not write (an upload kept as it came,
    before every upload went through it); None when there is no file or it is already one of ours."""
    if not file or is_intake_name(str(file.name)):
        return None
    with file.open("rb") as stored:
        return image_intake(stored, what=what, limits=limits)
