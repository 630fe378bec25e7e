"""A review reports the period it names (issue #20 point 15): every figure as it stood at the end of its
last day — rows created by then, orders open then, premises status then — and the document says so."""

import datetime
import io

import pytest
from django.db.models import Q
from django.utils import timezone
from docx import Document

from wangge.community.models import Resident
from wangge.dashboard.briefs.content import build, figure_text
from wangge.dashboard.briefs.services import make_brief, read_brief
from wangge.dashboard.figures import Period
from wangge.dashboard.sources import collect
from wangge.places.choices import PremisesStatus
from wangge.places.history import status_at
from wangge.places.models import Premises
from wangge.workorders import services
from wangge.workorders.choices import Kind, State
from wangge.workorders.models import WorkOrder

pytestmark = pytest.mark.django_db
START, END = datetime.date(2022, 7, 4), datetime.date(2022, 7, 15)
CUTOFF = timezone.make_aware(datetime.datetime(2022, 7, 16))  # 2022-07-15 24:00


def _at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2022, 7, day, 10))


def _order(world, title, created: datetime.datetime | None, deadline: datetime.date, closed=None):
    order = services.raise_order(world.users["admin"], kind=Kind.OTHER, title=title, grid=world.grids["linquan1"],
                                 assignee=world.users["gridworker"], deadline=deadline)
    changes = {"created_at": created} if created else {}
    if closed:
        changes.update(state=State.CLOSED, closed_at=closed)
    if changes:
        WorkOrder.objects.filter(pk=order.pk).update(**changes)
    return order


def _history(world):
    """Rows before and after the end of 2022-07-15: what a review of 07-04..15 must and must not count."""
    residents = list(Resident.objects.order_by("pk"))
    Resident.objects.filter(pk__in=[r.pk for r in residents[:2]]).update(created_at=_at(1))  # 2 then, 4 now
    premises = list(Premises.objects.order_by("pk"))
    Premises.objects.filter(pk__in=[p.pk for p in premises]).update(is_key=True)
    Premises.objects.filter(pk__in=[p.pk for p in premises[:3]]).update(created_at=_at(1))
    # Shut now (after the end) by hand: open at the end. The fourth premises is registered after the end.
    Premises.objects.filter(pk=premises[0].pk).update(status=PremisesStatus.SHUT,
                                                      status_changed_at=timezone.now())
    # Suspended by an inspection of 07-12 synced only now: suspended at the end.
    Premises.objects.filter(pk=premises[1].pk).update(status=PremisesStatus.SUSPENDED, status_changed_at=_at(12))
    _order(world, "open then and now", _at(5), datetime.date(2022, 7, 8))            # open, overdue at the end
    _order(world, "open then, closed now", _at(5), datetime.date(2022, 7, 20), closed=timezone.now())
    _order(world, "closed before the end", _at(5), datetime.date(2022, 7, 20), closed=_at(10))
    _order(world, "raised after the end", None, datetime.date(2022, 7, 8))
    return premises


def _figures(sections) -> dict:
    return {f"{s.key}.{f.key}": f.value for s in sections for f in s.figures}


def test_a_review_counts_as_of_the_end_of_its_period_and_says_so(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    premises = _history(world)
    admin = world.users["admin"]
    review = build(admin, "review", Period(START, END), "新泾镇")
    got = _figures(review.sections)
    # The oracle: direct counts as of 2022-07-15 24:00.
    orders = WorkOrder.objects.filter(created_at__lt=CUTOFF)
    open_then = orders.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=CUTOFF))
    assert got["workorders.open"] == open_then.count() == 2
    assert got["workorders.overdue"] == open_then.filter(deadline__lt=END).count() == 1
    assert got["residents.residents"] == Resident.objects.filter(created_at__lt=CUTOFF).count() == 2
    assert got["places.premises"] == Premises.objects.filter(is_key=True, created_at__lt=CUTOFF).count() == 3
    assert (got["places.shut"], got["places.suspended"]) == (0, 1)  # premises[0] was shut only later
    # Today's figures differ: the live dashboard still shows them.
    live = _figures(collect(admin, None))
    assert (live["workorders.open"], live["residents.residents"], live["places.premises"], live["places.shut"]) == (
        2, 4, 4, 1)
    assert Premises.objects.get(pk=premises[0].pk).status == PremisesStatus.SHUT
    # The document names the moment its figures stand at, and carries those figures.
    brief = make_brief(admin, "review", Period(START, END))
    doc = Document(io.BytesIO(read_brief(brief, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "数据截至2022年7月15日24时" in text
    for section in review.sections:
        for figure in section.figures:
            assert figure_text(figure) in text, figure


def test_status_at_reads_the_audit_trail(world):
    p = world.premises["linquan1"]
    assert status_at(Premises.objects.filter(pk=p.pk), CUTOFF) == {p.pk: PremisesStatus.OPEN}
    Premises.objects.filter(pk=p.pk).update(status=PremisesStatus.SUSPENDED, status_changed_at=timezone.now())
    Premises.objects.filter(pk=p.pk).update(status=PremisesStatus.SHUT, status_changed_at=timezone.now())
    rows = Premises.objects.filter(pk=p.pk)
    assert status_at(rows, CUTOFF) == {p.pk: PremisesStatus.OPEN}
    assert status_at(rows, timezone.now() + datetime.timedelta(days=1)) == {p.pk: PremisesStatus.SHUT}


def test_the_brief_command_prints_the_basis_line(world, settings, tmp_path):
    from django.core.management import call_command

    from wangge.dashboard.models import Brief

    settings.MEDIA_ROOT = tmp_path
    call_command("brief", "--kind", "review", "--from", "2022-07-04", "--to", "2022-07-15", stdout=io.StringIO())
    text = "\n".join(p.text for p in Document(io.BytesIO(read_brief(Brief.objects.get(), "docx"))).paragraphs)
    assert "数据截至2022年7月15日24时" in text
