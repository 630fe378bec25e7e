"""What the public may know about sampling sites: one list of plain dicts, shared by the public page
and the public JSON endpoint, so neither can show more than the other. Nothing personal: no staff,
no usernames, no one who set the waiting time, no phones.

The waiting time rule: it is shown only while the site is open now and for
`SAMPLING_WAIT_STALE_MINUTES` (120) after it was set; otherwise it is unknown (`wait_minutes` is
null, `wait_stale` says whether an old reading exists).
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf
from .choices import SiteStatus, Weekday
from .hours import state
from .models import SamplingSite

PUBLIC_KEYS = frozenset({
    "id", "name", "address", "area", "site_type", "site_type_label", "status", "status_label", "status_reason",
    "latitude", "longitude", "open_now", "opens_soon", "closes_at", "opens_at", "hours_today", "hours_week",
    "wait_minutes", "wait_set_at", "wait_stale",
})
# Only these columns are read: the queue's author (wait_set_by) is never loaded here.
COLUMNS = ("name", "address", "site_type", "status", "status_reason", "latitude", "longitude", "wait_minutes",
           "wait_set_at", "grid__name", "grid__parent__name")


def _iso(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _float(value) -> float | None:
    return float(value) if value is not None else None


def site_entry(site: SamplingSite, now: datetime.datetime) -> dict:
    from .hours import day_text

    periods = site.periods()
    current = state(periods, site.status, now)
    stale_after = datetime.timedelta(minutes=conf.wait_stale_minutes())
    fresh = bool(site.wait_set_at and now - site.wait_set_at <= stale_after and current.open_now)
    next_day = _("next day")
    today = timezone.localtime(now).weekday()
    return {
        "id": site.pk,
        "name": site.name,
        "address": site.address,
        "area": site.grid.parent.name if site.grid.parent_id else site.grid.name,
        "site_type": site.site_type,
        "site_type_label": str(site.get_site_type_display()),
        "status": site.status,
        "status_label": str(site.get_status_display()),
        "status_reason": site.status_reason,
        "latitude": _float(site.latitude),
        "longitude": _float(site.longitude),
        "open_now": current.open_now,
        "opens_soon": current.opens_soon(now),
        "closes_at": _iso(current.closes_at),
        "opens_at": _iso(current.opens_at),
        "hours_today": day_text(periods, today, next_day),
        "hours_week": [{"weekday": int(day), "label": str(day.label), "text": day_text(periods, int(day), next_day)}
                       for day in Weekday],
        "wait_minutes": site.wait_minutes if fresh else None,
        "wait_set_at": _iso(site.wait_set_at) if fresh else None,
        "wait_stale": bool(site.wait_set_at) and not fresh,
    }


def sort_key(entry: dict):
    group = 0 if entry["open_now"] else 1 if entry["opens_soon"] else 2
    return group, entry["opens_at"] or "", entry["name"]


def public_sites(now: datetime.datetime | None = None) -> list[dict]:
    """Every site that is not closed for good, open-now first, then opening soon, then by name."""
    now = now or timezone.now()
    sites = (SamplingSite.objects.exclude(status=SiteStatus.CLOSED).select_related("grid__parent")
             .only(*COLUMNS).prefetch_related("hours"))
    return sorted((site_entry(site, now) for site in sites), key=sort_key)
