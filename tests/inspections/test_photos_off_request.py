"""The 8 a.m. rush (#23, goal 4): an inspection's photos are checked by their header and stored as
received; the worker re-encodes them without EXIF and makes the thumbnails. What was received is never
served (a photo asked for before the worker got to it is re-encoded then), a body that does not decode is
dropped, and the purge removes what a row names at any stage. Oracles: Pillow reading the served bytes,
the storage's own listing, SQL counts."""

import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection
from PIL import Image

from wangge.core import worker
from wangge.inspections import photos
from wangge.inspections.models import Photo
from wangge.inspections.tasks import process_photos

from .helpers import campaign, photo, submit
from .test_rules import task_for


@pytest.fixture
def c(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return campaign(world)


def _unprocessed_sql() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Photo._meta.db_table} WHERE processed = %s", [False])
        return cursor.fetchone()[0]


def _exif(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif())


def test_the_request_stores_what_it_received_and_the_worker_re_encodes_it(world, c, login):
    upload = photo(exif=True, size=(3000, 1000))
    received = upload.read()
    inspection, _ = submit(world, task_for(c, world), photos=[("", upload)])
    stored = inspection.photos.get()
    assert _unprocessed_sql() == 1 and stored.file.name.startswith("inspections/raw/") and not stored.thumbnail
    with default_storage.open(stored.file.name, "rb") as handle:
        assert handle.read() == received  # as received: nothing decoded in the request
    assert (stored.width, stored.height) == (3000, 1000)  # from the header
    raw = stored.file.name
    assert worker.process_photos() == 1 and _unprocessed_sql() == 0
    stored.refresh_from_db()
    assert not default_storage.exists(raw)  # what was received is gone
    with stored.file.open("rb") as handle:
        data = handle.read()
    assert _exif(data) == {} and Image.open(io.BytesIO(data)).size == (2560, 853)
    assert stored.size == len(data) and (stored.width, stored.height) == (2560, 853)
    assert process_photos.apply().get() == 0  # nothing left: the Celery task finds nothing more


def test_a_photo_asked_for_before_the_worker_is_re_encoded_then(world, c, login):
    inspection, _ = submit(world, task_for(c, world), photos=[("", photo(exif=True, size=(800, 600)))])
    stored = inspection.photos.get()
    client = login(world.users["leader"])
    thumb = client.get(f"/inspections/photos/{stored.pk}/thumb/")
    body = b"".join(thumb.streaming_content)
    assert thumb.status_code == 200 and _exif(body) == {} and max(Image.open(io.BytesIO(body)).size) == 320
    assert _unprocessed_sql() == 0 and photos.process_pending() == 0  # done once, not again by the worker
    api = client.get(f"/api/v1/inspections/{inspection.pk}/photos/{stored.pk}",
                     HTTP_AUTHORIZATION=f"Bearer {world.token('leader')}")
    assert api.status_code == 200 and _exif(b"".join(api.streaming_content)) == {}


def test_a_header_that_lies_is_dropped_by_the_worker_and_never_served(world, c, login):
    good = photo(size=(640, 480)).read()
    broken = io.BytesIO(good[: len(good) // 3])  # a valid header, a body cut short
    broken.name, broken.size = "cut.jpg", len(good) // 3
    inspection, _ = submit(world, task_for(c, world), photos=[("", broken)])
    stored = inspection.photos.get()
    raw = stored.file.name
    assert photos.process_pending() == 1
    stored.refresh_from_db()
    assert stored.processed and not stored.file and not default_storage.exists(raw)
    assert login(world.users["leader"]).get(f"/inspections/photos/{stored.pk}/").status_code == 404


def test_two_workers_on_one_photo_keep_one_set_of_files(world, c, tmp_path):
    inspection, _ = submit(world, task_for(c, world), photos=[("", photo(size=(400, 300)))])
    first, second = Photo.objects.get(inspection=inspection), Photo.objects.get(inspection=inspection)
    assert photos.process(first) is True and photos.process(second) is False
    kept = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.jpg"))
    row = Photo.objects.get(pk=first.pk)
    assert kept == sorted([row.file.name, row.thumbnail.name])  # the loser's files removed again


def test_a_refused_submission_leaves_no_received_file(world, c, tmp_path):
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name, fake.size = "x.jpg", 20
    with pytest.raises(ValidationError):
        submit(world, task_for(c, world), photos=[("", photo()), ("", fake)], client_id=uuid.uuid4())
    assert not list(tmp_path.rglob("*.*")) and Photo.objects.count() == 0
