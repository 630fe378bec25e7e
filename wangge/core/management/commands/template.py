"""`wangge template KIND -o FILE.xlsx`: an empty ledger with headers, an example row and drop-downs."""

from pathlib import Path

from wangge.core.management.base import WanggeCommand
from wangge.core.tabular.writing import template_workbook

from ._ledger_cli import kind_argument, kind_or_error


class Command(WanggeCommand):
    help = "Write an empty ledger template for a kind."

    def add_arguments(self, parser):
        kind_argument(parser)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, kind, output, **options):
        Path(output).write_bytes(template_workbook(kind_or_error(kind)))
        self.stdout.write(f"wrote {output}")
