"""The vaccination drive's lists as ledger kinds (export and print): the 60+ register, the worklist
and coverage by neighbourhood. Each takes its page's own function (filters.register_people,
outreach.worklist_for, coverage.by_neighbourhood) so the file holds what the page shows, health facts
masked for roles without view_health as on the page."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.community.models import Compound
from wangge.core.models import Area
from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column
from wangge.core.tabular.heading import FilterWord
from wangge.core.tabular.kinds import LedgerKind, register

from .choices import AgeBand
from .filters import STATUS_CHOICES, register_people
from .models import Elder
from .services import coverage, outreach
from .services.status import band_of, reference_date
from .templatetags.vaccination_tags import census_text


def _as_of(params):
    try:
        return reference_date(str(params.get("as_of", "") or "") or None)
    except ValidationError:  # the page says so and uses today; so does its export
        return reference_date()


PERSON_COLUMNS = [Column("name", _l("Name"), width=10), Column("band", _l("Age band"), width=8),
                  Column("grid", _l("Grid"), width=16), Column("compound", _l("Compound"), width=22),
                  Column("contract", _l("Family-doctor contract"), width=12), Column("status", _l("Status"), width=14)]


def _person(person, as_of) -> list:
    band = band_of(person.birth_date, as_of)
    place = " ".join(p for p in (person.compound.name if person.compound else "", person.building, person.room) if p)
    state = person.vaccination.get_status_display() if getattr(person, "vaccination", None) else _("unvaccinated")
    return [person.name, AgeBand(band).label if band else "", person.grid.name, place,
            _("contract signed") if person.family_doctor_id else _("not signed"), state]


class _PeopleKind(LedgerKind):
    model = Elder

    def people(self, actor, params, as_of):
        raise NotImplementedError

    def rows(self, actor, params, unmasked=False):
        as_of, can_health = _as_of(params), actor.can(Perm.VIEW_HEALTH)
        return ((person, as_of, can_health) for person in self.people(actor, params, as_of).iterator(chunk_size=2000))


@register
class RegisterKind(_PeopleKind):
    name = "vaccination-register"
    label = _l("60+ register")
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_VACCINATION
    list_url = "vaccination:register"
    columns = [*PERSON_COLUMNS, Column("doses", _l("Doses"), width=6), Column("census", _l("Census answer"), width=24)]
    filter_words = [FilterWord("as_of", _l("Ages counted on")), FilterWord("q", _l("Search")),
                    FilterWord("hood", _l("Neighbourhood"), model=Area),
                    FilterWord("compound", _l("Compound"), model=Compound),
                    FilterWord("band", _l("Age band"), AgeBand.choices),
                    FilterWord("status", _l("Status"), STATUS_CHOICES),
                    FilterWord("signed", _l("Family-doctor contract"), [("yes", _l("contract signed")),
                                                                          ("no", _l("not signed"))])]

    def people(self, actor, params, as_of):
        return register_people(actor, as_of, params)

    def export_row(self, obj, unmasked=False):
        person, as_of, can_health = obj
        record = getattr(person, "vaccination", None)
        return [*_person(person, as_of), record.doses if record else 0,
                census_text(record.census if record else None, can_health)]


@register
class WorklistKind(_PeopleKind):
    name = "vaccination-worklist"
    label = _l("Vaccination worklist")
    # The doctor's or grid worker's own list to work through, printed to take along.
    export_permission = Perm.RECORD_VACCINATION
    view_permission = Perm.VIEW_VACCINATION
    list_url = "vaccination:worklist"
    columns = [*PERSON_COLUMNS, Column("census", _l("Census answer"), width=24),
               Column("willingness", _l("Willingness"), width=10), Column("booked", _l("Booked"), width=6),
               Column("result", _l("Contact result"), width=20, help=_l("Filled in on the round"))]
    filter_words = [FilterWord("as_of", _l("Ages counted on")), FilterWord("hood", _l("Area"), model=Area)]

    def people(self, actor, params, as_of):
        return outreach.worklist_for(actor, params, as_of)[2]

    def describe(self, params, user):
        said = super().describe(params, user)
        hood = outreach.worklist_for(user, params, _as_of(params))[1]
        if hood is not None and not params.get("hood"):
            said.append(f"{_('Area')}：{hood.name}")
        return said

    def export_row(self, obj, unmasked=False):
        person, as_of, can_health = obj
        record = getattr(person, "vaccination", None)
        census = record.census if record else None
        return [*_person(person, as_of), census_text(census, can_health),
                census.get_willingness_display() if census and census.willingness else "",
                _("yes") if person.booked else "", ""]


@register
class CoverageKind(LedgerKind):
    name = "vaccination-coverage"
    label = _l("Vaccination coverage")
    model = Elder
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_VACCINATION
    list_url = "vaccination:overview"
    filter_words = [FilterWord("as_of", _l("Ages counted on"))]
    columns = [Column("area", _l("Neighbourhood"), width=16), Column("population", _l("60+ population"), width=10),
               Column("eligible", _l("Eligible"), width=8), Column("first", _l("At least one dose"), width=10),
               Column("full", _l("Fully vaccinated"), width=10), Column("boosted", _l("Boosted"), width=8),
               Column("not_full", _l("Not fully vaccinated"), width=10),
               Column("full_rate", _l("Full rate (all 60+)"), width=10),
               Column("full_rate_eligible", _l("Full rate (eligible)"), width=10),
               Column("boosted_rate", _l("Booster rate (all 60+)"), width=10),
               Column("census_rate", _l("Census done"), width=10)]

    def rows(self, actor, params, unmasked=False):
        as_of = _as_of(params)
        return [*coverage.by_neighbourhood(actor, as_of), coverage.total(actor, as_of, _("Total"))]

    def export_row(self, obj, unmasked=False):
        def pct(value):
            return "" if value is None else f"{value}%"

        return [obj.label, obj.population, obj.eligible, obj.first, obj.full, obj.boosted, obj.not_full,
                pct(obj.full_rate), pct(obj.full_rate_eligible), pct(obj.boosted_rate), pct(obj.census_rate)]
