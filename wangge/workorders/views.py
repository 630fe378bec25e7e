from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.confirm import confirm_page, needs_confirmation, offer_undo, register_undo
from wangge.core.ids import param_id
from wangge.core.models import Department
from wangge.core.options import grid_options, options
from wangge.core.pagination import paginate_list
from wangge.core.permissions import login_required, permission_required
from wangge.core.roles import Perm
from wangge.core.trail import trail_of
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_by_label, get_visible_or_404

from . import services
from .api import instruction_progress
from .choices import Kind, State, Verb
from .figures import figures as compute_figures
from .filters import filter_orders
from .forms import (
    ActionForm,
    AssignForm,
    BulkAssignForm,
    InstructionForm,
    OrderEditForm,
    OrderForm,
    VerifyForm,
    VisitForm,
)
from .models import Attachment, FieldVisit, Notification, WorkOrder

BOARD_LIMIT = 50


def _orders(request):
    return WorkOrder.objects.visible_to(request.user)


def _list_context(request, rows):
    return {
        "params": request.GET, "query_string": request.GET.urlencode(), "kinds": Kind.choices,
        "states": State.choices, "tab": request.GET.get("tab", "all"),
        "department_options": options(Department.objects.choosable_by(request.user), request.GET.get("department")),
        "grid_options": grid_options(request.user, request.GET.get("grid")),
        "can_raise": request.user.can(Perm.RAISE_WORKORDERS),
        "can_manage": request.user.can(Perm.MANAGE_WORKORDERS),
    }


@permission_required(Perm.VIEW_WORKORDERS)
def order_list(request):
    rows = filter_orders(_orders(request), request.GET, request.user).select_related("grid", "department",
                                                                                      "assignee")
    context = _list_context(request, rows)
    context["page"] = paginate_list(rows, request.GET.get("page"))
    context["bulk_form"] = BulkAssignForm(user=request.user) if context["can_manage"] else None
    template = "workorders/_order_rows.html" if request.headers.get("HX-Request") else "workorders/order_list.html"
    return render(request, template, context)


@require_POST
@permission_required(Perm.MANAGE_WORKORDERS)
def order_bulk_assign(request):
    """Confirmed first (how many orders, how many change hands); undone within a minute on request."""
    form = BulkAssignForm(request.POST, user=request.user)
    ids = [i for i in map(param_id, request.POST.getlist("ids")) if i is not None]
    orders = list(_orders(request).filter(pk__in=ids))
    if len(orders) != len(set(ids)):  # an order out of scope: refused before anything else is said
        raise PermissionDenied
    if not form.is_valid() or not ids:
        messages.error(request, _("Choose work orders and an assignee."))
        return redirect("workorders:order_list")
    assignee = form.cleaned_data["assignee"]
    back = reverse("workorders:order_list")
    if needs_confirmation(request):
        names = {"n": len(orders), "name": assignee.get_full_name() or assignee.username}
        moved = sum(1 for o in orders if o.assignee_id and o.assignee_id != assignee.pk)
        return confirm_page(request, title=_("Assign %(n)s work orders to %(name)s?") % names, consequences=[
            _("%(n)s work orders are assigned to %(name)s, who is notified.") % names,
            _("%(moved)s of them already had another assignee and change hands.") % {"moved": moved},
            _("You can undo this within one minute.")],
            action=reverse("workorders:order_bulk_assign"), cancel=back, button=_("Assign"), danger=False)
    before = {o.pk: {"order": o.pk, "assignee": o.assignee_id, "state": o.state} for o in orders}
    try:
        with transaction.atomic():
            n = services.bulk_assign(request.user, orders, assignee, form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    versions = dict(WorkOrder.objects.filter(pk__in=before).values_list("pk", "version"))
    offer_undo(request, "workorders.bulk_assign", _("%(n)s work orders assigned.") % {"n": n},
               [{**change, "version": versions[pk]} for pk, change in before.items()], back)
    return redirect(back)


def _undo_bulk_assign(user, changes) -> str:
    n = services.revert_bulk_assign(user, changes)
    return _("Undone: %(n)s work orders are back with their previous assignee.") % {"n": n}


register_undo("workorders.bulk_assign", _undo_bulk_assign)


@permission_required(Perm.VIEW_WORKORDERS)
def order_board(request):
    """One column per state, the newest orders of each (one query per column, BOARD_LIMIT rows)."""
    rows = filter_orders(_orders(request), request.GET, request.user)
    counts = dict(rows.order_by().values_list("state").annotate(n=Count("id")))
    columns = [{"state": value, "label": label, "count": counts.get(value, 0),
                "orders": rows.filter(state=value).select_related("grid", "assignee")[:BOARD_LIMIT]}
               for value, label in State.choices]
    context = _list_context(request, rows)
    context["columns"] = columns
    return render(request, "workorders/order_board.html", context)


def _action_forms(request, order):
    forms = {}
    for verb in services.verbs_for(request.user, order):
        form_class = AssignForm if verb == Verb.ASSIGN else VerifyForm if verb == Verb.VERIFY else ActionForm
        forms[verb] = {"label": Verb(verb).label, "form": form_class(initial={"version": order.version},
                                                                        prefix=verb, order=order)}
    return forms


@permission_required(Perm.VIEW_WORKORDERS)
def order_detail(request, pk):
    order = get_visible_or_404(_orders(request).select_related("grid", "department", "assignee", "visit",
                                                                "verified_by", "raised_by"), request.user, pk=pk)
    return render(request, "workorders/order_detail.html", {
        "object": order, "health_note": order.health_note_for(request.user),
        "events": order.events.select_related("actor"), "actions": _action_forms(request, order),
        "attachments": order.attachments.all(), "can_edit": services.may(request.user, order, Verb.ASSIGN),
        "trail": trail_of(order) if request.user.can(Perm.VIEW_AUDIT) else None,
        "rating": _rating_link(request, order),
    })


def _rating_link(request, order) -> dict | None:
    """The requester's rating link and its QR code (SVG) for a demand, for those who handle the order:
    to send or print for the enterprise's contact."""
    import segno
    from django.urls import reverse
    from django.utils.safestring import mark_safe

    from . import rating

    if not rating.may_have_link(order) or not (services.may(request.user, order, Verb.ASSIGN)
                                               or order.assignee_id == request.user.pk):
        return None
    url = request.build_absolute_uri(reverse("workorders_public:rating", args=[rating.make_token(order)]))
    svg = segno.make(url, error="m").svg_inline(scale=3, title=_("Rating link"))
    return {"url": url, "qr": mark_safe(svg), "days": rating.valid_days()}  # noqa: S308  (segno's own SVG)


@require_POST
@permission_required(Perm.VIEW_WORKORDERS)
def order_action(request, pk, verb):
    order = get_visible_or_404(_orders(request), request.user, pk=pk)
    if verb not in services.VERB_FUNCTIONS or not services.may(request.user, order, verb):
        raise PermissionDenied
    form_class = AssignForm if verb == Verb.ASSIGN else VerifyForm if verb == Verb.VERIFY else ActionForm
    form = form_class(request.POST, prefix=verb, order=order)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("workorders:order_detail", pk=pk)
    data = form.cleaned_data
    kwargs = {"comment": data.get("comment", ""), "expected_version": data.get("version")}
    try:
        if verb == Verb.ASSIGN:
            services.assign(request.user, order, data["assignee"], department=data.get("department"),
                            deadline=data.get("deadline"), **kwargs)
        elif verb == Verb.VERIFY:
            services.verify_and_close(request.user, order, satisfaction=data.get("satisfaction", ""), **kwargs)
        else:
            services.VERB_FUNCTIONS[verb](request.user, order, **kwargs)
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("workorders:order_detail", pk=pk)


@permission_required(Perm.RAISE_WORKORDERS)
def order_create(request):
    subject = _subject(request)
    initial = {"subject_label": str(subject), "grid": getattr(subject, "grid_id", None),
               "kind": Kind.RECTIFICATION} if subject is not None else None
    form = OrderForm(request.POST or None, instance=WorkOrder(), user=request.user, initial=initial)

    def save(form):
        data = {k: form.cleaned_data.get(k) for k in form.Meta.fields}
        form.instance = services.raise_order(request.user, subject=subject,
                                             **{k: v for k, v in data.items() if v is not None})

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("workorders:order_detail", pk=form.instance.pk)
    return render(request, "workorders/order_form.html", {"form": form, "subject": subject})


def _subject(request):
    """`?subject=places.premises:12`: the record the order is about, if the user may see it."""
    value = request.GET.get("subject", "")
    if not value:
        return None
    label, _sep, pk = value.partition(":")
    return get_visible_by_label(request.user, label, pk)


@permission_required(Perm.VIEW_WORKORDERS)
def order_figures(request):
    return render(request, "workorders/figures.html", {"figures": compute_figures(_orders(request))})


# --- field visits ---------------------------------------------------------------------------

def _visits(request):
    return FieldVisit.objects.visible_to(request.user)


@permission_required(Perm.VIEW_FIELD_VISITS)
def visit_list(request):
    rows = _visits(request).select_related("area").annotate(n_orders=Count("work_orders")).order_by(
        "-visited_on", "-id")
    return render(request, "workorders/visit_list.html", {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")),
        "can_record": request.user.can(Perm.RECORD_FIELD_VISITS)})


@permission_required(Perm.VIEW_FIELD_VISITS)
def visit_detail(request, pk):
    visit = get_visible_or_404(_visits(request).select_related("area"), request.user, pk=pk)
    can_record = request.user.can(Perm.RECORD_FIELD_VISITS)
    return render(request, "workorders/visit_detail.html", {
        "object": visit, "instructions": instruction_progress(visit),
        "orders": visit.work_orders.visible_to(request.user).select_related("grid", "assignee", "instruction"),
        "instruction_form": InstructionForm(user=request.user) if can_record else None,
        "trail": trail_of(visit) if request.user.can(Perm.VIEW_AUDIT) else None, "can_record": can_record})


@permission_required(Perm.RECORD_FIELD_VISITS)
def visit_edit(request, pk=None):
    visit = get_visible_or_404(_visits(request), request.user, pk=pk) if pk else FieldVisit()
    form = VisitForm(request.POST or None, instance=visit, user=request.user)

    def save(form):
        form.instance = services.save_visit(request.user, form.instance, form.cleaned_data.get("version"))

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("workorders:visit_detail", pk=form.instance.pk)
    return render(request, "workorders/visit_form.html", {"form": form, "object": visit if pk else None})


@require_POST
@permission_required(Perm.RECORD_FIELD_VISITS)
def visit_instruction(request, pk):
    visit = get_visible_or_404(_visits(request), request.user, pk=pk)
    form = InstructionForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.give_instruction(request.user, visit, text=data["text"], deadline=data["deadline"],
                                          units=[(u, data["grid"]) for u in data["units"]],
                                          department=data.get("department"), assignee=data.get("assignee"))
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("workorders:visit_detail", pk=pk)


# --- notifications ---------------------------------------------------------------------------

@login_required
def notification_list(request):
    rows = Notification.objects.filter(user=request.user).select_related("order")
    return render(request, "workorders/notification_list.html", {
        "page": Paginator(rows, 50).get_page(request.GET.get("page"))})


@login_required
def notification_channels(request):
    """The user's own channels besides the inbox, and how their latest messages went out."""
    from .channels import configured
    from .forms import ChannelForm
    from .models import ChannelSettings, Delivery

    ready = configured()
    chosen = ChannelSettings.objects.filter(user=request.user).first()
    initial = {"version": chosen.version, **{name: getattr(chosen, name) for name in
                                              ("email", "wecom", "wecom_userid", "sms")}} if chosen else {}
    form = ChannelForm(request.POST or None, initial=initial, ready=ready)
    if request.method == "POST" and apply_form(request, form, lambda f: services.set_channels(
            request.user, expected_version=f.cleaned_data["version"],
            **{k: v for k, v in f.cleaned_data.items() if k != "version"})):
        return redirect("workorders:notification_channels")
    deliveries = (Delivery.objects.filter(notification__user=request.user)
                  .select_related("notification").order_by("-created_at", "-id")[:20])
    return render(request, "workorders/notification_channels.html", {
        "form": form, "ready": ready, "chosen": chosen, "deliveries": deliveries})


@require_POST
@login_required
def notification_read(request, pk):
    services.mark_read(request.user, pk)
    return redirect("workorders:notification_list")


@require_POST
@login_required
def notification_read_all(request):
    n = services.mark_all_read(request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": n})
    return redirect("workorders:notification_list")


@require_POST
@permission_required(Perm.VIEW_WORKORDERS)
def attachment_upload(request, pk):
    order = get_visible_or_404(_orders(request), request.user, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            services.add_attachment(request.user, order, upload)
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("workorders:order_detail", pk=pk)


@permission_required(Perm.VIEW_WORKORDERS)
def attachment_download(request, pk):
    attachment = get_visible_or_404(Attachment, request.user, pk=pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                            as_attachment=not attachment.content_type.startswith("image/"),
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required(Perm.VIEW_WORKORDERS)
def order_edit(request, pk):
    order = get_visible_or_404(_orders(request), request.user, pk=pk)
    if not services.may(request.user, order, Verb.ASSIGN):
        raise PermissionDenied
    form = OrderEditForm(request.POST or None, instance=order)

    def save(form):
        fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
        services.update_order(request.user, order, form.cleaned_data.get("version"), **fields)

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("workorders:order_detail", pk=pk)
    return render(request, "core/object_form.html", {"form": form, "object": order, "title": _("Work order"),
                                                     "back": "workorders:order_list"})


# --- the requester's rating link (public, no sign-in) --------------------------------------------

def _rating_context(order) -> dict:
    """What the public page shows: the enterprise, the demand's title and category, the department.
    Nothing personal, no staff names."""
    return {"unit": order.requester_unit or order.subject_label, "title": order.title,
            "category": order.category_label, "department": order.department}


def rating_page(request, token):
    """The requester's own answer on a closed demand (rating.py): no account, one order, once."""
    from django.http import HttpResponse

    from wangge.core import ratelimit

    from .choices import Satisfaction
    from .rating import RatingRefused, order_for, rate_limit, valid_days

    allowed, retry_after = ratelimit.allow(request, "requester-rating", rate_limit())
    if not allowed:
        response = HttpResponse(_("Too many requests. Try again in a minute."), status=429,
                                content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(retry_after)
        return response
    context = {"choices": Satisfaction.choices, "days": valid_days(), "errors": {}, "chosen": "", "comment": ""}
    try:
        if request.method == "POST":
            chosen, comment = request.POST.get("satisfaction", ""), request.POST.get("comment", "")
            try:
                order = services.rate_by_requester(token, satisfaction=chosen, comment=comment)
            except ValidationError as error:
                order = order_for(token)
                context.update(_rating_context(order), errors=error.message_dict, chosen=chosen, comment=comment)
                return render(request, "workorders/rating.html", context, status=422)
            context.update(_rating_context(order), done=True, dissatisfied=order.satisfaction == "dissatisfied",
                           answer=order.get_satisfaction_display())
            return render(request, "workorders/rating.html", context)
        order = order_for(token)
    except RatingRefused as refused:
        context.update(_rating_context(refused.order) if refused.order else {}, refused=refused.message)
        return render(request, "workorders/rating.html", context, status=200 if refused.order else 404)
    context.update(_rating_context(order))
    return render(request, "workorders/rating.html", context)
