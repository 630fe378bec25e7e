"""`wangge purge [--dry-run] [--kind CODE] [--background]`: anonymise the personal data past its retention
(PRIVACY.md), as a recorded background job with a progress bar (core/maintenance.py)."""

from django.core.management import CommandError

from wangge.core import privacy
from wangge.core.management.job_command import JobCommand


class Command(JobCommand):
    help = "Anonymise personal data past its retention period (settings.PERSONAL_DATA_RETENTION)."
    job_kind = "purge"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="count what would be anonymised, change nothing")
        parser.add_argument("--kind", action="append", dest="kinds", metavar="CODE",
                            help="only this kind (repeatable): " + ", ".join(k.code for k in privacy.kinds()))

    def job_params(self, *, dry_run=False, kinds=None, **options) -> dict:
        unknown = sorted(set(kinds or ()) - {k.code for k in privacy.kinds()})
        if unknown:  # refused before any job is recorded
            raise CommandError(f"unknown kind {', '.join(unknown)}; known: "
                               + ", ".join(k.code for k in privacy.kinds()))
        return {"dry_run": dry_run, "kinds": kinds or []}

    def handle(self, *args, dry_run=False, kinds=None, **options):
        counts = self.run_job(dry_run=dry_run, kinds=kinds, **options).result["counts"]
        verb = "would anonymise" if dry_run else "anonymised"
        for kind in privacy.kinds():
            if kind.code in counts:
                self.stdout.write(f"{kind.code:<24} {verb} {counts[kind.code]:>7}  (retention {kind.days} days)")
        self.stdout.write(f"total {verb} {sum(counts.values())}")
