"""Inspection photos: only images, size-limited, re-encoded without EXIF (no GPS or phone model leaks),
with a thumbnail; stored under random names in private storage."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from PIL import Image

from wangge.core.images import decode
from wangge.core.uploads import random_path

MAX_SIDE = 2560  # larger phone photos are scaled down: detail enough, a fraction of the bytes
THUMB_SIDE = 320


@dataclass
class PreparedPhoto:
    item_code: str
    original_name: str
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def prepare(upload, item_code: str = "") -> PreparedPhoto:
    """Read and re-encode one upload; raise a clear error for anything that is not a photo."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("The photo is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20})
    image = decode(upload).convert("RGB")
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    full = _jpeg(image, 85)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return PreparedPhoto(item_code, (getattr(upload, "name", "") or "")[:200], full, _jpeg(thumb, 75),
                         image.width, image.height)


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)  # no exif= argument: metadata is dropped
    return out.getvalue()


def store(prepared: PreparedPhoto) -> tuple[str, str]:
    """Write the photo and its thumbnail; return their storage names."""
    name = default_storage.save(random_path("inspections", ".jpg"), ContentFile(prepared.image))
    thumb = default_storage.save(random_path("inspections/thumbs", ".jpg"), ContentFile(prepared.thumbnail))
    return name, thumb
