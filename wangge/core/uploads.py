"""Uploaded files: checked by their content (not their name), size-limited, stored under random
names in private storage and served only through views that check visibility."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Leading bytes -> (extension, content type). Office files are zip containers.
SIGNATURES = [
    (b"\xff\xd8\xff", ".jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", ".png", "image/png"),
    (b"GIF87a", ".gif", "image/gif"),
    (b"GIF89a", ".gif", "image/gif"),
    (b"%PDF-", ".pdf", "application/pdf"),
    (b"PK\x03\x04", ".zip", "application/zip"),
]
OFFICE = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def sniff(head: bytes, name: str) -> tuple[str, str] | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ".webp", "image/webp"
    for signature, extension, content_type in SIGNATURES:
        if head.startswith(signature):
            suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
            if extension == ".zip" and f".{suffix}" in OFFICE:
                return f".{suffix}", OFFICE[f".{suffix}"]
            return extension, content_type
    return None


def check_upload(upload) -> tuple[str, str]:
    """Return (extension, content type) of an acceptable upload, or raise with a Chinese message."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": settings.UPLOAD_MAX_BYTES // 2**20})
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head, upload.name or "")
    if found is None:
        raise ValidationError(_("Only photos (JPEG, PNG, GIF, WebP), PDF, Word and Excel files can be attached."))
    return found


def random_path(folder: str, extension: str) -> str:
    today = datetime.date.today()  # noqa: DTZ011  (a folder name only)
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}{extension}"
