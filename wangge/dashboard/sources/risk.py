"""Premises by risk band, from `inspections.risk_views.risk_figures`."""

from django.utils.translation import gettext as _

from wangge.core.roles import Perm
from wangge.inspections.risk_views import risk_figures

from ..figures import Figure, Section
from ..links import list_url
from ..rollup.figures import risk as rolled_risk
from ..rollup.read import rollup_for


def provide(user, period):
    if not (user.can(Perm.VIEW_INSPECTIONS) and user.can(Perm.VIEW_PREMISES)):
        return None
    rolled = rollup_for(user)
    data = rolled_risk(rolled) if rolled else risk_figures(user)
    figures = [Figure(f"risk_{b['band']}", _("Risk: %(band)s") % {"band": b["label"]}, b["count"],
                      list_url("inspections:risk", band=b["band"])) for b in data["bands"]]
    figures.append(Figure("flagged_by_scans", _("Venue code posted but not scanned"), data["flagged_by_scans"],
                          list_url("inspections:risk")))
    section = Section("risk", _("Risk"), figures)
    if period is not None and period.as_of_end:
        section.note = _("Risk bands are as they are now: they are recomputed from the latest inspections and no "
                         "history of them is kept.")
    return section
