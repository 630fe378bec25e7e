"""`generate` as a background job (core/background.py): the synthetic district or town in one transaction
(a stopped run leaves nothing), step by step with its progress. The command (`wangge generate`) runs it."""

import random
import time

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.community.models import Resident
from wangge.core import audit, background
from wangge.core.models import Area, AuditAction
from wangge.inspections.models import Inspection
from wangge.places.models import Premises

from .activity import Activity, make_campaigns
from .areas import DISTRICT_CODE, make_areas, make_staff
from .registries import make_premises, make_residents
from .scales import SCALES

STEPS = 5
LABELS = {"areas": _l("Areas"), "staff": _l("Staff"), "premises": _l("Premises"), "residents": _l("Residents"),
          "inspections": _l("Inspections and work orders")}


def foreign_rows() -> int:
    """Rows that the generator did not make: premises, residents and inspections outside its district."""
    prefix = f"/{DISTRICT_CODE}/"
    return (Premises.objects.exclude(grid__path__startswith=prefix).count()
            + Resident.objects.exclude(grid__path__startswith=prefix).count()
            + Inspection.objects.exclude(premises__grid__path__startswith=prefix).count())


def generate(scale: str, seed: int = 2022, force: bool = False, report=None) -> dict:
    """The counts made, or {"exists": True} when the district was generated already."""
    from wangge.dashboard.briefs.schedule import first_administrator

    if Area.objects.filter(code=DISTRICT_CODE).exists():
        return {"exists": True}
    if not force and (n := foreign_rows()):
        raise background.UserFacingError(_(
            "This database holds %(n)s premises, residents or inspections the generator did not make; generate "
            "into an empty database, or pass --force.") % {"n": n})
    plan = SCALES[scale]
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    try:
        admin = first_administrator()
    except ObjectDoesNotExist:
        admin = None
    timings = {}

    def step(number, label, func, *args):
        started = time.monotonic()
        result = func(*args)
        timings[label] = round(time.monotonic() - started, 1)
        if report is not None:
            report.progress(number, STEPS)
            report.say(_("%(step)s: %(seconds)s s") % {"step": LABELS[label], "seconds": timings[label]})
        return result

    with audit.audit_context(actor=admin, request_id=f"generate-{scale}"), transaction.atomic():
        areas = step(1, "areas", make_areas, plan)
        staff = step(2, "staff", make_staff, areas)
        premises = step(3, "premises", make_premises, rng, plan, areas["grids"])
        residents = step(4, "residents", make_residents, rng, plan, areas["grids"])
        campaigns = make_campaigns(plan, admin, areas["towns"])
        counts = step(5, "inspections", Activity(rng, plan, areas, staff, campaigns).run)
        audit.record(areas["district"], AuditAction.CREATE, {"scale": scale, "seed": seed, "premises": premises,
                                                             "residents": residents, **counts})
    return {"premises": premises, "residents": residents, "timings": timings, **counts}


def _run(job, report) -> dict:
    p = job.params
    return generate(p["scale"], int(p.get("seed", 2022)), bool(p.get("force")), report)


background.register("generate", _l("Synthetic data"), _run)
