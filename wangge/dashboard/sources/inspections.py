"""The campaign's live figures (401 / 15 / 3 in the demo) from `inspections.summary`."""

from urllib.parse import quote_plus

from django.utils.translation import gettext as _

from wangge.core.roles import Perm
from wangge.inspections.choices import CampaignKind, InspectionKind, Outcome
from wangge.inspections.models import Inspection
from wangge.inspections.summary import campaign_summary, coverage

from ..figures import Figure, Item, Section, Table, cutoff
from ..links import list_url
from ..rollup.figures import campaign_summary as rolled_summary
from ..rollup.figures import coverage_by_grid
from ..rollup.read import rollup_for
from ..rounds import pick

NOTABLE_OUTCOMES = (Outcome.RECTIFICATION, Outcome.SHUTDOWN)
NOTABLE_MAX = 20


def _tasks(campaign, **params):
    # A look-back's tasks have other reasons (finding, not yet inspected, sampled): all but re-inspections.
    reason = "scope" if campaign.kind == CampaignKind.ROUND else "routine"
    return list_url("inspections:task_list", campaign.pk, reason=reason, **params)


def _records(campaign, **params):
    return list_url("inspections:inspection_list", campaign=campaign.pk, **params)


def provide(user, period, rounds=None) -> list[Section]:
    """The chosen round's section, then one per look-back round shown beside it."""
    if not user.can(Perm.VIEW_INSPECTIONS):
        return []
    chosen = (rounds or pick(period, user=user)).chosen
    if chosen is None:
        return [Section("inspections", _("Inspection campaign"), note=_("No inspection round yet."))]
    sections = [_section(user, period, chosen.round, "inspections",
                         _("Inspection campaign: %(name)s") % {"name": chosen.round.name})]
    for n, lookback in enumerate(chosen.lookbacks):
        sections.append(_section(user, period, lookback, "lookback" if n == 0 else f"lookback_{lookback.pk}",
                                 _("Look-back round: %(name)s") % {"name": lookback.name}))
    return sections


def _section(user, period, campaign, key: str, title: str) -> Section:
    until = cutoff(period)
    rolled = rollup_for(user) if until is None else None  # a brief's past figures are counted directly
    s = rolled_summary(rolled, campaign) if rolled else campaign_summary(campaign, user, until)
    routine = InspectionKind.ROUTINE
    figures = [
        Figure("in_scope", _("Premises in scope"), s["in_scope"], _tasks(campaign)),
        Figure("inspected", _("Inspected"), s["inspected"], _tasks(campaign, state="done")),
        Figure("not_yet", _("Not yet inspected"), s["not_yet"], _tasks(campaign, state="planned")),
        Figure("fixed_on_the_spot", _("Fixed on the spot"), s["fixed_on_the_spot"],
               _records(campaign, outcome=Outcome.FIXED, kind=routine)),
        Figure("rectification_orders", _("Rectification orders"), s["rectification_orders"],
               _records(campaign, outcome=Outcome.RECTIFICATION, kind=routine)),
        Figure("shutdowns", _("Shutdowns"), s["shutdowns"], _records(campaign, outcome=Outcome.SHUTDOWN)),
        Figure("reinspections", _("Re-inspections"), s["reinspections"],
               _records(campaign, kind=InspectionKind.REINSPECTION)),
    ]
    by_grid = coverage_by_grid(rolled, campaign) if rolled else coverage(campaign, user, "grid", until)
    base = _tasks(campaign)
    rows = []
    for r in by_grid:
        # What _tasks(campaign, grid_name=..., state=...) gives, the grid's name quoted once (1,000 grids).
        url = base if r["key"] is None else f"{base}&grid_name={quote_plus(str(r['key']))}"
        rows.append([Figure("grid", r["label"], r["label"]), Figure("in_scope", "", r["in_scope"], url),
                     Figure("inspected", "", r["inspected"], url + "&state=done"),
                     Figure("not_yet", "", r["not_yet"], url + "&state=planned"),
                     Figure("percent", "", r["percent"], unit="%")])
    section = Section(key, title, figures,
                      [Table("coverage_by_grid", _("Inspection coverage by grid"),
                             [_("Grid"), _("In scope"), _("Inspected"), _("Not yet"), _("Coverage")], rows)])
    section.note = _("Day shift %(day)s, night shift %(night)s inspections; %(people)s people deployed.") % {
        "day": s["day_inspections"], "night": s["night_inspections"], "people": s["people_deployed"]}
    if period is not None:
        section.notable = _notable(user, campaign, period)
    return section


def _notable(user, campaign, period) -> list[Item]:
    """Rectification orders and shutdowns decided in the period."""
    rows = (Inspection.objects.visible_to(user)
            .filter(campaign=campaign, outcome__in=NOTABLE_OUTCOMES,
                    inspected_at__date__gte=period.start, inspected_at__date__lte=period.end)
            .select_related("premises").order_by("inspected_at", "id")[:NOTABLE_MAX])
    return [Item(f"{i.inspected_at:%m-%d} {i.premises.name}: {i.get_outcome_display()}",
                 list_url("inspections:inspection_detail", i.pk)) for i in rows]
