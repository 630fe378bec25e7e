"""`wangge generate --scale district|town [--seed N] [--force]`: synthetic data through bulk paths.

district: 100,000 premises, 500,000 inspections (two answers each), 200,000 residents, 50,000 work
orders, in a generated district (code 310199) of 10 towns, 200 neighbourhoods and 1,000 grids with
boundaries; town: about a twentieth. Deterministic for a seed. Refuses a database that already holds
premises, residents or inspections outside the generated district (a real town's data) unless --force,
and does nothing when the district was generated already.
"""

import random
import time

from django.core.exceptions import ObjectDoesNotExist
from django.core.management import CommandError
from django.db import transaction

from wangge.community.models import Resident
from wangge.core import audit
from wangge.core.management.base import WanggeCommand
from wangge.core.models import Area, AuditAction
from wangge.inspections.models import Inspection
from wangge.places.models import Premises

from ...generate.activity import Activity, make_campaigns
from ...generate.areas import DISTRICT_CODE, make_areas, make_staff
from ...generate.registries import make_premises, make_residents
from ...generate.scales import SCALES


def foreign_rows() -> int:
    """Rows that the generator did not make: premises, residents and inspections outside its district."""
    prefix = f"/{DISTRICT_CODE}/"
    return (Premises.objects.exclude(grid__path__startswith=prefix).count()
            + Resident.objects.exclude(grid__path__startswith=prefix).count()
            + Inspection.objects.exclude(premises__grid__path__startswith=prefix).count())


class Command(WanggeCommand):
    help = "Generate deterministic synthetic data at district or town scale (for load tests and benchmarks)"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=2022)
        parser.add_argument("--force", action="store_true",
                            help="run even though the database holds data the generator did not make")

    def _step(self, label, func, *args):
        started = time.monotonic()
        result = func(*args)
        self.stdout.write(f"  {label:<12} {time.monotonic() - started:7.1f} s")
        return result

    def handle(self, *args, scale, seed=2022, force=False, **options):
        from wangge.dashboard.briefs.schedule import first_administrator

        if Area.objects.filter(code=DISTRICT_CODE).exists():
            self.stdout.write("The generated district exists already: nothing to do.")
            return
        if not force and (n := foreign_rows()):
            raise CommandError(f"this database holds {n} premises, residents or inspections the generator did "
                               "not make; generate into an empty database, or pass --force")
        plan = SCALES[scale]
        rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        started = time.monotonic()
        try:
            admin = first_administrator()
        except ObjectDoesNotExist:
            admin = None
        self.stdout.write(f"Generating {scale} scale (seed {seed}):")
        with audit.audit_context(actor=admin, request_id=f"generate-{scale}"), transaction.atomic():
            areas = self._step("areas", make_areas, plan)
            staff = self._step("staff", make_staff, areas)
            premises = self._step("premises", make_premises, rng, plan, areas["grids"])
            residents = self._step("residents", make_residents, rng, plan, areas["grids"])
            campaigns = make_campaigns(plan, admin)
            counts = self._step("inspections", Activity(rng, plan, areas, staff, campaigns).run)
            audit.record(areas["district"], AuditAction.CREATE, {"scale": scale, "seed": seed, "premises": premises,
                                                         "residents": residents, **counts})
        self.stdout.write(self.style.SUCCESS(
            f"{premises:,} premises, {residents:,} residents, {counts['inspections']:,} inspections, "
            f"{counts['work_orders']:,} work orders in {time.monotonic() - started:.1f} s."))
