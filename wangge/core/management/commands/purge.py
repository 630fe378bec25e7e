"""`wangge purge [--dry-run] [--kind CODE]`: anonymise the personal data past its retention (PRIVACY.md)."""

from django.core.management import CommandError

from wangge.core import privacy
from wangge.core.management.base import WanggeCommand


class Command(WanggeCommand):
    help = "Anonymise personal data past its retention period (settings.PERSONAL_DATA_RETENTION)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be anonymised, change nothing")
        parser.add_argument("--kind", action="append", dest="kinds", metavar="CODE",
                            help="only this kind (repeatable): " + ", ".join(k.code for k in privacy.kinds()))

    def handle(self, *args, dry_run=False, kinds=None, **options):
        try:
            counts = privacy.purge(codes=kinds, dry_run=dry_run)
        except KeyError as exc:
            raise CommandError(f"unknown kind {exc.args[0]}; known: "
                               + ", ".join(k.code for k in privacy.kinds())) from None
        verb = "would anonymise" if dry_run else "anonymised"
        for kind in privacy.kinds():
            if kind.code in counts:
                self.stdout.write(f"{kind.code:<24} {verb} {counts[kind.code]:>7}  (retention {kind.days} days)")
        self.stdout.write(f"total {verb} {sum(counts.values())}")
