"""The shell every issue builds on: health, error pages, settings, the demo town."""

import os
import subprocess
import sys


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
