"""The Dockerfile, compose.yaml and the proxy's configuration (#21) agree with the code: every variable
compose sets is one settings.py reads, every command it runs exists, the proxy balances over the app
services, and the image installs the wheel `make wheel` builds (tests/tooling/test_wheel.py checks what
that wheel holds). No Docker daemon runs on the build machine, so the image itself is not built here
(docs/DEPLOY.md says so)."""

import re
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_sets_only_settings_that_exist_and_runs_real_commands():
    compose = _compose()
    services = compose["services"]
    assert {"postgres", "redis", "minio", "migrate", "app1", "app2", "worker", "beat", "proxy"} <= set(services)
    read = set(re.findall(r'"([A-Z][A-Z0-9_]+)"', (ROOT / "wangge/settings.py").read_text()))
    for name in ("app1", "app2", "worker", "beat", "migrate"):
        env = services[name]["environment"]
        assert set(env) <= read, set(env) - read
        # What production refuses to start without (wangge check --deploy): a shared cache, the keys.
        assert {"REDIS_URL", "SECRET_KEY", "WANGGE_FIELD_KEYS", "WANGGE_HASH_KEY", "DATABASE_URL"} <= set(env)
    assert services["migrate"]["command"][:2] == ["wangge", "migrate"] and "migrate" in get_commands()
    for name in ("worker", "beat"):
        command = services[name]["command"]
        assert command[:3] == ["celery", "-A", "wangge"] and command[3] == name
    assert [name for name, s in services.items() if "beat" in (s.get("command") or [])] == ["beat"]  # once
    proxy_address = services["proxy"]["networks"]["default"]["ipv4_address"]
    assert services["app1"]["environment"]["TRUSTED_PROXIES"].split("#")[0].strip() == proxy_address


def test_the_proxy_balances_over_the_app_services_and_takes_a_full_ledger_file(settings):
    conf = (ROOT / "deploy/nginx.conf").read_text()
    upstream = re.search(r"upstream wangge \{(.*?)\}", conf, re.S).group(1)
    assert sorted(re.findall(r"server (\w+):8000;", upstream)) == ["app1", "app2"]
    size = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    assert size * 2**20 > max(settings.IMPORT_MAX_BYTES, settings.UPLOAD_MAX_BYTES)


def test_the_image_installs_the_locked_pins_and_the_built_wheel():
    lines = [line.split("#")[0].strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    text = "\n".join(lines)
    assert "--require-hashes -r /tmp/requirements.lock" in text and (ROOT / "requirements.lock").is_file()
    assert "pip install --no-cache-dir --no-deps /tmp/dist/wangge-*.whl" in text
    assert re.search(r"^wheel:", (ROOT / "Makefile").read_text(), re.M)  # what puts the wheel in dist/
    assert "USER wangge" in text and 'CMD ["gunicorn", "wangge.wsgi"' in text
