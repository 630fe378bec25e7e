"""`wangge export KIND -o FILE.xlsx|FILE.csv [--user U]`: what that user may see, masked."""

from pathlib import Path

from django.core.management import CommandError

from wangge.core import services
from wangge.core.management.base import WanggeCommand
from wangge.core.tabular.writing import export_csv, export_workbook

from ._ledger_cli import actor_or_error, kind_argument, kind_or_error


class Command(WanggeCommand):
    help = "Export a ledger, through the user's visibility, with personal data masked."

    def add_arguments(self, parser):
        kind_argument(parser)
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--user", help="export what this user may see (default: the first administrator)")

    def handle(self, *args, kind, output, user=None, **options):
        ledger = kind_or_error(kind)
        actor = actor_or_error(user)
        writer = export_csv if output.lower().endswith(".csv") else export_workbook
        if not output.lower().endswith((".csv", ".xlsx")):
            raise CommandError("the output must end in .xlsx or .csv")
        body, count = writer(ledger, ledger.export_queryset(actor).iterator(chunk_size=2000))
        Path(output).write_bytes(body)
        services.record_export(actor, ledger.model, count, masked=True)
        self.stdout.write(f"exported {count} rows to {output}")
