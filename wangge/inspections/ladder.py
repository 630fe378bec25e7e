"""The escalation ladder for repeated problems: reminder → verbal warning → recorded interview (约谈)
→ suspension → case filed with law enforcement. When an inspection finds a problem (a checklist item)
the premises had before, the next step is proposed; another step may be taken only with a recorded
reason, so no step is skipped silently. The top two rungs are decisions, not words: an inspection
records "suspension" when it suspends the premises and "case filed" when it shuts it, and no other
inspection may record them; past the interview, an inspection that neither suspends nor shuts
records another interview."""

from django.utils.translation import gettext as _

from .choices import FlagReview, LadderStep, Outcome
from .models import Inspection, LadderEntry

ORDER = list(LadderStep.values)
DECIDED = (LadderStep.SUSPENSION, LadderStep.CASE_FILED)  # taken only by suspending or shutting


def decided_step(outcome: str, suspended: bool) -> str | None:
    """The step an inspection's decision takes: shutdown → case filed, suspension → suspension."""
    if outcome == Outcome.SHUTDOWN:
        return LadderStep.CASE_FILED
    if outcome == Outcome.RECTIFICATION and suspended:
        return LadderStep.SUSPENSION
    return None


def next_step(last: str | None) -> str:
    if last is None:
        return ORDER[0]
    return ORDER[min(ORDER.index(last) + 1, len(ORDER) - 1)]


def history(premises_id: int) -> dict[str, LadderEntry]:
    """The last step taken for each problem at the premises."""
    last: dict[str, LadderEntry] = {}
    entries = (LadderEntry.objects.filter(premises_id=premises_id)
               .exclude(inspection__flag_review=FlagReview.VOIDED).order_by("taken_at", "id"))
    for entry in entries:
        last[entry.problem] = entry
    return last


def plan(premises_id: int, violated: list, requested: dict[str, dict], decided: str | None = None,
         decision_reason: str = "") -> tuple[list[dict], dict[str, str]]:
    """Steps to record for the violated items ({code, text, step, proposed, reason}), and errors keyed
    `ladder.<code>`. `requested` maps an item code to {"step", "reason"} chosen by the inspector;
    `decided` is the step the inspection's own decision takes (`decided_step`), whose reason is the
    decision's."""
    last = history(premises_id) if violated else {}  # nothing violated: no step, nothing to read
    steps, errors = [], {}
    for item in violated:
        previous = last.get(item.code)
        proposed = next_step(previous.step if previous else None)
        wanted = requested.get(item.code) or {}
        reason = (wanted.get("reason") or "").strip()
        key = f"ladder.{item.code}"
        # Without a suspension or shutdown the highest word step is the interview: a problem past it
        # (proposal suspension or case filed) gets an interview unless the premises is suspended or shut.
        default = proposed if proposed not in DECIDED else LadderStep.INTERVIEW
        if decided is not None:
            step, reason = decided, reason or decision_reason.strip()
        else:
            step = wanted.get("step") or default
        if step not in ORDER:
            errors[key] = _("Unknown step.")
        elif decided is None and step in DECIDED:
            errors[key] = _("“%(step)s” is taken by the inspection's decision: suspend the premises with the "
                            "rectification order, or shut it down.") % {"step": LadderStep(step).label}
        elif decided is None and step != default and not reason:
            errors[key] = _("The next step for “%(item)s” is “%(proposed)s”; give the reason for "
                            "taking “%(step)s” instead.") % {
                "item": item.text, "proposed": LadderStep(default).label, "step": LadderStep(step).label}
        steps.append({"code": item.code, "text": item.text, "step": step, "proposed": proposed,
                      "reason": reason[:300]})
    return steps, errors


def record(inspection: Inspection, steps: list[dict]) -> None:
    LadderEntry.objects.bulk_create([
        LadderEntry(premises_id=inspection.premises_id, problem=s["code"], problem_text=s["text"][:200],
                    step=s["step"], proposed=s["proposed"], reason=s["reason"], inspection=inspection,
                    taken_at=inspection.inspected_at) for s in steps])
