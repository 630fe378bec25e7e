"""flush that will not empty a database holding a trail (留痕) unless told `--force`.

The trail is the record of who did what; emptying it by a mistyped command is not an accident we
allow. Tests reset their own database between cases (Django calls flush): settings.WANGGE_ALLOW_FLUSH
says so. On PostgreSQL a statement trigger refuses TRUNCATE of core_auditentry unless the session
sets `wangge.allow_truncate` (core/migrations/0010), which this command does inside its transaction.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections, transaction

from wangge.core.management.base import CleanErrors
from wangge.core.trail_guard import ALLOW_TRUNCATE, holds_trail


class Command(CleanErrors, DjangoFlush):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--force", action="store_true",
                            help="Empty the database even though it holds a change record (留痕).")

    def handle(self, **options):
        database = options["database"]
        connection = connections[database]
        if holds_trail(connection) and not (options["force"] or getattr(settings, "WANGGE_ALLOW_FLUSH", False)):
            raise CommandError("refused: this database holds a change record (留痕); flushing would erase it. "
                               "Take a backup (wangge backup), then run flush --force if you really mean it.")
        with transaction.atomic(using=database):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(ALLOW_TRUNCATE)
            return super().handle(**options)
