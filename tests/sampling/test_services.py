"""The sampling verbs: scope, permissions, versions, reasons, the one-tap queue and shift figures."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wangge.core.audit import audit_context
from wangge.core.models import AuditEntry
from wangge.core.services import StaleVersionError
from wangge.sampling import services
from wangge.sampling.hours import Period
from wangge.sampling.models import OpeningHours, SamplingSite, SiteShift

T = datetime.time


def _new_site(world, grid="linquan1", **extra):
    return SamplingSite(code=extra.pop("code", "NEW1"), name=extra.pop("name", "新采样点"), address="林泉路1号",
                        grid=world.grids[grid], **extra)


def test_cadre_adds_a_site_with_hours_in_their_neighbourhood_only(world):
    cadre = world.users["cadre"]
    site = services.save_site(cadre, _new_site(world), hours=[Period(0, T(7), T(11)), Period(0, T(13), T(20))])
    assert site.version == 1 and site.hours.count() == 2
    assert AuditEntry.objects.filter(object_id=str(site.pk), action="create").exists()
    with pytest.raises(ValidationError) as exc:
        services.save_site(cadre, _new_site(world, "beihong1", code="NEW2", name="北虹新点"))
    assert "grid" in exc.value.message_dict


@pytest.mark.parametrize("role", ["gridworker", "inspector", "leader", "sampler"])
def test_only_admin_and_cadre_edit_sites(world, sites, role):
    with pytest.raises(PermissionDenied):
        services.save_site(world.users[role], _new_site(world))


def test_an_edit_carries_the_version(world, sites):
    cadre = world.users["cadre"]
    site = sites["linquan1"]
    site.name = "改名"
    services.save_site(cadre, site, 1)
    stale = SamplingSite.objects.get(pk=site.pk)
    stale.name = "又改名"
    with pytest.raises(StaleVersionError):
        services.save_site(cadre, stale, 1)
    assert SamplingSite.objects.get(pk=site.pk).name == "改名"


def test_hours_are_replaced_and_overlaps_refused(world, sites):
    cadre, site = world.users["cadre"], sites["linquan1"]
    services.set_hours(cadre, site, [Period(4, T(20), T(2))])
    assert list(OpeningHours.objects.filter(site=site).values_list("weekday", "opens", "closes")) == [
        (4, T(20), T(2))]
    for bad in ([Period(1, T(7), T(12)), Period(1, T(11), T(14))], [Period(1, T(20), T(2)), Period(1, T(21), T(23))],
                [Period(7, T(7), T(8))]):
        with pytest.raises(ValidationError):
            services.set_hours(cadre, site, bad)
    assert OpeningHours.objects.filter(site=site).count() == 1


def test_pausing_needs_a_reason(world, sites):
    cadre, site = world.users["cadre"], sites["linquan1"]
    with pytest.raises(ValidationError) as exc:
        services.set_status(cadre, site, "paused", " ")
    assert "reason" in exc.value.message_dict
    services.set_status(cadre, site, "paused", "高温红色预警")
    site.refresh_from_db()
    assert (site.status, site.status_reason, site.version) == ("paused", "高温红色预警", 2)
    services.set_status(cadre, site, "open")
    assert SamplingSite.objects.get(pk=site.pk).status_reason == ""


def test_one_tap_records_value_time_and_actor(world, sites):
    sampler, site = world.users["sampler"], sites["linquan1"]
    with audit_context(actor=sampler):  # what the middleware does for a request
        services.set_wait(sampler, site, 30)
    site.refresh_from_db()
    assert site.wait_minutes == 30 and site.wait_set_by == sampler
    assert (timezone.now() - site.wait_set_at).total_seconds() < 60
    entry = AuditEntry.objects.filter(object_id=str(site.pk), action="update").latest("id")
    assert entry.actor == sampler and entry.changes["wait_minutes"] == [None, 30]
    for bad in (-1, 601, "20", True):
        with pytest.raises(ValidationError):
            services.set_wait(sampler, site, bad)
    with pytest.raises(ValidationError):  # outside the sampler's neighbourhood
        services.set_wait(sampler, sites["beihong1"], 10)
    with pytest.raises(PermissionDenied):
        services.set_wait(world.users["gridworker"], site, 10)


def test_shift_figures_create_update_unchanged(world, sites):
    sampler, site = world.users["sampler"], sites["linquan1"]
    day = timezone.localdate()
    row, result = services.record_shift(sampler, site, day, "morning", samples=400, staff_count=4, volunteer_count=6)
    assert result == "created"
    assert services.record_shift(sampler, site, day, "morning", samples=400, staff_count=4,
                                 volunteer_count=6)[1] == "unchanged"
    row, result = services.record_shift(sampler, site, day, "morning", samples=420, staff_count=4, volunteer_count=6)
    assert result == "updated" and row.samples == 420 and row.version == 2
    assert SiteShift.objects.filter(site=site).count() == 1


def test_shift_figures_refuse_bad_input(world, sites):
    sampler, site = world.users["sampler"], sites["linquan1"]
    with pytest.raises(ValidationError) as exc:
        services.record_shift(sampler, site, timezone.localdate() + datetime.timedelta(days=1), "night",
                              samples=-1, staff_count=2, volunteer_count=2)
    assert set(exc.value.message_dict) == {"date", "shift", "samples"}
    with pytest.raises(ValidationError):
        services.record_shift(sampler, sites["beihong1"], timezone.localdate(), "morning", samples=1,
                              staff_count=1, volunteer_count=1)
    assert not SiteShift.objects.exists()
