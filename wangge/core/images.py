"""Decoding an uploaded image safely: the size is read from the header and refused before a single
pixel is decoded (Pillow's own bomb guard only errors at twice its limit: a 15 KB 10900x10900 PNG
would cost ~630 MB), and what is kept is re-encoded without EXIF (no GPS position, no phone model)."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is 8000x6000 = 48M: allow up to ~40M
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # a second guard for any other Image.open in the process


def _refuse() -> ValidationError:
    return ValidationError(_("Only photos (JPEG, PNG, WebP, GIF) are accepted."))


def check(upload) -> tuple[str, int, int]:
    """(format, width, height) from the header alone — no pixel decoded: the cheap check a request can
    afford before it stores an upload for the worker to re-encode (inspections/photos.py)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ACCEPTED:
                raise _refuse()
            if image.width * image.height > MAX_PIXELS:
                raise _too_large(image)
            return image.format, image.width, image.height
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("The image is too large: at most %(mp)s million pixels.") % {
            "mp": MAX_PIXELS // 1_000_000}) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse() from exc


def _too_large(image) -> ValidationError:
    return ValidationError(_("The image is too large (%(w)s x %(h)s pixels): at most %(mp)s million.") % {
        "w": image.width, "h": image.height, "mp": MAX_PIXELS // 1_000_000})


def decode(upload) -> Image.Image:
    """The upload as a decoded, upright image; a clear error for anything else or anything too large."""
    check(upload)  # the header first: nothing is decoded beyond the pixel limit
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            return upright.convert("RGBA" if image.format == "PNG" and image.mode in ("RGBA", "LA", "P")
                                   else "RGB")
    except (Image.DecompressionBombError, UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _refuse() from exc


def without_metadata(upload) -> tuple[bytes, str, str]:
    """(bytes, extension, content type) of the image re-encoded with no metadata: a PNG stays a PNG
    (screenshots, transparency), anything else becomes a JPEG."""
    image = decode(upload)
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", optimize=True)
        return out.getvalue(), ".png", "image/png"
    image.save(out, "JPEG", quality=90, optimize=True)  # no exif= argument: metadata is dropped
    return out.getvalue(), ".jpg", "image/jpeg"
