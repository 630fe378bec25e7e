"""`wangge holidays --year N [--year M ...]`: seed the official working-day calendar (public holidays
and make-up working days) of those years from the `chinesecalendar` package; local settings are kept."""

from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.utils import translation

from wangge.core.management.base import WanggeCommand
from wangge.workorders.holidays import seed_year


class Command(WanggeCommand):
    help = "Seed the official holidays and make-up working days of a year (local settings are kept)"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", required=True,
                            help="the year to seed (repeat for several)")

    def handle(self, *args, year=(), **options):
        with translation.override("zh-hans"):
            for one in year:
                try:
                    result = seed_year(one)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
                self.stdout.write(result.summary())
