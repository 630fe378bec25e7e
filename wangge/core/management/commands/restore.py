from django.core.management import CommandError

from wangge.core.backup import BackupError, restore
from wangge.core.management.base import WanggeCommand


class Command(WanggeCommand):
    help = "Replace the database's content with a backup written by `wangge backup` (all or nothing)"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes=False, **options):
        if not yes and input(f"Replace everything in the database with {path}? [y/N] ").strip().lower() != "y":
            raise CommandError("Nothing restored.")
        try:
            restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored from {path}.")
