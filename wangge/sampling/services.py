"""Verbs on sampling sites. Only these change a site, its hours, its status, its queue or its shifts."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Perm
from wangge.core.services import delete_unused, require, save_versioned

from .choices import ShiftName, SiteStatus
from .hours import Period
from .models import OpeningHours, SamplingSite, SiteShift

EDITABLE = ("code", "name", "address", "grid", "latitude", "longitude", "site_type", "capacity_per_hour",
            "heat_measures")
MAX_WAIT = 600
MAX_COUNT = 100000


def managed_grid_ids(actor: User) -> set[int]:
    return set(Area.objects.visible_to(actor).filter(level=AreaLevel.GRID).values_list("pk", flat=True))


def _check_grid(actor: User, site: SamplingSite) -> None:
    if site.grid_id is None:
        raise ValidationError({"grid": _("Choose a grid.")})
    if site.grid_id not in managed_grid_ids(actor):
        raise ValidationError({"grid": _("You do not manage this grid.")})


def _check_in_scope(actor: User, site: SamplingSite) -> None:
    if not SamplingSite.objects.visible_to(actor).filter(pk=site.pk).exists():
        raise ValidationError({"site": _("Not found, or outside your area.")})


def check_periods(periods: list[Period]) -> list[Period]:
    """Refuse a week whose periods of one day open at the same time or overlap."""
    by_day: dict[int, list[Period]] = {}
    for p in periods:
        if not 0 <= p.weekday <= 6:
            raise ValidationError({"hours": _("A weekday is 0 (Monday) to 6 (Sunday).")})
        by_day.setdefault(p.weekday, []).append(p)
    for day in by_day.values():
        day.sort(key=lambda p: p.opens)
        for earlier, later in zip(day, day[1:], strict=False):
            if earlier.past_midnight or earlier.closes > later.opens:
                raise ValidationError({"hours": _("Periods of one day overlap; only the last one of a day may run "
                                                  "past midnight.")})
    return periods


@transaction.atomic
def save_site(actor: User, site: SamplingSite, expected_version: int | None = None,
              hours: list[Period] | None = None) -> SamplingSite:
    """Create or edit a site (with the version it was read at); `hours`, when given, replace its week."""
    require(actor, Perm.EDIT_SAMPLING)
    if site.pk is not None:
        _check_in_scope(actor, site)
    _check_grid(actor, site)
    saved = save_versioned(site, expected_version)
    if hours is not None:
        set_hours(actor, saved, hours)
    return saved


@transaction.atomic
def set_hours(actor: User, site: SamplingSite, periods: list[Period]) -> None:
    """Replace a site's weekly hours; unchanged periods stay as they are (no audit noise)."""
    require(actor, Perm.EDIT_SAMPLING)
    check_periods(periods)
    wanted = {(p.weekday, p.opens, p.closes) for p in periods}
    current = {(h.weekday, h.opens, h.closes): h for h in site.hours.all()}
    for key, row in current.items():
        if key not in wanted:
            row.delete()
    for weekday, opens, closes in sorted(wanted - set(current)):
        OpeningHours(site=site, weekday=weekday, opens=opens, closes=closes).save()
    if hasattr(site, "_prefetched_objects_cache"):
        site._prefetched_objects_cache.pop("hours", None)


@transaction.atomic
def set_status(actor: User, site: SamplingSite, status: str, reason: str = "") -> SamplingSite:
    """Open, pause or close a site; pausing and closing need a reason (shown on the public page)."""
    require(actor, Perm.EDIT_SAMPLING)
    _check_in_scope(actor, site)
    reason = (reason or "").strip()
    if status not in SiteStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status != SiteStatus.OPEN and len(reason) < 2:
        raise ValidationError({"reason": _("Give a reason when a site is paused or closed.")})
    if len(reason) > 200:
        raise ValidationError({"reason": _("At most 200 characters.")})
    locked = SamplingSite.objects.select_for_update().get(pk=site.pk)
    locked.status, locked.status_reason = status, reason
    locked.version += 1
    locked.save(update_fields=["status", "status_reason", "version", "updated_at"])
    site.status, site.status_reason, site.version = locked.status, locked.status_reason, locked.version
    return locked


@transaction.atomic
def set_wait(actor: User, site: SamplingSite, minutes: int, now: datetime.datetime | None = None) -> SamplingSite:
    """One tap on the staff phone: the current waiting time, when and by whom it was set.

    Last tap wins (no version check): the newest reading of the queue is the right one.
    """
    require(actor, Perm.REPORT_SAMPLING)
    _check_in_scope(actor, site)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= MAX_WAIT:
        raise ValidationError({"minutes": _("A waiting time is 0 to 600 minutes.")})
    locked = SamplingSite.objects.select_for_update().get(pk=site.pk)
    locked.wait_minutes, locked.wait_set_at, locked.wait_set_by = minutes, now or timezone.now(), actor
    locked.save(update_fields=["wait_minutes", "wait_set_at", "wait_set_by", "updated_at"])
    site.wait_minutes, site.wait_set_at, site.wait_set_by = locked.wait_minutes, locked.wait_set_at, actor
    return locked


def _count(name: str, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        raise ValidationError({name: _("A whole number from 0 to 100000.")})
    return value


@transaction.atomic
def record_shift(actor: User, site: SamplingSite, date: datetime.date, shift: str, *, samples: int,
                 staff_count: int, volunteer_count: int) -> tuple[SiteShift, str]:
    """Enter (or correct) one shift's figures; the same site, day and shift is always the same row.

    Returns the row and what happened: created, updated or unchanged.
    """
    require(actor, Perm.REPORT_SAMPLING)
    _check_in_scope(actor, site)
    errors = {}
    if shift not in ShiftName.values:
        errors["shift"] = _("Unknown shift.")
    if not isinstance(date, datetime.date) or date > timezone.localdate():
        errors["date"] = _("A date that is not in the future.")
    figures = {}
    for name, value in (("samples", samples), ("staff_count", staff_count), ("volunteer_count", volunteer_count)):
        try:
            figures[name] = _count(name, value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    row = SiteShift.objects.select_for_update().filter(site=site, date=date, shift=shift).first()
    if row is None:
        row = SiteShift(site=site, date=date, shift=shift, **figures)
        row.full_clean()
        row.save()
        return row, "created"
    if all(getattr(row, k) == v for k, v in figures.items()):
        return row, "unchanged"
    for name, value in figures.items():
        setattr(row, name, value)
    row.version += 1
    row.save(update_fields=[*figures, "version", "updated_at"])
    return row, "updated"


@transaction.atomic
def delete_site(actor: User, site: SamplingSite) -> None:
    require(actor, Perm.EDIT_SAMPLING)
    _check_in_scope(actor, site)
    delete_unused(site)
