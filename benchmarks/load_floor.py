"""The floor for benchmarks/load.py: a bare WSGI app that reads the same JSON body and inserts one row
per client id (ON CONFLICT DO NOTHING, so retries are idempotent too) — no authentication, no checks,
no photo decoding, no audit; one persistent connection per thread, like Django's. What no real
endpoint can beat on this machine."""

import json
import os
import threading

import psycopg

_local = threading.local()


def _connection():
    if getattr(_local, "db", None) is None or _local.db.closed:
        _local.db = psycopg.connect(os.environ["LOAD_FLOOR_DSN"], autocommit=True)
        _local.db.execute("CREATE TABLE IF NOT EXISTS load_floor (client_id uuid PRIMARY KEY, body jsonb)")
    return _local.db


def app(environ, start_response):
    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(size)
    client_id = json.loads(body)["client_id"]
    _connection().execute("INSERT INTO load_floor VALUES (%s, %s) ON CONFLICT DO NOTHING", (client_id, body.decode()))
    start_response("201 Created", [("Content-Type", "application/json")])
    return [b'{"ok": true}']
