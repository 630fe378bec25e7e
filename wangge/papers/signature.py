"""The party's signature from the signature pad: a PNG, checked like any uploaded image
(core/images.py: header first, bounded pixels), refused when blank, re-encoded without metadata at
most MAX_WIDTH wide, and stored under a random name in private storage."""

import base64
import binascii
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from wangge.core.images import decode
from wangge.core.uploads import random_path

MAX_WIDTH = 1200
MIN_INK = 20  # pixels of ink: a tap or an empty pad is not a signature


def from_data_url(text: str) -> SimpleUploadedFile:
    """The pad's `data:image/png;base64,...` as an upload."""
    try:
        raw = base64.b64decode(text.split(",", 1)[-1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({"signature": _("The signature could not be read. Sign again.")}) from exc
    return SimpleUploadedFile("signature.png", raw, content_type="image/png")


def prepare(upload) -> bytes:
    """The signature as clean PNG bytes, or a ValidationError on the field `signature`."""
    if upload is None:
        raise ValidationError({"signature": _("The party has not signed yet.")})
    if (getattr(upload, "size", 0) or 0) > settings.UPLOAD_MAX_BYTES:
        raise ValidationError({"signature": _("The signature image is too large.")})
    upload.seek(0)
    if upload.read(8) != b"\x89PNG\r\n\x1a\n":
        raise ValidationError({"signature": _("The signature must be a PNG image from the signature pad.")})
    try:
        image = decode(upload).convert("RGBA")
    except ValidationError as exc:
        raise ValidationError({"signature": exc.messages}) from exc
    flat = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat.alpha_composite(image)
    ink = sum(flat.convert("L").point(lambda v: 255 if v < 128 else 0).histogram()[255:])
    if ink < MIN_INK:
        raise ValidationError({"signature": _("The signature is empty. Ask the party to sign on the pad.")})
    if flat.width > MAX_WIDTH:
        flat.thumbnail((MAX_WIDTH, MAX_WIDTH))
    out = io.BytesIO()
    flat.convert("RGB").save(out, "PNG", optimize=True)  # no pnginfo: nothing but pixels
    return out.getvalue()


def store(png: bytes) -> str:
    return default_storage.save(random_path("papers/signatures", ".png"), ContentFile(png))
