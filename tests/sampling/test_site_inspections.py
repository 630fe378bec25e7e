"""Issue #11 point 4: a sampling site is inspected with the inspections engine against the
sampling-standard checklist; a finding becomes a work order about the site."""

import datetime
import uuid

from django.utils import timezone

from wangge.inspections.models import Checklist, ChecklistItem, Inspection
from wangge.inspections.seed import ensure_checklists
from wangge.places.models import PremisesCategory
from wangge.sampling.checklist import SAMPLING_STANDARD
from wangge.workorders.models import WorkOrder

ALL_GOOD = {"protection": "yes", "hand_disinfection": "yes", "one_metre": "yes", "sample_storage": "yes",
            "medical_waste": "yes", "information": "yes", "heat": "yes"}


def _checklist():
    ensure_checklists(Checklist, ChecklistItem, PremisesCategory, [SAMPLING_STANDARD])
    return Checklist.objects.get(code="sampling_site", is_current=True)


def test_a_site_is_inspected_from_its_page_and_a_finding_opens_an_order(world, sites, login):
    checklist = _checklist()
    site = next(iter(sites.values()))
    client = login(world.users["inspector"])
    page = client.get(f"/sampling/{site.pk}/")
    assert page.status_code == 200 and "site-inspections" in page.content.decode()
    url = f"/inspections/subject/sampling.samplingsite/{site.pk}/inspect/?checklist=sampling_site"
    form = client.get(url)
    assert form.status_code == 200 and "a_heat" in form.content.decode()
    assert 'value="shutdown"' not in form.content.decode()  # a site is not shut down by an inspection
    data = {f"a_{k}": v for k, v in ALL_GOOD.items()} | {
        "client_id": str(uuid.uuid4()), "a_heat": "no", "outcome": "rectification",
        "rectification_items": "搭建遮阳棚、配备饮用水和降温药品",
        "deadline": str(timezone.localdate() + datetime.timedelta(days=2)),
        "inspectors": [world.users["officer"].pk]}  # market supervision: an enforcement unit
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    inspection = Inspection.objects.get()
    assert inspection.subject == site and inspection.checklist == checklist and inspection.premises is None
    order = WorkOrder.objects.get()
    assert order.subject == site and order.kind == "rectification"
    listed = client.get(f"/sampling/{site.pk}/").content.decode()
    assert f"/inspections/records/{inspection.pk}/" in listed


def test_the_sampling_standard_is_seeded_once(db):
    _checklist()
    _checklist()
    checklist = Checklist.objects.get(code="sampling_site")
    assert checklist.items.count() == len(SAMPLING_STANDARD[3])


def test_the_dashboard_shows_the_sampling_figures_of_the_staff_page(world, sites, login):
    import datetime as dt

    from wangge.sampling import services

    admin = world.users["admin"]
    site = sites["linquan1"]
    day = timezone.localdate() - dt.timedelta(days=1)
    services.record_shift(admin, site, day, "morning", samples=120, staff_count=4, volunteer_count=6)
    services.record_shift(admin, site, day, "afternoon", samples=80, staff_count=4, volunteer_count=6)
    page = login(world.users["cadre"]).get("/dashboard/").content.decode()
    assert 'data-testid="figure-sampling-samples_day"' in page
    from wangge.dashboard.sources import sampling as source

    section = source.provide(world.users["cadre"], None)
    figures = {f.key: f.value for f in section.figures}
    assert figures["samples_day"] == 200 and figures["samples_week"] == 200
    assert figures["sites"] == len([s for g, s in sites.items() if g.startswith("linquan")])
    overview = login(world.users["cadre"]).get(f"/sampling/?date={day.isoformat()}").content.decode()
    assert "200" in overview
