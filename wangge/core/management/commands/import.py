"""`wangge import KIND FILE [--dry-run] [--user U] [--report ERRORS.xlsx]`: all or nothing."""

import sys
from pathlib import Path

from django.core.management import CommandError

from wangge.core.management.base import WanggeCommand
from wangge.core.tabular.importer import run_import

from ._ledger_cli import actor_or_error, kind_argument, kind_or_error


class Command(WanggeCommand):
    help = "Import a ledger file (.xlsx, .xls, .csv). A file with any bad row imports nothing."

    def add_arguments(self, parser):
        kind_argument(parser)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--user", help="act as this user (default: the first administrator)")
        parser.add_argument("--report", help="write the error report (.xlsx) here when there are errors")

    def handle(self, *args, kind, file, dry_run=False, user=None, report=None, **options):
        ledger = kind_or_error(kind)
        actor = actor_or_error(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        show_bar = sys.stderr.isatty() or options.get("verbosity", 1) > 1

        def progress(done, total):
            if show_bar and total:
                filled = int(30 * done / total)
                self.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {100 * done // total:3d}%", ending="")

        result = run_import(ledger, path, path.name, actor, dry_run=dry_run, progress=progress)
        if show_bar:
            self.stderr.write("")
        if result.file_error:
            raise CommandError(result.file_error)
        prefix = "dry run: " if dry_run else ""
        self.stdout.write(f"{prefix}{result.total} rows: created {result.created}, updated {result.updated}, "
                          f"unchanged {result.unchanged}, errors {len(result.errors)}")
        if result.skipped_example:
            self.stdout.write("skipped the template's example row (it is never imported)")
        if result.errors:
            for error in result.errors[:200]:
                self.stdout.write(f"  row {error.row}, column {error.column} ({error.header}) "
                                  f"“{error.value}”: {error.message}")
            if len(result.errors) > 200:
                self.stdout.write(f"  … and {len(result.errors) - 200} more")
            if report:
                from wangge.core.tabular.report import error_report  # openpyxl: only when there are errors

                Path(report).write_bytes(error_report(ledger, result, path, path.name))
                self.stdout.write(f"error report: {report}")
            raise CommandError("nothing was imported: fix the rows above and import the file again")
