"""Which premises a look-back round (回头看) re-inspects, reproducibly."""

import random

from wangge.places.choices import PremisesStatus

from .choices import Outcome, TaskReason, TaskState
from .models import Campaign, Inspection, RiskScore
from .planning import in_town


def select_lookback(campaign: Campaign, share: int, seed: int) -> list[tuple[int, str]]:
    """(premises id, reason) for: every premises with a finding in the first round, every one not yet
    inspected, and `share` per cent of the compliant ones drawn with `seed` (same seed, same sample)."""
    # Shut or closed places have nothing left to inspect; the rest are taken as they stand now.
    # Only premises of the campaign's town: a look-back stays in its first round's town.
    tasks = campaign.tasks.exclude(reason=TaskReason.REINSPECTION).filter(
        in_town(campaign, "premises__grid"), premises__status__in=[PremisesStatus.OPEN, PremisesStatus.SUSPENDED])
    not_inspected = sorted(tasks.filter(state=TaskState.PLANNED).values_list("premises_id", flat=True))
    inspected = Inspection.objects.filter(campaign=campaign).counted()
    with_finding = set(inspected.exclude(outcome=Outcome.COMPLIANT).filter(
        in_town(campaign, "premises__grid"), premises__status__in=[PremisesStatus.OPEN, PremisesStatus.SUSPENDED])
        .values_list("premises_id", flat=True))
    compliant = sorted(set(tasks.filter(state=TaskState.DONE).values_list("premises_id", flat=True)) - with_finding)
    # A weighted draw without replacement (Efraimidis–Spirakis): a riskier place is likelier to be
    # drawn. It depends only on the seed, the campaign, the sorted candidates and their scores, so the
    # same inputs give the same sample.
    rng = random.Random(f"{seed}:{campaign.pk}")  # noqa: S311  (a reproducible draw, not a secret)
    scores = dict(RiskScore.objects.filter(premises_id__in=compliant).values_list("premises_id", "score"))
    keys = {pid: rng.random() ** (1.0 / (1 + scores.get(pid, 0) / 10)) for pid in compliant}
    sample = sorted(sorted(compliant, key=lambda pid: -keys[pid])[:round(len(compliant) * share / 100)])
    return ([(pid, TaskReason.FINDING) for pid in sorted(with_finding)]
            + [(pid, TaskReason.NOT_INSPECTED) for pid in not_inspected if pid not in with_finding]
            + [(pid, TaskReason.SAMPLED) for pid in sample])
