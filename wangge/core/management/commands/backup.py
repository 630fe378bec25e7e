from pathlib import Path

from django.conf import settings
from django.core.management import CommandError
from django.utils import timezone

from wangge.core.backup import BackupError, backup
from wangge.core.management.base import WanggeCommand


class Command(WanggeCommand):
    help = "Write a consistent, checked copy of the database (SQLite: .sqlite3; PostgreSQL: pg_dump custom format)"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default: var/backups/wangge-<time>.<ext>)")

    def handle(self, *args, output=None, **options):
        from django.db import connection

        ext = "sqlite3" if connection.vendor == "sqlite" else "dump"
        path = Path(output) if output else Path(settings.VAR_DIR) / "backups" / (
            f"wangge-{timezone.localtime():%Y%m%d-%H%M%S}.{ext}")
        try:
            written = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{written} ({written.stat().st_size} bytes), integrity checked.")
