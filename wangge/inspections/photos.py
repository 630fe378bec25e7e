"""Inspection photos: only images, size-limited, stored private under random names, and served only once
re-encoded without EXIF (no GPS position, no phone model) with a thumbnail.

The 8 a.m. rush (#23): decoding and re-encoding a phone photo costs far more than the rest of an inspection,
so the request only checks the header (an image of an accepted format and bounded pixels: images.check)
and stores the bytes as received under inspections/raw/; the worker re-encodes them (`process_pending`:
a Celery task after the inspection commits, else the embedded worker's turn). A photo asked for before
the worker got to it is re-encoded then and there (`ready`), so the received bytes are never served; the
purge deletes whichever files a row names (privacy.py)."""

import io
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image

from wangge.core.images import check, decode
from wangge.core.uploads import random_path

MAX_SIDE = 2560  # larger phone photos are scaled down: detail enough, a fraction of the bytes
THUMB_SIDE = 320
BATCH = 50
log = logging.getLogger("wangge.photos")


@dataclass
class PreparedPhoto:
    item_code: str
    original_name: str
    image: bytes  # as received (header checked)
    extension: str
    width: int
    height: int


def prepare(upload, item_code: str = "") -> PreparedPhoto:
    """Check one upload's header and read its bytes; a clear error for anything that is not a photo."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("The photo is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20})
    image_format, width, height = check(upload)
    upload.seek(0)
    return PreparedPhoto(item_code, (getattr(upload, "name", "") or "")[:200], upload.read(),
                         "." + image_format.lower(), width, height)


def store(prepared: PreparedPhoto) -> str:
    """Write the photo as received, out of every served path; return its storage name."""
    return default_storage.save(random_path("inspections/raw", prepared.extension), ContentFile(prepared.image))


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)  # no exif= argument: metadata is dropped
    return out.getvalue()


def process(photo) -> bool:
    """Re-encode one received photo (full size and thumbnail), point its row at them and delete what was
    received. False when another worker did it first (its own files are then removed again)."""
    from .models import Photo

    raw = photo.file.name
    try:
        with default_storage.open(raw, "rb") as handle:
            image = decode(io.BytesIO(handle.read())).convert("RGB")
    except (FileNotFoundError, ValidationError):
        log.warning("photo %s could not be re-encoded; it is dropped", photo.pk)
        done = Photo.objects.filter(pk=photo.pk, processed=False).update(processed=True, file="", thumbnail="")
        default_storage.delete(raw)
        return bool(done)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    full = _jpeg(image, 85)
    small = image.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    names = (default_storage.save(random_path("inspections", ".jpg"), ContentFile(full)),
             default_storage.save(random_path("inspections/thumbs", ".jpg"), ContentFile(_jpeg(small, 75))))
    if not Photo.objects.filter(pk=photo.pk, processed=False, file=raw).update(
            processed=True, file=names[0], thumbnail=names[1], width=image.width, height=image.height, size=len(full)):
        for name in names:
            default_storage.delete(name)
        return False
    default_storage.delete(raw)
    photo.file.name, photo.thumbnail.name, photo.processed = names[0], names[1], True
    return True


def process_pending(limit: int | None = None) -> int:
    """The worker's turn: every received photo re-encoded, oldest first; returns how many."""
    from .models import Photo

    done = 0
    while True:
        batch = list(Photo.objects.filter(processed=False).order_by("pk")[:BATCH])
        if not batch:
            return done
        for photo in batch:
            done += process(photo)
            if limit is not None and done >= limit:
                return done


def after_commit() -> None:
    """Hand the new photos to Celery once the inspection is saved (without a broker the embedded worker
    finds them on its next turn)."""
    if settings.CELERY_BROKER_URL:
        from .tasks import process_photos

        transaction.on_commit(process_photos.delay)


def ready(photo):
    """The photo re-encoded: now, if the worker has not got to it yet (the received bytes never go out)."""
    if not photo.processed:
        process(photo)
        photo.refresh_from_db()
    return photo


def response(photo, size: str) -> FileResponse:
    """The photo or its thumbnail, for the page and the API alike (both checked visibility first)."""
    photo = ready(photo)
    stored = photo.thumbnail if size == "thumb" else photo.file
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    answer = FileResponse(handle, content_type="image/jpeg")
    answer["Cache-Control"] = "private, max-age=3600"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer
