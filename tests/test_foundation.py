"""The shell every issue builds on: health, error pages, settings, the demo town."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from wangge.community.models import Resident
from wangge.core.models import Area, AreaLevel, Department, User


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok" and response.json()["status"] == "ok"


def test_error_pages_are_chinese_by_default(world, login):
    client = login(world.users["gridworker"])
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404 and "页面不存在" in not_found.content.decode()
    forbidden = client.get("/staff/users/")
    assert forbidden.status_code == 403 and "权限" in forbidden.content.decode()


def test_english_is_available(world, login):
    client = login(world.users["gridworker"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Residents" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "居民" in client.get("/").content.decode()


def test_server_error_page(world, client, settings):
    from django.test import RequestFactory

    from wangge.core.errors import server_error

    response = server_error(RequestFactory().get("/residents/"))
    assert response.status_code == 500 and "服务器" in response.content.decode()
    api = server_error(RequestFactory().get("/api/v1/residents"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"


def _env(**extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("WANGGE_", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    env.update(extra)
    return env


def test_production_refuses_to_start_without_secrets(tmp_path):
    result = subprocess.run([sys.executable, "-m", "wangge.manage", "check"], capture_output=True, text=True,
                            env=_env(WANGGE_ENV="production", WANGGE_VAR_DIR=str(tmp_path)), check=False)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_production_deploy_check_is_clean(tmp_path):
    from cryptography.fernet import Fernet

    env = _env(WANGGE_ENV="production", SECRET_KEY="x" * 30 + "-production-secret-key-for-the-check-0123456789",
               WANGGE_FIELD_KEYS=Fernet.generate_key().decode(), WANGGE_HASH_KEY="h" * 40,
               ALLOWED_HOSTS="wangge.example.gov", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
               WANGGE_VAR_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/0")
    result = subprocess.run([sys.executable, "-m", "wangge.manage", "check", "--deploy", "--fail-level", "WARNING"],
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db(transaction=False)
def test_demo_town_loads_is_idempotent_and_every_account_signs_in(client):
    """One demo load for both checks: it is the slowest fixture of the suite."""
    from wangge.core.demo import ACCOUNTS, DEMO_PASSWORD

    call_command("demo", "--no-serve", stdout=StringIO())
    counts = (Area.objects.count(), Department.objects.count(), User.objects.count(), Resident.objects.count())
    assert Area.objects.get(code="310105102").name == "新泾镇"
    hoods = set(Area.objects.filter(level=AreaLevel.NEIGHBOURHOOD).values_list("name", flat=True))
    assert {"林泉", "北虹", "新泾家苑", "天山星城", "定威路", "绿五"} <= hoods
    assert {"平安办", "新泾派出所", "综合行政执法队", "市场监督管理所"} <= set(
        Department.objects.values_list("name", flat=True)) | set(Department.objects.values_list("short_name",
                                                                                                 flat=True))
    first_ids = list(Resident.objects.order_by("pk").values_list("id_number_hash", flat=True)[:20])
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert (Area.objects.count(), Department.objects.count(), User.objects.count(), Resident.objects.count()) == counts
    assert list(Resident.objects.order_by("pk").values_list("id_number_hash", flat=True)[:20]) == first_ids
    assert "wangge-demo-2022" in out.getvalue()
    for account in ACCOUNTS:
        response = client.post("/accounts/login/", {"username": account.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        assert client.get("/").status_code == 200
        client.post("/accounts/logout/")
