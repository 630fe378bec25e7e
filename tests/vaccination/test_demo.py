"""The vaccination demo: realistic gaps between compounds, census, outreach, a doctor's worklist; twice
changes nothing."""

from wangge.community import demo as community_demo
from wangge.core import demo as core_demo
from wangge.core.models import User
from wangge.vaccination import demo
from wangge.vaccination.models import Appointment, CensusAnswer, Contact, Dose, FollowUp, VaccinationPoint
from wangge.vaccination.services import coverage, outreach
from wangge.vaccination.services.status import reference_date


def test_demo_loads_with_gaps_and_is_idempotent(db):
    context = core_demo.load()
    community_demo.load(context)
    demo.load(context)
    admin, as_of = User.objects.get(username="admin"), reference_date()
    compounds = coverage.by_compound(admin, as_of)
    rates = [r.full_rate for r in compounds if r.population >= 10]
    assert min(rates) < 70 and max(rates) > 85  # key compounds lag well behind the rest
    total = coverage.total(admin, as_of)
    assert 75 <= total.full_rate <= 95 and total.census > 0
    doctor = User.objects.get(username="doctor")
    assert outreach.worklist(doctor, as_of).count() > 5
    assert User.objects.filter(username="health", role_assignments__role="health_centre_staff").exists()
    models = (VaccinationPoint, Dose, CensusAnswer, Contact, Appointment, FollowUp)
    counts = [m.objects.count() for m in models]
    assert all(counts)
    demo.load(context)
    assert [m.objects.count() for m in models] == counts
