"""Several app nodes (#21): two gunicorn servers on two ports and one `wangge worker`, each a process
of its own with its own WANGGE_VAR_DIR (no shared disk), against one PostgreSQL, one Redis and one
S3-compatible server (moto, on loopback). What one node writes, the other reads: a photo uploaded
through A is served by B; an import submitted to A is run by the worker and its job page on B shows
the result; the public rate limit counts across both; a field submission synced to both is one record.
Runs in the PostgreSQL pass of .ci/run (needs PostgreSQL and Redis; skipped on SQLite)."""

import base64
import io
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest
import requests
from django.conf import settings
from django.db import connection
from moto.server import ThreadedMotoServer
from PIL import Image

from wangge.core.models import Area, ImportJob, User
from wangge.inspections.models import Inspection, Photo, Task

from ..conftest import PASSWORD
from ..core.test_ledgers import AREA_HEADERS, xlsx
from ..inspections.helpers import COMPLIANT, campaign

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]
REDIS_URL = "redis://127.0.0.1:6379/9"
BUCKET = "wangge-nodes"
RATE_LIMIT = 6


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not come up")


@pytest.fixture
def cluster(tmp_path):
    if connection.vendor != "postgresql" or not _redis_up():
        pytest.skip("needs PostgreSQL and Redis (the PostgreSQL pass of .ci/run)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    s3_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    s3_server.start()
    host, port = s3_server.get_host_and_port()
    s3 = boto3.client("s3", endpoint_url=f"http://{host}:{port}", aws_access_key_id="k", aws_secret_access_key="s",
                      region_name="us-east-1")
    s3.create_bucket(Bucket=BUCKET)
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "REDIS_URL": REDIS_URL, "STORAGE_URL": f"s3://k:s@{host}:{port}/{BUCKET}?secure=0",
           "SECRET_KEY": settings.SECRET_KEY, "WANGGE_FIELD_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
           "WANGGE_HASH_KEY": settings.PERSONAL_DATA_HASH_KEY, "IMPORT_INLINE_MAX_BYTES": "1",
           "SAMPLING_PUBLIC_RATE_LIMIT": str(RATE_LIMIT), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("CELERY_BROKER_URL", None)
    bin_dir = Path(sys.executable).parent
    processes, nodes = [], []
    for name in ("a", "b"):
        port_n = _free_port()
        processes.append(subprocess.Popen(
            [str(bin_dir / "gunicorn"), "wangge.wsgi", "-b", f"127.0.0.1:{port_n}", "-w", "2", "--timeout", "120"],
            env={**env, "WANGGE_VAR_DIR": str(tmp_path / name)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        nodes.append(f"http://127.0.0.1:{port_n}")
    worker = subprocess.Popen([str(bin_dir / "wangge"), "worker", "--no-beat", "--poll", "0.2"],
                              env={**env, "WANGGE_VAR_DIR": str(tmp_path / "w")},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes.append(worker)
    try:
        for node in nodes:
            _wait_http(f"{node}/healthz")
        yield nodes, s3
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        s3_server.stop()


def _jpeg_b64() -> str:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode()


def _production_password(username: str) -> None:
    """The suite hashes passwords with MD5 for speed; the nodes run the production hashers."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    User.objects.filter(username=username).update(
        password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt()))


def _signed_in(node: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{node}/accounts/login/", timeout=30)
    answer = session.post(f"{node}/accounts/login/", data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{node}/accounts/login/"}, timeout=30, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:500]
    return session


def test_two_nodes_and_a_worker_share_everything_but_a_disk(world, cluster, tmp_path):
    (a, b), s3 = cluster
    # A field submission with a photo, synced through A and — the same queue entry again — through B at once.
    c = campaign(world)
    task = Task.objects.get(campaign=c, premises=world.premises["linquan1"], reason="scope")
    token = world.token("inspector")
    body = {"client_id": str(uuid.uuid4()), "task_id": task.pk, "answers": COMPLIANT, "outcome": "compliant",
            "inspector_ids": [world.users["officer"].pk],
            "photos": [{"item": "venue_code_posted", "data": _jpeg_b64(), "name": "code.jpg"}]}
    headers = {"Authorization": f"Bearer {token}"}
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda node: requests.post(f"{node}/api/v1/inspections", json=body,
                                                           headers=headers, timeout=60), (a, b)))
    assert sorted(r.status_code for r in answers) == [200, 201], [r.text[:300] for r in answers]
    assert answers[0].json()["id"] == answers[1].json()["id"] and Inspection.objects.count() == 1
    photo = answers[0].json()["photos"][0]
    # Stored as received, then re-encoded by the worker (its own process, its own disk) with a thumbnail.
    deadline = time.monotonic() + 60
    while not Photo.objects.filter(processed=True).exists():
        assert time.monotonic() < deadline, "the worker never re-encoded the photo"
        time.sleep(0.2)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}
    assert len(keys) == 2 and not any(k.startswith("inspections/raw/") for k in keys)
    assert not any(any((tmp_path / n).rglob("*.jp*g")) for n in "abw")  # in the bucket, on no disk
    for node in (a, b):
        picture = requests.get(f"{node}{photo['thumbnail_url']}", headers=headers, timeout=30)
        assert picture.status_code == 200 and picture.content[:3] == b"\xff\xd8\xff"

    # An import submitted to A, run by the worker, followed on B.
    rows = [AREA_HEADERS] + [[f"3101051020220{n:02d}", f"网格{n}", "网格", "310105102022"] for n in range(10, 40)]
    _production_password("admin")
    on_a, on_b = _signed_in(a, "admin"), _signed_in(b, "admin")
    sent = on_a.post(f"{a}/ledgers/areas/import/", files={"file": ("areas.xlsx", xlsx(rows))},
                     data={"csrfmiddlewaretoken": on_a.cookies["csrftoken"]}, headers={"Referer": f"{a}/ledgers/"},
                     timeout=60, allow_redirects=False)
    assert sent.status_code == 302, sent.text[:500]
    assert re.search(r"/ledgers/jobs/\d+/", sent.headers["Location"]), sent.headers["Location"]
    job_url = re.search(r"/ledgers/jobs/\d+/", sent.headers["Location"]).group(0)
    deadline = time.monotonic() + 90
    while ImportJob.objects.get().status in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.3)
    check = ImportJob.objects.get()
    assert check.status == "done" and check.summary["created"] == 30  # the worker ran it (nothing inline)
    page = on_b.get(f"{b}{job_url}", timeout=30).text
    assert 'data-testid="confirm-import"' in page  # B shows the check the worker finished: ready to import
    assert not Area.objects.filter(code="310105102022010").exists()  # a check writes nothing

    # The public rate limit is one count across the nodes (Redis), not one per process.
    if 60 - time.time() % 60 < 15:
        time.sleep(60 - time.time() % 60 + 1)  # all requests in one minute's window
    codes = [requests.get(f"{(a, b)[n % 2]}/api/v1/public/sampling-sites", timeout=30).status_code
             for n in range(RATE_LIMIT + 2)]
    assert codes == [200] * RATE_LIMIT + [429, 429]
