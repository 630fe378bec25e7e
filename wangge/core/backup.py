"""Backups of the database: a consistent copy and its check, and the way back.

SQLite: the online backup API (a consistent snapshot while the app runs), then `PRAGMA
integrity_check` on the copy. PostgreSQL: `pg_dump --format=custom` (consistent by construction),
checked by `pg_restore --list`; restore with `pg_restore --clean --if-exists --single-transaction`.
Uploaded files (MEDIA_ROOT) and the keys (WANGGE_FIELD_KEYS, WANGGE_HASH_KEY) are backed up apart:
the keys must never travel with the data they protect (SECURITY.md)."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


class BackupError(Exception):
    pass


def _pg_env() -> tuple[list[str], dict]:
    settings = connection.settings_dict
    args = ["--host", settings.get("HOST") or "127.0.0.1", "--port", str(settings.get("PORT") or 5432),
            "--username", settings.get("USER") or "postgres", "--dbname", settings["NAME"]]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _run(tool: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run a PostgreSQL client tool by its full path; arguments are ours (settings, paths), no shell."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed")
    return subprocess.run([executable, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603


def backup(target: Path) -> Path:
    """Write a consistent copy of the database to `target` and check it; return the path."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
            result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            target.unlink(missing_ok=True)
            raise BackupError(f"integrity check of the copy failed: {result}")
        return target
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        done = _run("pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args, env=env)
        if done.returncode != 0:
            raise BackupError(done.stderr.strip())
        listed = _run("pg_restore", "--list", str(target))
        if listed.returncode != 0 or "TABLE DATA" not in listed.stdout:
            raise BackupError("the dump cannot be read back: " + listed.stderr.strip())
        return target
    raise BackupError(f"no backup for {connection.vendor}")


def restore(source: Path) -> None:
    """Replace the database's content with the backup's, all or nothing."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    if connection.vendor == "sqlite":
        try:
            with sqlite3.connect(source) as copy:
                if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise BackupError("the backup fails its integrity check")
                connection.ensure_connection()
                copy.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} is not a usable backup: {exc}") from exc
        return
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        connection.close()  # our own session must not hold locks on what is dropped
        done = _run("pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source),
                    env=env)
        if done.returncode != 0:
            raise BackupError(done.stderr.strip())
        return
    raise BackupError(f"no restore for {connection.vendor}")
