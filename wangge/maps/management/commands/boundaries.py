"""wangge boundaries FILE --level grid --system gcj02 --user NAME [--write]: check (and with --write, import)
a GeoJSON or zipped Shapefile of boundaries, all or nothing, as that user (audited under their name)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from wangge.core.audit import audit_context
from wangge.core.coords import System
from wangge.core.management.base import WanggeCommand
from wangge.core.models import User
from wangge.maps import services


class Command(WanggeCommand):
    help = "Check, and with --write import, area or compound boundaries from GeoJSON or a zipped Shapefile."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--level", required=True, choices=list(services.LEVELS))
        parser.add_argument("--system", default=System.WGS84.value, choices=[s.value for s in System])
        parser.add_argument("--user", required=True, help="the acting user's username")
        parser.add_argument("--write", action="store_true", help="write when the check passes (default: check only)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {options['user']!r}")
        data, verb = path.read_bytes(), services.import_boundaries if options["write"] else services.preview
        with audit_context(actor):
            result = verb(actor, data, path.name, options["level"], options["system"])
        for line in result.warnings:
            self.stdout.write(f"! {line}")
        for line in result.errors:
            self.stdout.write(f"x {line}")
        for row in result.rows:
            self.stdout.write(f"{row.number}\t{row.label}\t{row.target.name if row.target else '-'}\t{row.problem}")
        if result.errors:
            raise ValidationError(result.errors)
        done = "written" if options["write"] else "checked (nothing written; add --write)"
        self.stdout.write(f"{len(result.matched)} boundaries {done}")
