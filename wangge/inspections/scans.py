"""Venue-code scan compliance (应扫尽扫): what a premises should be scanned a day, estimated from its
category's peers and its size, and the "posted but not scanned" flag — far below the expectation on
each of the last few days with data. A premises that recovers loses the flag. Flags feed the risk
score and the next round's tasks."""

import datetime
import statistics
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from wangge.places.models import Premises

from . import risk
from .models import ScanCompliance, VenueScan

MIN_PEERS = 3  # fewer peers with scans than this: no expectation, no flag
WINDOW_DAYS = 28


def flag_days() -> int:
    return int(getattr(settings, "VENUE_SCAN_FLAG_DAYS", 3))


def flag_ratio() -> float:
    return float(getattr(settings, "VENUE_SCAN_FLAG_RATIO", 0.2))


def link_premises(code_numbers=None) -> int:
    """Attach imported scans to the premises with that venue code number."""
    scans = VenueScan.objects.filter(premises__isnull=True)
    if code_numbers is not None:
        scans = scans.filter(code_number__in=list(code_numbers))
    codes = dict(Premises.objects.exclude(venue_code_number="").filter(
        venue_code_number__in=scans.values("code_number")).values_list("venue_code_number", "pk"))
    linked = 0
    for code, pid in codes.items():
        linked += VenueScan.objects.filter(code_number=code, premises__isnull=True).update(premises_id=pid)
    return linked


@transaction.atomic
def assess(as_of: datetime.date | None = None) -> dict[str, int]:
    """Recompute expectation and flag for every premises with scans in the four weeks up to `as_of`
    (default: the latest day imported); refresh the risk of those whose flag changed."""
    latest = as_of or VenueScan.objects.aggregate(latest=Max("date"))["latest"]
    if latest is None:
        return {"assessed": 0, "flagged": 0, "changed": 0}
    days, ratio = flag_days(), flag_ratio()
    scans = VenueScan.objects.filter(premises__isnull=False, date__lte=latest,
                                     date__gt=latest - datetime.timedelta(days=WINDOW_DAYS))
    by_premises: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    for pid, date, count in scans.values_list("premises_id", "date", "scans"):
        by_premises[pid][date] = by_premises[pid].get(date, 0) + count
    facts = {pid: (category, staff) for pid, category, staff in Premises.objects.filter(
        pk__in=by_premises).values_list("pk", "category_id", "staff_count")}
    # Each premises' typical day (median) per staff member, by category: the peers' yardstick.
    per_staff: dict[int, list[float]] = defaultdict(list)
    for pid, counts in by_premises.items():
        category, staff = facts[pid]
        per_staff[category].append(statistics.median(counts.values()) / max(staff or 1, 1))
    current = {c.premises_id: c for c in ScanCompliance.objects.filter(premises_id__in=by_premises)}
    last_days = [latest - datetime.timedelta(days=n) for n in range(days)]
    changed, flagged = [], 0
    for pid, counts in by_premises.items():
        category, staff = facts[pid]
        if len(per_staff[category]) < MIN_PEERS:
            continue
        expected = statistics.median(per_staff[category]) * max(staff or 1, 1)
        recent = [counts.get(day, 0) for day in last_days]  # a day missing from the export: nobody scanned
        is_low = expected > 0 and all(c < ratio * expected for c in recent)
        record = current.get(pid) or ScanCompliance(premises_id=pid)
        was = record.flagged
        record.expected = Decimal(str(round(expected, 1)))
        record.recent = [[day.isoformat(), counts.get(day, 0)] for day in last_days]  # the judged days
        record.flagged = is_low
        if is_low:
            record.flagged_since = record.flagged_since if was else last_days[-1]
            flagged += 1
        else:
            record.flagged_since = None
        record.save()
        if was != is_low:
            changed.append(pid)
    if changed:
        risk.refresh(changed)
    return {"assessed": len(by_premises), "flagged": flagged, "changed": len(changed)}


def explain(record: ScanCompliance) -> str:
    """Why a premises is flagged, worded in the reader's language."""
    if not record.flagged:
        return ""
    return _("%(days)s days below %(pct)s%% of the expected %(expected)s scans a day (last: %(last)s)") % {
        "days": len(record.recent), "pct": round(flag_ratio() * 100), "expected": round(record.expected),
        "last": record.recent[0][1] if record.recent else 0}
