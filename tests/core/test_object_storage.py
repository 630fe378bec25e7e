"""Files in object storage (#21): with STORAGE_URL, photos, attachments and briefs go to an
S3-compatible server — here moto's server on loopback, spoken to over real HTTP — stay private there,
and reach a user only through the app's permission check. The oracle is boto3 reading the bucket
directly, not our storage code."""


import boto3
import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from wangge.core.storage_url import storage_from_url
from wangge.dashboard.briefs.services import make_brief
from wangge.dashboard.figures import Period
from wangge.inspections.models import Task
from wangge.inspections.photos import process_pending
from wangge.workorders.models import Attachment

from ..inspections.helpers import campaign, photo, submit
from ..workorders.helpers import raise_order
from ..workorders.test_attachments import PNG

BUCKET = "wangge-media"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    """A fresh private bucket, and the app's default storage pointed at it through STORAGE_URL's parser."""
    endpoint = f"http://{s3_server}"
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="wangge", aws_secret_access_key="s3cr/et",
                      region_name="us-east-1")
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET) if _exists(s3) else []:
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    if not _exists(s3):
        s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES,
                         "default": storage_from_url(f"s3://wangge:s3cr%2Fet@{s3_server}/{BUCKET}?secure=0")}
    s3.endpoint = endpoint
    return s3


def _exists(s3) -> bool:
    return BUCKET in {b["Name"] for b in s3.list_buckets()["Buckets"]}


def _keys(s3) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def _body(s3, key) -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()


def test_an_inspection_photo_lives_in_the_bucket_and_is_read_only_through_the_check(world, bucket, login):
    c = campaign(world)
    task = Task.objects.get(campaign=c, premises=world.premises["linquan1"], reason="scope")
    inspection, _ = submit(world, task, photos=[("", photo(exif=True))])
    raw = inspection.photos.get().file.name
    assert raw in _keys(bucket)  # as received, until the worker's turn
    assert process_pending() == 1
    stored = inspection.photos.get()
    assert {stored.file.name, stored.thumbnail.name} <= _keys(bucket) and raw not in _keys(bucket)
    original = _body(bucket, stored.file.name)
    assert original[:3] == b"\xff\xd8\xff"  # a JPEG, as re-encoded (no EXIF) before it left the app
    # Private: the object's own URL answers 403 to anyone without the keys.
    assert requests.get(f"{bucket.endpoint}/{BUCKET}/{stored.file.name}", timeout=10).status_code == 403
    url = f"/inspections/photos/{stored.pk}/"
    seen = login(world.users["cadre"]).get(url)
    assert seen.status_code == 200 and b"".join(seen.streaming_content) == original
    assert login(world.users["doctor"]).get(url).status_code in (403, 404)
    bucket.delete_object(Bucket=BUCKET, Key=stored.file.name)  # gone from the store: a 404, not a 500
    assert login(world.users["cadre"]).get(url).status_code == 404


def test_an_attachment_is_uploaded_to_the_bucket_and_downloaded_by_who_sees_the_order(world, bucket, login):
    order = raise_order(world)
    officer = login(world.users["officer"])
    response = officer.post(f"/workorders/{order.pk}/attachments/",
                            {"file": SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert _keys(bucket) == {attachment.file.name}
    download = officer.get(f"/workorders/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == _body(bucket, attachment.file.name)
    assert login(world.users["doctor"]).get(f"/workorders/attachments/{attachment.pk}/").status_code in (403, 404)


def test_a_brief_is_kept_in_the_bucket_and_remaking_it_leaves_one_pair(world, bucket, login,
                                                                      django_capture_on_commit_callbacks):
    import datetime

    day = Period(datetime.date(2022, 7, 15), datetime.date(2022, 7, 15))
    brief = make_brief(world.users["leader"], "daily", day)
    assert _keys(bucket) == {brief.docx_file, brief.pdf_file} and brief.pdf_file.startswith("briefs/2022/")
    assert _body(bucket, brief.pdf_file).startswith(b"%PDF")
    with django_capture_on_commit_callbacks(execute=True):
        again = make_brief(world.users["leader"], "daily", day)
    assert _keys(bucket) == {again.docx_file, again.pdf_file} and again.version == 2
    download = login(world.users["leader"]).get(f"/dashboard/briefs/{again.pk}/pdf/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == _body(bucket, again.pdf_file)


def test_storage_url_is_read_strictly():
    entry = storage_from_url("s3://AK:s%2Fk@minio.intra:9000/media?region=cn-east-1&secure=0&expire=120")
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    options = entry["OPTIONS"]
    assert (options["endpoint_url"], options["bucket_name"], options["access_key"], options["secret_key"]) == (
        "http://minio.intra:9000", "media", "AK", "s/k")
    assert (options["region_name"], options["querystring_expire"], options["default_acl"]) == ("cn-east-1", 120,
                                                                                               "private")
    assert "endpoint_url" not in storage_from_url("s3://AK:SK@/media")["OPTIONS"]  # the provider's own S3
    for bad in ("ftp://a:b@h/m", "s3://a:b@h/", "s3://h/media", "s3://a:b@h/m/extra"):
        with pytest.raises(ImproperlyConfigured):
            storage_from_url(bad)
