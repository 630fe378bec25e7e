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
