"""Shared form widgets: ISO date inputs, Bootstrap check lists and the searchable multi-select."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """An <input type=date>: its value is always ISO (2026-12-05), whatever the language's date format;
    a browser's date input rejects 2026/12/05 and the field then posts empty."""

    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's argument name)
        super().__init__(attrs, format=ISO_DATE)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, format=None):  # noqa: A002
        super().__init__(attrs, format="%H:%M")


CHOICE_LIST = "core/widgets/choice_list.html"
CHOICE_OPTION = "core/widgets/choice_option.html"


def as_check_list(widget: forms.RadioSelect) -> None:
    """Radio buttons and check boxes rendered as Bootstrap form-checks: the wrapper is a plain block,
    each option an input with its label beside it (never `form-check-input` on the wrapper)."""
    widget.template_name = CHOICE_LIST
    widget.option_template_name = CHOICE_OPTION
    widget.attrs.setdefault("class", "form-check-input")


class SearchableMultiSelect(forms.SelectMultiple):
    """A multi-select that scales to hundreds of options. Without JavaScript it is a plain
    <select multiple>; static/wangge/multiselect.js turns it into removable chips for the chosen
    items, a type-to-search box, one drop-down per group filter and a "select all shown" button.

    `filters` is a list of (key, label); `describe(instance)` returns {key: value or list of values}
    for each option (its department, building, household, group), written as data-f-<key>."""

    template_name = "core/widgets/searchable_multi.html"

    def __init__(self, attrs=None, choices=(), *, filters=(), describe=None):
        super().__init__(attrs, choices)
        self.filters = list(filters)
        self.describe = describe

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and self.describe is not None:
            for key, found in self.describe(instance).items():
                values = found if isinstance(found, list | tuple) else [found]
                option["attrs"][f"data-f-{key}"] = "|".join(str(v) for v in values if v not in (None, ""))
        return option

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("size", 8)
        context["widget"]["filters_json"] = json.dumps([{"key": k, "label": str(label)} for k, label in self.filters],
                                                       ensure_ascii=False)
        return context


def people_filters():
    """People picked by department (a task force, a team, an assignee list)."""
    return {"filters": [("department", _("department"))],
            "describe": lambda user: {"department": [d.short_name or d.name for d in user.departments.all()]}}
