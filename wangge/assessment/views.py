"""Pages of the assessment: the ranking, one's own figures, the records behind a figure, the scheme."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.core.ids import param_id
from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.tabular.writing import CONTENT_TYPES
from wangge.core.visibility import get_visible_or_404

from . import people, scoring, services
from .choices import Part, SubjectKind
from .forms import SchemeForm
from .indicators import BY_KEY, INDICATORS, Bounds, records
from .models import Scheme
from .sheet import assessment_workbook


def _scheme(request) -> Scheme | None:
    wanted = request.GET.get("scheme", "")
    schemes = Scheme.objects.visible_to(request.user)
    if (pk := param_id(wanted)) is not None:
        return get_visible_or_404(Scheme, request.user, pk=pk)
    return schemes.first()


def _kind(request) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in SubjectKind.values else SubjectKind.GRID_WORKER


def _drill(scheme, indicator, kind, subject_id, part=Part.ALL) -> str:
    return (reverse("assessment:records") + f"?scheme={scheme.pk}&indicator={indicator.key}&kind={kind}"
            f"&subject={subject_id}&part={part}")


def _cells(scheme, indicators, kind, row) -> list[dict]:
    cells = []
    for indicator in indicators:
        value = row.values.get(indicator.key)
        cells.append({"indicator": indicator, "value": value, "weight": scheme.weights.get(indicator.key, 0),
                      "url": _drill(scheme, indicator, kind, row.subject_id) if value else "",
                      "met_url": _drill(scheme, indicator, kind, row.subject_id, Part.MET) if value else ""})
    return cells


def _measured(scheme, kind) -> list:
    return [i for i in scoring.scheme_indicators(scheme.weights) if kind in i.keys]


@permission_required(Perm.VIEW_ASSESSMENT)
def ranking(request):
    scheme, kind = _scheme(request), _kind(request)
    context = {"scheme": scheme, "kind": kind, "kinds": SubjectKind.choices,
               "schemes": Scheme.objects.visible_to(request.user),
               "can_manage": request.user.can(Perm.MANAGE_ASSESSMENT)}
    if scheme is not None:
        indicators = _measured(scheme, kind)
        rows = scoring.figures(kind, Bounds(scheme.starts_on, scheme.ends_on), scheme.weights,
                               people.in_scope(request.user, kind))
        context.update(indicators=indicators,
                       rows=[{"row": r, "cells": _cells(scheme, indicators, kind, r)} for r in rows])
    return render(request, "assessment/ranking.html", context)


@permission_required(Perm.VIEW_ASSESSMENT)
def ranking_export(request):
    scheme, kind = _scheme(request), _kind(request)
    if scheme is None:
        raise Http404
    rows = scoring.figures(kind, Bounds(scheme.starts_on, scheme.ends_on), scheme.weights,
                           people.in_scope(request.user, kind))
    heading = _("%(scheme)s · %(kind)s · %(start)s to %(end)s") % {
        "scheme": scheme.name, "kind": SubjectKind(kind).label, "start": f"{scheme.starts_on:%Y-%m-%d}",
        "end": f"{scheme.ends_on:%Y-%m-%d}"}
    response = HttpResponse(assessment_workbook(rows, heading), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="assessment-{kind}-{scheme.starts_on:%Y%m%d}.xlsx"'
    return response


@permission_required(Perm.VIEW_OWN_ASSESSMENT)
def mine(request):
    scheme = _scheme(request)
    context = {"scheme": scheme, "schemes": Scheme.objects.visible_to(request.user), "blocks": []}
    if scheme is not None:
        bounds = Bounds(scheme.starts_on, scheme.ends_on)
        context["counted"] = [(i, scheme.weights.get(i.key, 0)) for i in INDICATORS if scheme.weights.get(i.key)]
        for kind, subject_id, name in people.identities(request.user):
            indicators = _measured(scheme, kind)
            rows = scoring.figures(kind, bounds, scheme.weights)
            row = next((r for r in rows if r.subject_id == subject_id), None)
            if row is None:  # an inactive department: not assessed
                continue
            context["blocks"].append({"kind": SubjectKind(kind).label, "name": name, "row": row, "of": len(rows),
                                      "cells": _cells(scheme, indicators, kind, row)})
    return render(request, "assessment/mine.html", context)


RECORD_ORDER = {"WorkOrder": ("deadline", "pk"), "Task": ("planned_on", "pk"), "Resident": ("name", "pk")}


def _record_rows(indicator, rows) -> list[dict]:
    model = indicator.model.__name__
    if model == "WorkOrder":
        return [{"text": f"#{o.pk} {o.title}", "detail": o.get_state_display(), "day": o.deadline,
                 "url": reverse("workorders:order_detail", args=[o.pk])} for o in rows]
    if model == "Task":
        return [{"text": t.premises.name, "detail": t.get_state_display(), "day": t.planned_on,
                 "url": reverse("places:premises_detail", args=[t.premises_id])} for t in rows]
    return [{"text": r.name, "detail": r.grid.name, "day": None,
             "url": reverse("community:resident_detail", args=[r.pk])} for r in rows]


@permission_required(Perm.VIEW_OWN_ASSESSMENT)
def records_view(request):
    scheme = _scheme(request)
    indicator = BY_KEY.get(request.GET.get("indicator", ""))
    kind, subject = request.GET.get("kind", ""), request.GET.get("subject", "")
    if scheme is None or indicator is None or kind not in indicator.keys or not subject.isdecimal():
        raise Http404
    if not people.may_see(request.user, kind, int(subject)):
        raise PermissionDenied
    part = request.GET.get("part", Part.ALL)
    bounds = Bounds(scheme.starts_on, scheme.ends_on)
    rows = records(indicator, kind, int(subject), bounds, indicator.model.objects.visible_to(request.user),
                   met=part == Part.MET).order_by(*RECORD_ORDER[indicator.model.__name__])
    if indicator.model.__name__ == "Task":
        rows = rows.select_related("premises")
    elif indicator.model.__name__ == "Resident":
        rows = rows.select_related("grid")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "assessment/records.html", {
        "scheme": scheme, "indicator": indicator, "kind": SubjectKind(kind).label, "part": Part(part).label
        if part in Part.values else Part.ALL.label, "page": page, "rows": _record_rows(indicator, page.object_list)})


@permission_required(Perm.MANAGE_ASSESSMENT)
def scheme_edit(request, pk=None):
    scheme = get_visible_or_404(Scheme, request.user, pk=pk) if pk else None
    form = SchemeForm(request.POST or None, initial=SchemeForm.initial_for(scheme) if scheme else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scheme = services.save_scheme(request.user, scheme, name=data["name"], starts_on=data["starts_on"],
                                          ends_on=data["ends_on"], weights=form.weights(), version=data["version"])
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("The scheme is saved."))
            return redirect(reverse("assessment:ranking") + f"?scheme={scheme.pk}")
    return render(request, "assessment/form.html", {"form": form, "heading": _("Assessment scheme"),
                                                    "button": _("Save")})
