"""The escalation ladder for repeated problems: reminder → verbal warning → recorded interview (约谈)
→ suspension → case filed with law enforcement. When an inspection finds a problem (a checklist item)
the premises had before, the next step is proposed; another step may be taken only with a recorded
reason, so no step is skipped silently."""

from django.utils.translation import gettext as _

from .choices import LadderStep
from .models import Inspection, LadderEntry

ORDER = list(LadderStep.values)


def next_step(last: str | None) -> str:
    if last is None:
        return ORDER[0]
    return ORDER[min(ORDER.index(last) + 1, len(ORDER) - 1)]


def history(premises_id: int) -> dict[str, LadderEntry]:
    """The last step taken for each problem at the premises."""
    last: dict[str, LadderEntry] = {}
    for entry in LadderEntry.objects.filter(premises_id=premises_id).order_by("taken_at", "id"):
        last[entry.problem] = entry
    return last


def plan(premises_id: int, violated: list, requested: dict[str, dict]) -> tuple[list[dict], dict[str, str]]:
    """Steps to record for the violated items ({code, text, step, proposed, reason}), and errors keyed
    `ladder.<code>`. `requested` maps an item code to {"step", "reason"} chosen by the inspector."""
    last = history(premises_id)
    steps, errors = [], {}
    for item in violated:
        previous = last.get(item.code)
        proposed = next_step(previous.step if previous else None)
        wanted = requested.get(item.code) or {}
        step = wanted.get("step") or proposed
        reason = (wanted.get("reason") or "").strip()
        if step not in ORDER:
            errors[f"ladder.{item.code}"] = _("Unknown step.")
        elif step != proposed and not reason:
            errors[f"ladder.{item.code}"] = _("The next step for “%(item)s” is “%(proposed)s”; give the reason for "
                                              "taking “%(step)s” instead.") % {
                "item": item.text, "proposed": LadderStep(proposed).label, "step": LadderStep(step).label}
        steps.append({"code": item.code, "text": item.text, "step": step, "proposed": proposed,
                      "reason": reason[:300]})
    return steps, errors


def record(inspection: Inspection, steps: list[dict]) -> None:
    LadderEntry.objects.bulk_create([
        LadderEntry(premises_id=inspection.premises_id, problem=s["code"], problem_text=s["text"][:200],
                    step=s["step"], proposed=s["proposed"], reason=s["reason"], inspection=inspection,
                    taken_at=inspection.inspected_at) for s in steps])
