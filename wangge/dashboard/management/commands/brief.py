"""`wangge brief --date YYYY-MM-DD [--kind daily|review --from YYYY-MM-DD --to YYYY-MM-DD] [--user NAME]
[--background]`: make a brief as .docx and PDF in the file storage (briefs/<year>/) and keep it (the page
lists it), as a recorded background job (dashboard/briefs/jobs.py)."""

import datetime

from django.core.management import CommandError
from django.utils import timezone

from wangge.core.management.job_command import JobCommand
from wangge.core.models import User
from wangge.dashboard.briefs.jobs import params
from wangge.dashboard.choices import BriefKind
from wangge.dashboard.figures import Period


def _date(value: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} must be a date like 2022-07-15, not {value!r}") from None


class Command(JobCommand):
    help = "Make a daily brief (or a review for a period) as .docx and PDF, and keep it"
    job_kind = "brief"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--date", help="the day of a daily brief (default: today)")
        parser.add_argument("--kind", choices=BriefKind.values, default=BriefKind.DAILY)
        parser.add_argument("--from", dest="start", help="first day of a review")
        parser.add_argument("--to", dest="end", help="last day of a review")
        parser.add_argument("--user", help="figures as this user sees them (default: the first administrator)")

    def handle(self, *args, date=None, kind=BriefKind.DAILY, start=None, end=None, user=None, **options):
        if kind == BriefKind.REVIEW:
            if not (start and end):
                raise CommandError("a review needs --from and --to")
            first, last = _date(start, "--from"), _date(end, "--to")
        else:
            first = last = _date(date, "--date") if date else timezone.localdate()
        if first > last:
            raise CommandError("--from must not be after --to")
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {user!r}")
        job = self.run_job(brief=params(kind, Period(first, last), actor), **options)
        self.stdout.write(f"{job.result['docx']}\n{job.result['pdf']}")

    def job_params(self, *, brief, **options) -> dict:
        return brief
