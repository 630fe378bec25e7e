"""The demo's neighbourhood work: valid people, rounds with realistic coverage, visits, supplies; twice
changes nothing."""

from wangge.community.models import CareVisit, Compound, Resident, ScreeningRound, SupplyMovement
from wangge.community.services import screening
from wangge.core import demo as core_demo
from wangge.core.models import User
from wangge.core.validators import validate_id_number


def test_demo_work_loads_and_is_idempotent(db):
    context = core_demo.load()
    from wangge.community import demo

    demo.load(context)
    admin = User.objects.get(username="admin")
    assert Compound.objects.count() == 18
    people = Resident.objects.filter(compound__isnull=False)
    assert people.count() > 1000
    for resident in people[:50]:
        assert validate_id_number(resident.id_number) == resident.id_number
    for r in ScreeningRound.objects.all():
        total = screening.total(screening.coverage(r, admin))
        assert 75 <= total.percent <= 100 and total.not_yet == total.should - total.tested
    assert CareVisit.objects.exists() and SupplyMovement.objects.filter(kind="distribution").exists()
    counts = [m.objects.count() for m in (Resident, ScreeningRound, CareVisit, SupplyMovement)]
    demo.load(context)
    assert [m.objects.count() for m in (Resident, ScreeningRound, CareVisit, SupplyMovement)] == counts
