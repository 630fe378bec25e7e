"""What a period report and a review freeze: the dashboard's figures as of the period's end (the same
figure providers as the dashboard and the briefs, `dashboard.sources.collect`), for the whole town as
its first administrator sees it, plus the assessment indicators per area. Plain JSON, stored once."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.core.models import Area
from wangge.dashboard.briefs.content import basis_line, date_line
from wangge.dashboard.briefs.schedule import first_administrator
from wangge.dashboard.figures import Figure, Item, Period, Section, Table
from wangge.dashboard.rounds import pick
from wangge.dashboard.sources import collect
from wangge.inspections.choices import CampaignKind, Outcome
from wangge.inspections.models import Inspection
from wangge.workorders.models import WorkOrder

from .choices import SubjectKind
from .indicators import BY_KEY, Bounds, compute

NOTABLE_MAX = 20
FOUND = (Outcome.FIXED, Outcome.RECTIFICATION, Outcome.SHUTDOWN)


def sections_as_of(start: datetime.date, end: datetime.date, campaign=None) -> list[Section]:
    period = Period(start, end, as_of_end=True)
    rounds = pick(period, campaign.pk) if campaign is not None else None
    return collect(first_administrator(), period, rounds)


def flat(sections: list[dict]) -> dict[str, dict]:
    """{"section.figure": {"label", "value", "unit"}} of stored sections."""
    return {f"{s['key']}.{f['key']}": {"label": f"{s['title']}：{f['label']}", "value": f["value"],
                                        "unit": f["unit"]}
            for s in sections for f in s["figures"]}


def catalogue() -> list[tuple[str, str]]:
    """The figures a report definition may name: the live dashboard's keys and labels (from its roll-up).
    The inspection sections go by their kind, not by the round shown now: a definition serves every period,
    and a round is one town's, not to be named to another town's people (docs/TOWNS.md)."""
    stored = [s.as_dict() for s in collect(first_administrator(), None)]
    for section in stored:
        if section["key"] == "inspections":
            section["title"] = _("Inspection campaign")
        elif section["key"].startswith("lookback"):
            section["title"] = _("Look-back round")
    return [(key, f["label"]) for key, f in flat(stored).items()]


def report_figures(definition, start: datetime.date, end: datetime.date) -> dict:
    """The frozen body of a period report."""
    figures = flat([s.as_dict() for s in sections_as_of(start, end)])
    rows = []
    bounds = Bounds(start, end)
    areas = list(definition.areas.order_by("code"))
    values = {key: compute(BY_KEY[key], SubjectKind.NEIGHBOURHOOD, bounds)
              for key in definition.indicators if key in BY_KEY}
    for area in areas:
        cells = {key: (found[area.pk].value if area.pk in found else None) for key, found in values.items()}
        rows.append({"code": area.code, "name": area.name, "values": cells, "cells": list(cells.values())})
    return {
        "figures": [{"key": key, **figures.get(key, {"label": key, "value": None, "unit": ""})}
                    for key in definition.figures],
        "indicators": [{"key": k, "label": str(BY_KEY[k].label), "unit": BY_KEY[k].unit}
                       for k in definition.indicators if k in BY_KEY],
        "areas": rows,
    }


def differences(before: dict, after: dict) -> list[dict]:
    """Every figure and area cell whose value differs between two frozen reports."""
    out = []
    old = {f["key"]: f["value"] for f in before.get("figures", [])}
    for f in after.get("figures", []):
        if old.get(f["key"]) != f["value"]:
            out.append({"key": f["key"], "label": f["label"], "before": old.get(f["key"]), "after": f["value"]})
    labels = {i["key"]: i["label"] for i in after.get("indicators", [])}
    old_rows = {r["code"]: r["values"] for r in before.get("areas", [])}
    for row in after.get("areas", []):
        for key, value in row["values"].items():
            was = old_rows.get(row["code"], {}).get(key)
            if was != value:
                out.append({"key": f"{row['code']}.{key}", "label": f"{row['name']}：{labels.get(key, key)}",
                            "before": was, "after": value})
    return out


# The review (复盘) ---------------------------------------------------------------------------------

def _previous(start: datetime.date, end: datetime.date, campaign) -> tuple[str, datetime.date, datetime.date, object]:
    """What the review compares with: a look-back's first round, else the period of the same length before."""
    if campaign is not None and campaign.kind == CampaignKind.LOOKBACK and campaign.parent is not None:
        first = campaign.parent
        return _("the first round"), first.starts_on, first.ends_on, first
    days = (end - start).days + 1
    return _("the previous period"), start - datetime.timedelta(days=days), start - datetime.timedelta(days=1), None


def _comparison(now: list[dict], before: list[dict]) -> list[dict]:
    old = {f"{s['key']}.{f['key']}": f["value"] for s in before for f in s["figures"]}
    rows = []
    for s in now:
        for f in s["figures"]:
            was = old.get(f"{s['key']}.{f['key']}")
            if isinstance(f["value"], int | float) and isinstance(was, int | float) and f["unit"] != "%":
                rows.append({"label": f"{s['title']}：{f['label']}", "now": f["value"], "before": was,
                             "change": round(f["value"] - was, 1)})
    return rows


def _overdue(end: datetime.date) -> list[dict]:
    cutoff = Bounds(end, end).cutoff
    rows = (WorkOrder.objects.filter(created_at__lt=cutoff, deadline__lt=end)
            .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff)).order_by("deadline", "pk")[:NOTABLE_MAX])
    return [{"text": _("Overdue order %(no)s: %(title)s (deadline %(day)s)") % {
        "no": o.pk, "title": o.title, "day": f"{o.deadline:%m-%d}"},
        "url": reverse("workorders:order_detail", args=[o.pk])} for o in rows]


def _repeat_offenders(start: datetime.date, end: datetime.date) -> list[dict]:
    """Premises found at fault more than once by the end, at least once within the period."""
    b = Bounds(start, end)
    rows = (Inspection.objects.filter(premises__isnull=False, outcome__in=FOUND, inspected_at__lt=b.cutoff)
            .order_by().values("premises_id", "premises__name")
            .annotate(times=Count("pk"), recent=Count("pk", filter=Q(inspected_at__gte=b.since)))
            .filter(times__gte=2, recent__gte=1).order_by("-times", "premises__name")[:NOTABLE_MAX])
    return [{"text": _("%(name)s: found at fault %(n)s times") % {"name": r["premises__name"], "n": r["times"]},
             "url": reverse("places:premises_detail", args=[r["premises_id"]])} for r in rows]


def _uncovered(sections: list[dict]) -> list[dict]:
    """Grids of the round with premises not inspected by the end (the coverage table of the dashboard)."""
    out = []
    for s in sections:
        for table in s["tables"]:
            if table["key"] != "coverage_by_grid":
                continue
            for row in table["rows"]:
                cells = {c["key"]: c for c in row}
                if cells.get("not_yet", {}).get("value"):
                    out.append({"text": _("%(grid)s: %(n)s premises not inspected") % {
                        "grid": cells["grid"]["value"], "n": cells["not_yet"]["value"]},
                        "url": cells["not_yet"].get("url")})
    return out[:NOTABLE_MAX]


def review_figures(start: datetime.date, end: datetime.date, campaign=None) -> dict:
    """The frozen body of a review."""
    sections = [s.as_dict() for s in sections_as_of(start, end, campaign)]
    label, before_start, before_end, before_campaign = _previous(start, end, campaign)
    before = [s.as_dict() for s in sections_as_of(before_start, before_end, before_campaign)]
    period = Period(start, end, as_of_end=True)
    return {
        "date_line": date_line(period), "basis": basis_line(period), "sections": sections,
        "compared_with": str(label), "comparison": _comparison(sections, before),
        "overdue": _overdue(end), "repeat_offenders": _repeat_offenders(start, end),
        "uncovered": _uncovered(sections),
    }


def stored_sections(frozen: dict) -> list[Section]:
    """The stored sections as the brief writers take them."""
    out = []
    for s in frozen.get("sections", []):
        figures = [Figure(f["key"], f["label"], f["value"], f["url"], f["unit"]) for f in s["figures"]]
        tables = [Table(t["key"], t["title"], t["headers"],
                        [[Figure(c["key"], c["label"], c["value"], c["url"], c["unit"]) for c in row]
                         for row in t["rows"]], t["chart"]) for t in s["tables"]]
        notable = [Item(i["text"], i["url"]) for i in s["notable"]]
        out.append(Section(s["key"], s["title"], figures, tables, notable, s["note"]))
    return out


def town() -> Area | None:
    return Area.objects.filter(parent__isnull=True).order_by("code").first()
