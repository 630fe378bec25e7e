"""Template filters over core/display.py, loaded on every template (settings: builtins)."""

from django import template

from wangge.core import display

register = template.Library()


@register.filter
def moment(value) -> str:
    return display.moment(value)


@register.filter
def duration(value) -> str:
    return display.duration(value)


@register.filter
def since(value, today=None) -> str:
    return display.since(value, today)


@register.filter
def distance(value) -> str:
    return display.distance(value)
