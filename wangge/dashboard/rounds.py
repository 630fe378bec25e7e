"""Which inspection rounds the dashboard, the big screen and the briefs speak for.

Every active round is offered (a town may run a small campaign beside its big one), and an active
look-back round (回头看) is shown beside its first round, even when that first round has closed. The
default is the largest (most premises in scope). For a period, the rounds that ran during it are
offered instead; with none, the latest round that had started by its end. A user is offered the rounds of
their own towns only (a campaign is its town's, docs/TOWNS.md)."""

from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from wangge.inspections.choices import CampaignKind, CampaignStatus, TaskReason
from wangge.inspections.models import Campaign


class RoundError(ValueError):
    pass


@dataclass
class RoundChoice:
    """A first round and the look-back rounds shown beside it."""

    round: Campaign
    lookbacks: list[Campaign] = field(default_factory=list)

    @property
    def label(self) -> str:
        if not self.lookbacks:
            return self.round.name
        return _("%(name)s (with its look-back)") % {"name": self.round.name}


@dataclass
class Rounds:
    choices: list[RoundChoice]
    chosen: RoundChoice | None


# Set by pick(rolled=True): the sizes come from the roll-up (one small query) instead of counting the tasks.
_rolled: ContextVar[bool] = ContextVar("rounds_rolled", default=False)


def _sized(campaigns):
    if _rolled.get():
        return campaigns
    return campaigns.annotate(size=Count("tasks", filter=~Q(tasks__reason=TaskReason.REINSPECTION)))


def _attach_sizes(choices: list[RoundChoice]) -> None:
    from .rollup.figures import round_sizes

    campaigns = [c for choice in choices for c in (choice.round, *choice.lookbacks) if not hasattr(c, "size")]
    sizes = round_sizes([c.pk for c in campaigns]) if campaigns else {}
    for c in campaigns:
        c.size = sizes.get(c.pk, 0)


def _choices(campaigns, period) -> list[RoundChoice]:
    if period is None:
        shown = Q(status=CampaignStatus.ACTIVE)
    else:
        shown = Q(starts_on__lte=period.end, ends_on__gte=period.start) & ~Q(status=CampaignStatus.DRAFT)
    matched = campaigns.filter(shown)
    # One query: the matching campaigns and the first rounds of matching look-backs, with their sizes.
    rows = list(_sized(campaigns.filter(
        Q(pk__in=matched.values("pk")) | Q(pk__in=matched.filter(kind=CampaignKind.LOOKBACK).values("parent_id"))))
        .order_by("-starts_on", "-id"))
    firsts = {c.pk: RoundChoice(c) for c in rows if c.kind == CampaignKind.ROUND}
    for c in rows:
        if c.kind == CampaignKind.LOOKBACK and c.parent_id in firsts:
            firsts[c.parent_id].lookbacks.append(c)
    return list(firsts.values())


def _fallback(campaigns, period) -> list[RoundChoice]:
    rounds = _sized(campaigns.filter(kind=CampaignKind.ROUND)).order_by("-starts_on", "-id")
    if period is not None:
        rounds = rounds.filter(starts_on__lte=period.end)
    latest = rounds.first()
    return [RoundChoice(latest)] if latest else []


def _largest(choices: list[RoundChoice]) -> RoundChoice:
    return max(choices, key=lambda c: (c.round.size + sum(lb.size for lb in c.lookbacks), c.round.starts_on,
                                       c.round.pk))


def pick(period, campaign_id=None, rolled: bool = False, user=None) -> Rounds:
    """The rounds offered and the one chosen (`campaign_id`, a first round or a look-back, else the largest).
    `rolled`: take the rounds' sizes from the roll-up (the live dashboard, after rollup.ensure_fresh).
    `user`: only the rounds they may see (None: every round, for the deployment's own documents)."""
    token = _rolled.set(rolled)
    campaigns = Campaign.objects.all() if user is None else Campaign.objects.visible_to(user)
    try:
        rounds = _pick(campaigns, period, campaign_id)
    finally:
        _rolled.reset(token)
    return rounds


def _pick(campaigns, period, campaign_id) -> Rounds:
    choices = _choices(campaigns, period) or _fallback(campaigns, period)
    if _rolled.get():
        _attach_sizes(choices)
    if campaign_id in (None, ""):
        return Rounds(choices, _largest(choices) if choices else None)
    wanted = str(campaign_id).strip()
    if not wanted.isdecimal():
        raise RoundError(_("Choose an inspection round from the list."))
    wanted = int(wanted)
    for choice in choices:
        if wanted == choice.round.pk or wanted in [lb.pk for lb in choice.lookbacks]:
            return Rounds(choices, choice)
    # An older round asked for by its id (e.g. from a kept link): shown with its own look-backs.
    campaign = _sized(campaigns.filter(pk=wanted).exclude(status=CampaignStatus.DRAFT)).first()
    if campaign is None:
        raise RoundError(_("There is no such inspection round."))
    if campaign.kind == CampaignKind.LOOKBACK:
        first = _sized(campaigns.filter(pk=campaign.parent_id)).get()
        chosen = RoundChoice(first, [campaign])
    else:
        chosen = RoundChoice(campaign, list(_sized(campaign.lookbacks.exclude(status=CampaignStatus.DRAFT))))
    if _rolled.get():
        _attach_sizes([chosen])
    return Rounds([*choices, chosen], chosen)
