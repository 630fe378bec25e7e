"""The one filter of the 60+ register: the list page, its API and every coverage figure's link use it."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _l

from .choices import AgeBand, Status
from .services.coverage import AT_LEAST_FIRST, AT_LEAST_FULL
from .services.status import band_filter, current_census_q, not_full_q, status_q

STATUS_FILTERS = {
    **{s: (lambda s=s: status_q(s)) for s in Status.values},
    "not_full": not_full_q,
    "at_least_first": lambda: Q(vaccination__status__in=AT_LEAST_FIRST),
    "at_least_full": lambda: Q(vaccination__status__in=AT_LEAST_FULL),
}
# The status filter in words (the page's drop-down, an export's heading).
STATUS_CHOICES = [("not_full", _l("not fully vaccinated")), ("at_least_first", _l("at least one dose")),
                  ("at_least_full", _l("fully vaccinated or boosted")), *Status.choices]


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdecimal() and len(value) < 10 else None


def filter_register(people, params, as_of):
    """Narrow the register by hood, compound, band, status, signed (yes/no) and census (current/missing).
    Unknown values are ignored, never an error."""
    if (hood := _int(params.get("hood"))) is not None:
        people = people.filter(grid__parent_id=hood)
    if (compound := _int(params.get("compound"))) is not None:
        people = people.filter(compound_id=compound)
    if params.get("band") in AgeBand.values:
        people = people.filter(band_filter(params["band"], as_of))
    if params.get("status") in STATUS_FILTERS:
        people = people.filter(STATUS_FILTERS[params["status"]]())
    if params.get("signed") in ("yes", "no"):
        people = people.filter(family_doctor__isnull=params["signed"] == "no")
    if params.get("census") == "current":
        people = people.filter(current_census_q(as_of))
    elif params.get("census") == "missing":
        people = people.exclude(current_census_q(as_of))
    return people


def register_people(user, as_of, params):
    """The register page's rows: the user's 60+ register, its filters and the name search, in grid order."""
    from wangge.core.validators import normalise

    from .services.status import register

    people = filter_register(register(user, as_of), params, as_of)
    query = normalise(str(params.get("q", "") or "").replace("\x00", ""))[:50]
    if query:
        people = people.filter(name__contains=query)
    return people.select_related("grid", "compound", "vaccination", "vaccination__census").defer(
        "id_number", "phone").order_by("grid__path", "name", "id")
