"""Risk score per premises, with its reasons. Each reason carries its points and the points add up to
the score, so an inspector always sees why a place comes first. Computed in bulk (a handful of
queries for any number of premises) and stored in `RiskScore` by `refresh`, which the services call
whenever a premises' history changes (an inspection, a scan import); `wangge risk` recomputes all
once a day, as deadlines pass."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.places.models import Premises
from wangge.workorders.choices import Kind, State
from wangge.workorders.models import WorkOrder

from .choices import FlagReview, RiskBand, Severity
from .models import Answer, RiskScore

# Base risk of a category (code): crowds, night trade and enclosed rooms weigh most. Override with
# the setting RISK_CATEGORY_BASE = {"code": points, ...}.
CATEGORY_BASE = {"entertainment": 20, "internet_cafe": 15, "market": 15, "restaurant": 10, "supermarket": 10,
                 "hotel": 10, "salon": 8, "gym": 8, "training": 8, "shop": 5, "office": 5, "express": 5, "other": 5}
SEVERITY_POINTS = {Severity.MINOR: 5, Severity.MAJOR: 10, Severity.CRITICAL: 20}
RECENT_DAYS, WINDOW_DAYS = 30, 90  # full weight within 30 days, half within 90, nothing older
NIGHT_ONLY = 10
REPEAT = 10  # each time the same problem comes back
OPEN_RECTIFICATION, OVERDUE_RECTIFICATION = 15, 15
SCAN_FLAG = 20
BANDS = ((40, RiskBand.HIGH), (20, RiskBand.MEDIUM), (0, RiskBand.LOW))


def band_of(score: int) -> str:
    return next(band for floor, band in BANDS if score >= floor)


def _reason(code: str, points: int, **params) -> dict:
    """Stored as a code and its parameters, worded when shown, in the reader's language."""
    return {"code": code, "points": points, "params": params}


def explain(reason: dict) -> str:
    p = reason.get("params", {})
    code = reason["code"]
    if code == "category":
        return _("Category %(name)s") % p
    if code == "night":
        return _("Open only at night")
    if code == "violations":
        text = _("%(n)s violation(s) of “%(item)s” in %(days)s days") % p
        return text + (_(", %(n)s earlier") % {"n": p["older"]} if p.get("older") else "")
    if code == "repeat":
        return _("The same problem again: “%(item)s” ×%(n)s") % p
    if code == "open_rectification":
        return _("Rectification order #%(id)s still open") % p
    if code == "overdue_rectification":
        return _("Rectification order #%(id)s overdue since %(date)s") % p
    if code == "scans":
        return _("Venue code posted but not scanned: %(days)s days far below the expected %(expected)s a day") % p
    return code


def compute(premises_ids, today: datetime.date | None = None) -> dict[int, tuple[int, list[dict]]]:
    """{premises id: (score, reasons)} for the given premises."""
    today = today or timezone.localdate()
    ids = list(premises_ids)
    base = {**CATEGORY_BASE, **getattr(settings, "RISK_CATEGORY_BASE", {})}
    reasons: dict[int, list[dict]] = defaultdict(list)
    scans = {}  # the premises' scan flag, read with it (a one-to-one row or none)
    for pid, code, name, shift, flagged, recent, expected in Premises.objects.filter(pk__in=ids).values_list(
            "pk", "category__code", "category__name", "shift", "scan_compliance__flagged",
            "scan_compliance__recent", "scan_compliance__expected"):
        points = base.get(code, base.get("other", 5))
        reasons[pid].append(_reason("category", points, name=name))
        if shift == "night":
            reasons[pid].append(_reason("night", NIGHT_ONLY))
        if flagged:
            scans[pid] = _reason("scans", SCAN_FLAG, days=len(recent), expected=round(expected))
    _violations(ids, today, reasons)
    _rectifications(ids, today, reasons)
    for pid, reason in scans.items():
        reasons[pid].append(reason)
    return {pid: (sum(r["points"] for r in reasons[pid]), reasons[pid]) for pid in ids}


def _violations(ids, today, reasons) -> None:
    since = today - datetime.timedelta(days=WINDOW_DAYS)
    rows = (Answer.objects.filter(is_violation=True, inspection__premises_id__in=ids,
                                  inspection__inspected_at__date__gte=since)
            .exclude(inspection__flag_review=FlagReview.VOIDED)
            .values_list("inspection__premises_id", "item__code", "item__text", "item__severity",
                         "inspection__inspected_at"))
    grouped: dict[tuple[int, str], list] = defaultdict(list)
    for pid, code, text, severity, when in rows:
        grouped[(pid, code)].append((text, severity, timezone.localtime(when).date()))
    for (pid, _code), found in sorted(grouped.items()):
        text, severity = found[-1][0], found[-1][1]
        recent = [f for f in found if (today - f[2]).days <= RECENT_DAYS]
        older = len(found) - len(recent)
        each = SEVERITY_POINTS.get(severity, 10)
        points = each * len(recent) + (each // 2) * older
        if recent:
            reasons[pid].append(_reason("violations", points, n=len(recent), item=text, days=RECENT_DAYS,
                                        older=older))
        else:
            reasons[pid].append(_reason("violations", points, n=older, item=text, days=WINDOW_DAYS, older=0))
        repeats = len(found) - 1  # one answer per inspection and item
        if repeats > 0:
            reasons[pid].append(_reason("repeat", REPEAT * repeats, item=text, n=repeats + 1))


def _rectifications(ids, today, reasons) -> None:
    premises_type = ContentType.objects.get_for_model(Premises)
    orders = (WorkOrder.objects.filter(kind=Kind.RECTIFICATION, subject_type=premises_type, subject_id__in=ids)
              .exclude(state=State.CLOSED).values_list("subject_id", "pk", "deadline"))
    for pid, order_id, deadline in orders:
        reasons[pid].append(_reason("open_rectification", OPEN_RECTIFICATION, id=order_id))
        if deadline < today:
            reasons[pid].append(_reason("overdue_rectification", OVERDUE_RECTIFICATION, id=order_id,
                                        date=deadline.isoformat()))


def refresh(premises_ids, today: datetime.date | None = None) -> dict[int, int]:
    """Recompute and store the scores; return {premises id: score}."""
    computed = compute(premises_ids, today)
    now = timezone.now()
    rows = [RiskScore(premises_id=pid, score=min(score, 32767), band=band_of(score), reasons=reasons, computed_at=now)
            for pid, (score, reasons) in computed.items()]
    fields = ["score", "band", "reasons", "computed_at"]
    if len(rows) == 1:  # one premises (an inspection): one update, an insert only for its first score
        row = rows[0]
        if not RiskScore.objects.filter(premises_id=row.premises_id).update(**{f: getattr(row, f) for f in fields}):
            RiskScore.objects.bulk_create(rows)
    else:
        # Not one INSERT … ON CONFLICT DO UPDATE: SQLite would let its conflict rule override the OR IGNORE
        # of the roll-up trigger on this table (dashboard migration 0003) and fail on an already stale grid.
        existing = set(RiskScore.objects.filter(premises_id__in=computed).values_list("premises_id", flat=True))
        RiskScore.objects.bulk_create([r for r in rows if r.premises_id not in existing], batch_size=1000)
        RiskScore.objects.bulk_update([r for r in rows if r.premises_id in existing], fields, batch_size=1000)
    return {pid: score for pid, (score, _r) in computed.items()}


def refresh_all(today: datetime.date | None = None, chunk: int = 5000) -> int:
    ids = list(Premises.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        refresh(ids[start:start + chunk], today)
    return len(ids)
