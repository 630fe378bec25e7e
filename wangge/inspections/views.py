import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.confirm import confirm_page, needs_confirmation, offer_undo, register_undo
from wangge.core.ids import param_id
from wangge.core.models import Area, AreaLevel, User
from wangge.core.options import options
from wangge.core.pagination import paginate_list
from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.services import record_export
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_by_label, get_visible_or_404
from wangge.places.status_rules import open_rectification_orders

from . import ladder, plausibility, services
from . import photos as photo_files
from .checklists import create_checklist, revise_checklist
from .choices import CampaignKind, CampaignStatus, InspectionKind, Outcome, Shift, TaskReason, TaskState
from .forms import (
    CampaignForm,
    ChecklistForm,
    InspectionForm,
    ItemForm,
    ItemFormSet,
    LookbackForm,
    TeamForm,
    inspector_choices,
)
from .ledger import inspection_ledger
from .models import Campaign, Checklist, Inspection, Photo, Task, Team
from .planning import plan_campaign, preview_plan
from .summary import campaign_summary, coverage


def _tasks(user):
    return Task.objects.visible_to(user)


# --- campaigns ------------------------------------------------------------------------------

@permission_required(Perm.VIEW_INSPECTIONS)
def campaign_list(request):
    campaigns = list(Campaign.objects.visible_to(request.user).select_related("checklist", "parent", "town"))
    counts = {row["campaign"]: row for row in _tasks(request.user).exclude(reason=TaskReason.REINSPECTION)
              .values("campaign").annotate(in_scope=Count("pk"), done=Count("pk", filter=Q(state=TaskState.DONE)))}
    for c in campaigns:
        row = counts.get(c.pk, {})
        c.in_scope, c.done = row.get("in_scope", 0), row.get("done", 0)
    return render(request, "inspections/campaign_list.html", {
        "campaigns": campaigns, "can_manage": request.user.can(Perm.MANAGE_CAMPAIGNS),
        "show_town": len({c.town_id for c in campaigns}) > 1,
        "can_inspect": request.user.can(Perm.INSPECT)})


@permission_required(Perm.VIEW_INSPECTIONS)
def campaign_detail(request, pk):
    campaign = get_visible_or_404(Campaign.objects.select_related("checklist", "parent", "town"), request.user, pk=pk)
    teams = campaign.teams.prefetch_related("members", "segments").annotate(
        planned=Count("tasks", filter=Q(tasks__state=TaskState.PLANNED)),
        done=Count("tasks", filter=Q(tasks__state=TaskState.DONE)))
    return render(request, "inspections/campaign_detail.html", {
        "campaign": campaign, "summary": campaign_summary(campaign, request.user), "teams": teams,
        "by_shift": coverage(campaign, request.user, "shift"),
        "by_category": coverage(campaign, request.user, "category"),
        "by_neighbourhood": coverage(campaign, request.user, "neighbourhood"),
        "by_grid": coverage(campaign, request.user, "grid"),
        "lookbacks": campaign.lookbacks.all(), "can_manage": request.user.can(Perm.MANAGE_CAMPAIGNS),
        "can_export": request.user.can(Perm.EXPORT),
    })


@permission_required(Perm.MANAGE_CAMPAIGNS)
def campaign_edit(request, pk=None):
    campaign = get_visible_or_404(Campaign, request.user, pk=pk) if pk else Campaign()
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)

    def save(form):
        data = form.cleaned_data
        form.instance = services.save_campaign(
            request.user, form.save(commit=False), data.get("version") if pk else None,
            categories=data["categories"], areas=data["areas"], departments=data["departments"])

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("inspections:campaign_detail", form.instance.pk)
    return render(request, "inspections/campaign_form.html", {"form": form, "campaign": campaign})


@permission_required(Perm.MANAGE_CAMPAIGNS)
def campaign_status(request, pk):
    """Starting or closing a campaign acts at once; reopening a closed one is confirmed first (its unfinished
    tasks come back to the field) and may be undone for a minute."""
    campaign = get_visible_or_404(Campaign, request.user, pk=pk)
    back = reverse("inspections:campaign_detail", args=[pk])
    status = request.POST.get("status", "")
    if request.method != "POST":
        status = request.GET.get("status", "")
    reopening = campaign.status == CampaignStatus.CLOSED and status == CampaignStatus.ACTIVE
    if request.method != "POST" and not reopening:
        return redirect(back)
    if reopening and needs_confirmation(request):
        planned = campaign.tasks.filter(state=TaskState.PLANNED).count()
        return confirm_page(request, title=_("Reopen the campaign “%(name)s”?") % {"name": campaign.name},
                            consequences=[
                                _("The campaign is under way again: its %(n)s unfinished tasks are back in the "
                                  "inspectors' task lists and new inspections count towards it.") % {"n": planned},
                                _("You can undo this within one minute.")],
                            action=reverse("inspections:campaign_status", args=[pk]), cancel=back,
                            button=_("Reopen the campaign"), danger=False)
    previous = campaign.status
    try:
        campaign = services.set_campaign_status(request.user, campaign, status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    if reopening:
        offer_undo(request, "inspections.campaign_status",
                   _("The campaign “%(name)s” is under way again.") % {"name": campaign.name},
                   {"campaign": campaign.pk, "status": previous, "version": campaign.version}, back)
    return redirect(back)


def _undo_campaign_status(user, payload) -> str:
    campaign = get_visible_or_404(Campaign, user, pk=payload["campaign"])
    services.revert_campaign_status(user, campaign, payload["status"], payload["version"])
    return _("Undone: the campaign “%(name)s” is closed again.") % {"name": campaign.name}


register_undo("inspections.campaign_status", _undo_campaign_status)


@permission_required(Perm.MANAGE_CAMPAIGNS)
def campaign_plan(request, pk):
    """Re-planning deletes unfinished tasks out of scope and reshuffles teams and days the field app already
    holds: confirmed first, with the numbers; no undo (the field app syncs the new plan at once)."""
    campaign = get_visible_or_404(Campaign, request.user, pk=pk)
    back = reverse("inspections:campaign_detail", args=[pk])
    try:
        if needs_confirmation(request):
            p = preview_plan(request.user, campaign)
            return confirm_page(request, title=_("Plan the tasks of “%(name)s”?") % {"name": campaign.name},
                                consequences=[
                                    _("Re-planning deletes %(removed)s unfinished tasks and creates %(created)s new "
                                      "ones.") % vars(p),
                                    _("%(assigned)s unfinished tasks get a team and a day again; the inspectors' "
                                      "phones receive the new plan.") % vars(p),
                                    _("%(kept)s tasks already inspected stay as they are.") % vars(p),
                                    _("This cannot be undone: plan again after changing the teams.")],
                                action=reverse("inspections:campaign_plan", args=[pk]), cancel=back,
                                button=_("Plan tasks"))
        result = plan_campaign(request.user, campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("Planned: %(assigned)s tasks given to teams, %(created)s new, %(removed)s removed, "
                                "%(kept)s inspected kept.") % vars(result))
    for shift, count in result.unassigned.items():
        messages.warning(request, _("%(count)s %(shift)s tasks have no team: add a %(shift)s team and plan again.")
                         % {"count": count, "shift": Shift(shift).label})
    return redirect(back)


@permission_required(Perm.MANAGE_CAMPAIGNS)
def team_edit(request, pk, team_pk=None):
    campaign = get_visible_or_404(Campaign, request.user, pk=pk)
    team = get_object_or_404(Team, pk=team_pk, campaign=campaign) if team_pk else Team(campaign=campaign)
    form = TeamForm(request.POST or None, instance=team, user=request.user)

    def save(form):
        services.save_team(request.user, form.save(commit=False), list(form.cleaned_data["members"]),
                           form.cleaned_data.get("version") if team_pk else None)

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("inspections:campaign_detail", pk)
    return render(request, "inspections/team_form.html", {
        "form": form, "campaign": campaign, "team": team, "heading": team.name if team.pk else _("Add a team")})


@require_POST
@permission_required(Perm.MANAGE_CAMPAIGNS)
def team_delete(request, pk, team_pk):
    team = get_visible_or_404(Team.objects.filter(campaign_id=pk), request.user, pk=team_pk)
    try:
        services.delete_team(request.user, team)
        messages.success(request, _("Deleted."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("inspections:campaign_detail", pk)


@permission_required(Perm.MANAGE_CAMPAIGNS)
def lookback_create(request, pk):
    campaign = get_visible_or_404(Campaign.objects.filter(kind=CampaignKind.ROUND), request.user, pk=pk)
    start = max(campaign.ends_on, timezone.localdate()) + datetime.timedelta(days=7)
    form = LookbackForm(request.POST or None, initial={
        "name": _("%(name)s · look-back") % {"name": campaign.name}, "starts_on": start,
        "ends_on": start + datetime.timedelta(days=(campaign.ends_on - campaign.starts_on).days),
        "share": campaign.sample_share, "seed": campaign.sample_seed})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lookback = services.create_lookback(request.user, campaign, name=data["name"], starts_on=data["starts_on"],
                                                ends_on=data["ends_on"], share=data["share"], seed=data["seed"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Look-back round created: %(n)s premises.") % {"n": lookback.tasks.count()})
            return redirect("inspections:campaign_detail", lookback.pk)
    return render(request, "inspections/lookback_form.html", {"form": form, "campaign": campaign,
                                                             "heading": _("Plan a look-back round")})


@permission_required(Perm.VIEW_INSPECTIONS)
def lookback_compare(request, pk):
    """First round and look-back side by side, premises by premises."""
    lookback = get_visible_or_404(Campaign.objects.filter(kind=CampaignKind.LOOKBACK), request.user, pk=pk)
    tasks = (_tasks(request.user).filter(campaign=lookback).exclude(reason=TaskReason.REINSPECTION)
             .select_related("premises__grid", "inspection").order_by("reason", "premises__name"))
    # Per premises of the first round: its first finding (the earliest inspection), and the
    # rectification that followed it (its order and the latest re-inspection), so a passed
    # re-inspection never hides what was found.
    first, reinspected = {}, {}
    for inspection in (Inspection.objects.visible_to(request.user).filter(campaign=lookback.parent_id)
                       .select_related("work_order").order_by("inspected_at", "id")):
        if inspection.kind == InspectionKind.REINSPECTION:
            reinspected[inspection.premises_id] = inspection  # the latest one wins
        else:
            first.setdefault(inspection.premises_id, inspection)
    rows = [{"task": t, "first": first.get(t.premises_id), "reinspection": reinspected.get(t.premises_id)}
            for t in tasks]
    return render(request, "inspections/lookback_compare.html", {"campaign": lookback, "rows": rows})


@permission_required(Perm.VIEW_INSPECTIONS)
def task_list(request, pk):
    campaign = get_visible_or_404(Campaign, request.user, pk=pk)
    tasks = (_tasks(request.user).filter(campaign=campaign)
             .select_related("premises__grid", "premises__category", "premises__segment__chief", "team",
                             "inspection"))
    params = request.GET
    if params.get("state") in TaskState.values:
        tasks = tasks.filter(state=params["state"])
    if params.get("shift") in Shift.values:
        tasks = tasks.filter(shift=params["shift"])
    if params.get("reason") in TaskReason.values:
        tasks = tasks.filter(reason=params["reason"])
    elif params.get("reason") == "routine":  # every task but re-inspections: the summary's "in scope"
        tasks = tasks.exclude(reason=TaskReason.REINSPECTION)
    if params.get("team", "").isdecimal():
        tasks = tasks.filter(team_id=params["team"])
    if params.get("grid", "").isdecimal():
        tasks = tasks.filter(premises__grid_id=params["grid"])
    if params.get("grid_name"):
        tasks = tasks.filter(premises__grid__name=params["grid_name"])
    if params.get("category"):
        tasks = tasks.filter(premises__category__name=params["category"])
    if params.get("neighbourhood"):
        tasks = tasks.filter(premises__grid__parent__name=params["neighbourhood"])
    page = Paginator(tasks.order_by("planned_on", "team__name", "premises__name"), 50).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(request, "inspections/task_list.html", {
        "campaign": campaign, "page": page, "params": params, "query_string": query.urlencode(),
        "states": TaskState.choices, "shifts": Shift.choices, "reasons": TaskReason.choices,
        "teams": campaign.teams.all(),
        "grids": Area.objects.visible_to(request.user).filter(level=AreaLevel.GRID).only("name")})


@permission_required(Perm.EXPORT)
def campaign_ledger(request, pk):
    campaign = get_visible_or_404(Campaign, request.user, pk=pk)
    body, count = inspection_ledger(campaign, request.user)
    record_export(request.user, Inspection, count, masked=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=\"inspections-{campaign.pk}-{stamp}.xlsx\""
    return response


# --- the field ------------------------------------------------------------------------------

@permission_required(Perm.INSPECT)
def my_tasks(request):
    """Today's tasks of the user's teams, and any earlier ones still open, in the order to visit them."""
    today = timezone.localdate()
    tasks = (Task.objects.open_for(request.user, today)
             .select_related("premises__grid", "premises__category", "premises__segment__chief", "team", "campaign")
             .order_by("planned_on", "shift", "-risk", "premises__address_road", "premises__address_number"))
    done = (Task.objects.visible_to(request.user).filter(team__members=request.user, state=TaskState.DONE,
                                inspection__inspected_at__date=today)
            .select_related("premises", "inspection").order_by("-inspection__inspected_at"))
    return render(request, "inspections/my_tasks.html", {"tasks": tasks, "done": done, "today": today})


def _people(task: Task):
    ids = set(task.campaign.members.values_list("pk", flat=True))
    if task.team_id:
        ids |= set(task.team.members.values_list("pk", flat=True))
    return User.objects.filter(pk__in=ids, is_active=True).prefetch_related("departments").order_by("username")


@permission_required(Perm.INSPECT)
def inspect(request, task_pk):
    task = get_visible_or_404(_tasks(request.user).select_related("premises__category", "premises__grid",
                                                                  "campaign__checklist", "team", "work_order"),
                              request.user, pk=task_pk)
    if task.state == TaskState.DONE:
        messages.info(request, _("This task was inspected already."))
        return redirect("inspections:inspection_detail", task.inspection_id)
    items = task.campaign.checklist.items_for(task.premises.category_id)
    team_ids = list(task.team.members.values_list("pk", flat=True)) if task.team_id else []
    history = {code: (entry, ladder.next_step(entry.step)) for code, entry in ladder.history(task.premises_id).items()}
    form = InspectionForm(request.POST or None, request.FILES or None, items=items, people=_people(task),
                          history=history, initial={"inspectors": [pk for pk in team_ids if pk != request.user.pk]})
    confirm = None
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["outcome"], form.cleaned_data.get("suspend", False)
        if _status_decision(*decision) and needs_confirmation(request):
            # Shutdown and suspension change the premises' legal status: said plainly, confirmed first.
            confirm = {"lines": _consequences(task, *decision), "photos_dropped": bool(request.FILES)}
        else:
            saved = _submitted(request, form, task=task, **form.service_arguments())
            if saved:
                return saved
    return render(request, "inspections/inspect.html", {
        "task": task, "form": form, "premises": task.premises, "outcomes": Outcome, "confirm": confirm,
        "shutdown_lines": _consequences(task, Outcome.SHUTDOWN, False),
        "suspend_lines": _consequences(task, Outcome.RECTIFICATION, True)})


@permission_required(Perm.INSPECT)
def task_distance(request, task_pk):
    """How far the phone (?latitude=&longitude=, WGS-84) is from the task's premises; shown in the form."""
    task = get_visible_or_404(_tasks(request.user).select_related("premises"), request.user, pk=task_pk)
    try:
        lat, lng = float(request.GET.get("latitude", "")), float(request.GET.get("longitude", ""))
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise ValueError
    except ValueError:
        return JsonResponse({"errors": {"latitude": [_("Not a coordinate.")]}}, status=400)
    return JsonResponse(plausibility.distance_to(task.premises, lat, lng), json_dumps_params={"ensure_ascii": False})


def _submitted(request, form, **arguments):
    """Submit through the service: the redirect to the inspection, or None with the service's errors on the
    form (the same for a campaign task and for any other subject)."""
    try:
        inspection, created = services.submit_inspection(request.user, **arguments)
    except ValidationError as exc:
        form.add_service_errors(exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages})
        return None
    if created:
        messages.success(request, _("Inspection saved: %(outcome)s.") % {"outcome": inspection.get_outcome_display()})
    return redirect("inspections:inspection_detail", inspection.pk)


def _status_decision(outcome: str, suspend: bool) -> bool:
    return outcome == Outcome.SHUTDOWN or (outcome == Outcome.RECTIFICATION and suspend)


def _consequences(task, outcome: str, suspend: bool) -> list[str]:
    """What a shutdown or a suspension of the task's premises does, with its numbers (the confirmation)."""
    premises = task.premises
    if outcome == Outcome.SHUTDOWN:
        planned = Task.objects.filter(premises=premises, state=TaskState.PLANNED).exclude(pk=task.pk).count()
        return [_("The premises “%(name)s” is shut down: its status becomes “shut”, a legal decision.")
                % {"name": premises.name},
                _("%(n)s other planned inspection tasks of the premises are deleted.") % {"n": planned},
                _("%(n)s open rectification orders about it are closed as failed re-inspections.")
                % {"n": open_rectification_orders(premises).count()},
                _("This cannot be undone: a mistaken shutdown is corrected by another inspection.")]
    if _status_decision(outcome, suspend):
        return [_("The premises “%(name)s” is suspended for rectification until a re-inspection passes.")
                % {"name": premises.name},
                _("A high-priority rectification work order is raised and its unit notified; a re-inspection is "
                  "scheduled for the deadline."),
                _("This cannot be undone: a mistaken suspension is corrected by another inspection.")]
    return []


@permission_required(Perm.VIEW_INSPECTIONS)
def inspection_list(request):
    rows = (Inspection.objects.visible_to(request.user)
            .select_related("grid", "campaign", "team", "work_order").order_by("-inspected_at", "-id"))
    params = request.GET
    if (campaign_id := param_id(params.get("campaign"))) is not None:
        rows = rows.filter(campaign_id=campaign_id)
    if params.get("outcome") in Outcome.values:
        rows = rows.filter(outcome=params["outcome"])
    if params.get("kind") in InspectionKind.values:
        rows = rows.filter(kind=params["kind"])
    if params.get("premises", "").isdecimal():
        rows = rows.filter(premises_id=params["premises"])
    page = paginate_list(rows, params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(request, "inspections/inspection_list.html", {
        "page": page, "params": params, "query_string": query.urlencode(), "outcomes": Outcome.choices,
        "kinds": InspectionKind.choices,
        "campaign_options": options(Campaign.objects.visible_to(request.user), params.get("campaign"))})


@permission_required(Perm.VIEW_INSPECTIONS)
def inspection_detail(request, pk):
    inspection = get_visible_or_404(
        Inspection.objects.select_related("premises__grid", "premises__category", "campaign", "team", "checklist",
                                          "work_order", "submitted_by", "reinspection_of", "reviewed_by")
        .prefetch_related("inspectors", Prefetch("answers", queryset=_answers()), "photos__item"),
        request.user, pk=pk)
    return render(request, "inspections/inspection_detail.html", {
        "inspection": inspection, "can_review": request.user.can(Perm.REVIEW_INSPECTIONS),
        "void_blockers": services.void_blockers(inspection) if inspection.flag_review else [],
        "reinspections": inspection.reinspections.visible_to(request.user),
        "follow_up": Task.objects.filter(work_order=inspection.work_order, state=TaskState.PLANNED).first()
        if inspection.work_order_id else None})


def _answers():
    from .models import Answer

    return Answer.objects.select_related("item")


@permission_required(Perm.VIEW_INSPECTIONS)
def photo(request, pk, size="full"):
    return photo_files.response(get_visible_or_404(Photo, request.user, pk=pk), size)


# --- checklists -----------------------------------------------------------------------------

@permission_required(Perm.VIEW_INSPECTIONS)
def checklist_list(request):
    checklists = Checklist.objects.annotate(used=Count("inspections")).order_by("code", "-revision")
    return render(request, "inspections/checklist_list.html", {
        "checklists": checklists, "can_manage": request.user.can(Perm.MANAGE_CAMPAIGNS)})


@permission_required(Perm.VIEW_INSPECTIONS)
def checklist_detail(request, pk):
    checklist = get_object_or_404(Checklist, pk=pk)
    items = list(checklist.items.select_related("department").prefetch_related("categories"))
    texts = {item.code: item.text for item in items}
    for item in items:  # "smaller than" names the other item by its text, not its code
        item.at_least_text = texts.get(item.at_least_item, item.at_least_item)
    return render(request, "inspections/checklist_detail.html", {
        "checklist": checklist, "items": items,
        "revisions": Checklist.objects.filter(code=checklist.code).order_by("-revision"),
        "used": checklist.inspections.count(), "can_manage": request.user.can(Perm.MANAGE_CAMPAIGNS)})


@permission_required(Perm.MANAGE_CAMPAIGNS)
def checklist_edit(request, pk=None):
    """New checklist, or a change to the current revision (a new revision once inspections used it)."""
    checklist = get_object_or_404(Checklist, pk=pk, is_current=True) if pk else None
    initial = {"code": checklist.code, "name": checklist.name, "description": checklist.description,
               "department": checklist.department_id, "version": checklist.version} if checklist else {}
    items = [ItemForm.initial_of(i) for i in checklist.items.prefetch_related("categories")] if checklist else []
    form = ChecklistForm(request.POST or None, initial=initial, editing=bool(checklist), user=request.user)
    formset = ItemFormSet(request.POST or None, initial=items, prefix="items", form_kwargs={"user": request.user})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        specs = [f.spec() for f in formset if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        data = form.cleaned_data
        try:
            if checklist:
                saved = revise_checklist(request.user, checklist, name=data["name"], description=data["description"],
                                         items=specs, expected_version=data.get("version"),
                                         department=data["department"])
            else:
                saved = create_checklist(request.user, code=data["code"], name=data["name"],
                                         description=data["description"], items=specs,
                                         department=data["department"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved as %(checklist)s.") % {"checklist": saved})
            return redirect("inspections:checklist_detail", saved.pk)
    return render(request, "inspections/checklist_form.html", {"form": form, "formset": formset,
                                                               "checklist": checklist})


@permission_required(Perm.INSPECT)
def inspect_subject(request, label, pk):
    """An inspection of a record other than a campaign's premises — a sampling site, a compound's gates —
    with the checklist named in `?checklist=<code>` (its current revision)."""
    subject = get_visible_by_label(request.user, label, pk)
    model = type(subject)
    if not any(f.name == "grid" for f in model._meta.fields):
        raise Http404
    checklist = get_object_or_404(Checklist, code=request.GET.get("checklist", ""), is_current=True)
    paths = [subject.grid.path[:n] for n in range(1, len(subject.grid.path) + 1) if subject.grid.path[n - 1] == "/"]
    # Who may be present: people of the subject's areas, and enforcement officers (needed for an order).
    people = inspector_choices().filter(Q(areas__path__in=paths) | Q(departments__is_enforcement=True) |
                                        Q(pk=request.user.pk)).distinct()
    form = InspectionForm(request.POST or None, request.FILES or None, items=checklist.items_for(None), people=people,
                          premises=False)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        arguments.pop("ladder", None)
        saved = _submitted(request, form, subject=subject, checklist=checklist, **arguments)
        if saved:
            return saved
    return render(request, "inspections/inspect_subject.html", {
        "subject": subject, "subject_kind": model._meta.verbose_name, "checklist": checklist, "form": form})
