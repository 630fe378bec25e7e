"""Elderly vaccination: the 60+ register's coverage from `vaccination.services.coverage`, each count
linked to the register filtered to exactly those people."""

from django.utils.translation import gettext as _

from wangge.core.roles import Perm
from wangge.vaccination.services import coverage
from wangge.vaccination.services.status import reference_date

from ..figures import Figure, Section
from ..links import list_url
from ..rollup.figures import vaccination_total
from ..rollup.read import rollup_for


def provide(user, period):
    if not user.can(Perm.VIEW_VACCINATION):
        return None
    as_of = reference_date()
    if period is not None and period.as_of_end:
        as_of = min(as_of, period.end)  # ages counted on the period's last day at the latest
    day = as_of.isoformat()
    rolled = rollup_for(user) if period is None or not period.as_of_end else None
    t = (rolled and vaccination_total(rolled, as_of)) or coverage.total(user, as_of)
    return Section("vaccination", _("Elderly vaccination"), [
        Figure("population", _("60+ population"), t.population, list_url("vaccination:register", as_of=day)),
        Figure("full", _("Fully vaccinated (60+)"), t.full,
               list_url("vaccination:register", as_of=day, status="at_least_full")),
        Figure("boosted", _("Boosted (60+)"), t.boosted, list_url("vaccination:register", as_of=day, status="boosted")),
        Figure("not_full", _("Not fully vaccinated (60+)"), t.not_full,
               list_url("vaccination:register", as_of=day, status="not_full")),
        Figure("census", _("…of whom with a current census answer"), t.census,
               list_url("vaccination:register", as_of=day, status="not_full", census="current")),
        Figure("full_rate", _("Full rate, all 60+"), t.full_rate, list_url("vaccination:overview", as_of=day), "%"),
        Figure("full_rate_eligible", _("Full rate, eligible (minus permanent contraindications)"),
               t.full_rate_eligible, list_url("vaccination:overview", as_of=day), "%"),
    ], note=_("Ages counted on %(day)s.") % {"day": day} + (
        _(" Vaccination status is as it is now (doses entered later count too).")
        if period is not None and period.as_of_end else ""))
