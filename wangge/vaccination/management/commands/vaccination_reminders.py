"""Make the day-before reminders for tomorrow's vaccination appointments (idempotent)."""

import datetime

from django.core.management import CommandError

from wangge.core.management.base import WanggeCommand

from ...services.outreach import send_reminders


class Command(WanggeCommand):
    help = "Make tomorrow's vaccination reminders for the responsible doctors and cadres (safe to run twice)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError("--today takes a date such as 2022-05-01") from exc
        result = send_reminders(today)
        self.stdout.write(f"{result['appointments']} appointments, {result['notified']} reminders made")
