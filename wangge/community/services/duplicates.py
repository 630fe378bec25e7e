"""Likely duplicates: suggest pairs by rule, then merge (keeping both histories) or dismiss.

Exact duplicates never exist (the ID-number hash is unique). Likely duplicates are two records with
different ID numbers that are probably one person: the same birth date in the same compound and the
same name, or names one character apart (a typo or a homophone in one of two registrations).
"""

from collections import defaultdict
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.bulk import insert_audited
from wangge.core.models import User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned

from ..choices import DuplicateReason, ScreeningStatus, SuggestionStatus
from ..models import CareVisit, DuplicateSuggestion, Resident, ScreeningResult, SupplyMovement


def _one_apart(a: str, b: str) -> bool:
    """Edit distance exactly one (one character changed, added or dropped)."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def reason_for(a: Resident, b: Resident) -> str | None:
    if a.compound_id is None or a.compound_id != b.compound_id or a.birth_date != b.birth_date:
        return None
    if a.name.strip() == b.name.strip():
        return DuplicateReason.SAME_NAME_BIRTH
    return DuplicateReason.NEAR_NAME if _one_apart(a.name.strip(), b.name.strip()) else None


def suggest_duplicates(compound_ids) -> int:
    """Look for likely duplicates inside the given compounds; return how many new pairs were suggested.
    No permission check: it only writes suggestions, which a person then decides."""
    residents = Resident.objects.filter(compound_id__in=list(compound_ids), merged_into__isnull=True).only(
        "name", "compound_id", "birth_date")
    groups = defaultdict(list)
    for r in residents:
        groups[(r.compound_id, r.birth_date)].append(r)
    pairs = []
    for group in groups.values():
        for a, b in combinations(sorted(group, key=lambda r: r.pk), 2):
            reason = reason_for(a, b)
            if reason:
                pairs.append((a.pk, b.pk, reason))
    if not pairs:
        return 0
    known = set(DuplicateSuggestion.objects.filter(first_id__in={p[0] for p in pairs}).values_list(
        "first_id", "second_id"))
    new = [DuplicateSuggestion(first_id=a, second_id=b, reason=reason) for a, b, reason in pairs
           if (a, b) not in known]
    insert_audited(new)  # each suggestion in the trail, like every other row
    return len(new)


def _decidable(actor: User, suggestion: DuplicateSuggestion) -> None:
    require(actor, Perm.EDIT_RESIDENTS)
    visible = Resident.objects.visible_to(actor).filter(pk__in=[suggestion.first_id, suggestion.second_id])
    if visible.count() != 2:
        raise ValidationError({"suggestion": _("You may decide only on residents of your own grids.")})
    if suggestion.status != SuggestionStatus.OPEN:
        raise ValidationError({"suggestion": _("This suggestion has already been decided.")})


def _decide(actor: User, suggestion: DuplicateSuggestion, status: str) -> None:
    suggestion.status, suggestion.decided_by, suggestion.decided_at = status, actor, timezone.now()
    save_versioned(suggestion, suggestion.version)


@transaction.atomic
def dismiss(actor: User, suggestion: DuplicateSuggestion) -> DuplicateSuggestion:
    _decidable(actor, suggestion)
    _decide(actor, suggestion, SuggestionStatus.DISMISSED)
    return suggestion


# Blank fields of the kept record are filled from the merged one; flags are joined.
FILL_BLANK = ("phone", "address", "compound", "building", "room", "household", "family_doctor", "doctor_signed_on")


@transaction.atomic
def merge(actor: User, suggestion: DuplicateSuggestion, keep: Resident) -> Resident:
    """Merge the other record of the pair into `keep`. Nothing is deleted: the merged record stays (out of
    the lists, pointing at the kept one) with its own change records; its screening results, care visits
    and distributions move to the kept record, each move in the audit trail."""
    suggestion = DuplicateSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    _decidable(actor, suggestion)
    if keep.pk not in (suggestion.first_id, suggestion.second_id):
        raise ValidationError({"keep": _("Keep one of the two records of this pair.")})
    other_id = suggestion.second_id if keep.pk == suggestion.first_id else suggestion.first_id
    keep = Resident.objects.select_for_update().get(pk=keep.pk)
    other = Resident.objects.select_for_update().get(pk=other_id)
    if keep.merged_into_id or other.merged_into_id:
        raise ValidationError({"keep": _("One of these records was already merged into another.")})

    _move_results(keep, other)
    for visit in CareVisit.objects.filter(resident=other):
        visit.resident = keep
        save_versioned(visit, visit.version, ["resident", "updated_at"])  # an open edit of it goes stale
    for movement in SupplyMovement.objects.filter(resident=other):
        movement.resident = keep
        save_versioned(movement, movement.version, ["resident", "updated_at"])

    for field in FILL_BLANK:
        if not getattr(keep, field) and getattr(other, field):
            setattr(keep, field, getattr(other, field))
    for flag in Resident.FLAGS:
        setattr(keep, flag, getattr(keep, flag) or getattr(other, flag))
    save_versioned(keep, keep.version)
    other.merged_into = keep
    save_versioned(other, other.version)
    _decide(actor, suggestion, SuggestionStatus.MERGED)
    for left in DuplicateSuggestion.objects.filter(status=SuggestionStatus.OPEN).filter(
            first_id__in=[other.pk, keep.pk], second_id__in=[other.pk, keep.pk]).exclude(pk=suggestion.pk):
        _decide(actor, left, SuggestionStatus.DISMISSED)
    return keep


def _move_results(keep: Resident, other: Resident) -> None:
    """One result per round: where both have one, the more informative is kept on the kept record."""
    kept = {r.round_id: r for r in ScreeningResult.objects.filter(resident=keep)}
    for result in ScreeningResult.objects.filter(resident=other):
        mine = kept.get(result.round_id)
        if mine is None:
            result.resident = keep
            save_versioned(result, result.version, ["resident", "updated_at"])
            continue
        if mine.status == ScreeningStatus.NOT_YET and result.status != ScreeningStatus.NOT_YET:
            mine.status, mine.exempt_reason, mine.tested_at = result.status, result.exempt_reason, result.tested_at
            save_versioned(mine, mine.version, ["status", "exempt_reason", "tested_at", "updated_at"])
        result.delete()
