"""Health facts shown only to roles that may see them; others see the category masked."""

from django import template
from django.utils.translation import gettext as _

from ..choices import HEALTH_REASONS, Reason

register = template.Library()


@register.simple_tag
def census_text(answer, can_health: bool) -> str:
    if not answer:
        return "—"
    if answer.reason in HEALTH_REASONS and not can_health:
        return _("contraindication (health detail hidden)")
    text = Reason(answer.reason).label
    if answer.reason in HEALTH_REASONS and answer.contraindication:
        text = f"{text}：{answer.get_contraindication_display()}"
    if answer.reason == Reason.TEMPORARY and answer.until:
        until = _("until %(date)s") % {"date": answer.until.isoformat()}
        text = f"{text}（{until}）"
    return str(text)


@register.simple_tag
def reaction_text(visit, can_health: bool) -> str:
    if not visit.reaction:
        return _("none")
    if not can_health:
        return _("reaction recorded (health detail hidden)")
    return f"{visit.reaction}（{visit.get_severity_display()}）{visit.handling}"


@register.simple_tag
def census_notes(answer, can_health: bool) -> str:
    """Notes on a contraindication describe it: hidden like the contraindication itself."""
    if answer.reason in HEALTH_REASONS and not can_health:
        return ""
    return answer.notes
