from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import AreaForm, DepartmentForm, PasswordResetByAdminForm, ThrottledLoginForm, UserForm
from .models import Area, AuditAction, AuditEntry, Department, User
from .permissions import permission_required
from .roles import Perm
from .trail import access_rows, trail_of
from .visibility import get_visible_or_404


class LogoutView(auth_views.LogoutView):
    """Sign-out also tells the browser to drop its HTTP cache (pages seen under this account). Not
    "storage": that would also destroy field submissions not uploaded yet; logout.js wipes the field
    app's data itself once its queue is empty (docs/PRIVACY.md)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Self-service reset by e-mail where the town has a mail server (EMAIL_HOST); on an intranet without
    one, the page says to ask an administrator, who resets it under 用户管理 — never a failed send."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.EMAIL_HOST:
            return render(request, "registration/password_reset_by_admin.html")
        return super().dispatch(request, *args, **kwargs)


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        state = "ok"
    except Exception:  # noqa: BLE001  (any database failure is reported, not raised)
        state = "unavailable"
    body = {"status": "ok" if state == "ok" else "error", "database": state, "vendor": connection.vendor}
    return JsonResponse(body, status=200 if state == "ok" else 503)


def apply_form(request, form, save):
    """Validate, save through a service, and turn a service refusal into form errors."""
    if not form.is_valid():
        return False
    try:
        save(form)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    messages.success(request, _("Saved."))
    return True


def _page(request, queryset, per_page=50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


# --- users ----------------------------------------------------------------------------------

@permission_required(Perm.MANAGE_STAFF)
def user_list(request):
    users = User.objects.visible_to(request.user).prefetch_related("role_assignments", "departments", "areas")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query) | users.filter(full_name__icontains=query)
    return render(request, "core/user_list.html", {"page": _page(request, users.distinct()), "q": query})


@permission_required(Perm.MANAGE_STAFF)
def user_edit(request, pk=None):
    user = get_visible_or_404(User, request.user, pk=pk) if pk else User()
    form = UserForm(request.POST or None, instance=user, actor=request.user)

    def save(form):
        services.save_user(
            request.user, form.instance, roles=form.cleaned_data["roles"], areas=form.cleaned_data["areas"],
            departments=form.cleaned_data["departments"], password=form.cleaned_data.get("password"),
            expected_version=form.cleaned_data.get("version") if pk else None,
        )

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("core:user_list")
    return render(request, "core/user_form.html", {"form": form, "object": user if pk else None,
                                                   "trail": trail_of(user) if pk else None})


@require_POST
@permission_required(Perm.MANAGE_STAFF)
def user_set_active(request, pk):
    user = get_visible_or_404(User, request.user, pk=pk)
    try:
        services.set_active(request.user, user, request.POST.get("active") == "1")
        messages.success(request, _("Saved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("core:user_list")


@permission_required(Perm.MANAGE_STAFF)
def user_password(request, pk):
    user = get_visible_or_404(User, request.user, pk=pk)
    form = PasswordResetByAdminForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reset_password(request.user, user, form.cleaned_data["new_password"])
        messages.success(request, _("The password was reset."))
        return redirect("core:user_list")
    return render(request, "core/password_form.html", {"form": form, "object": user})


# --- areas and departments --------------------------------------------------------------------

@permission_required(Perm.MANAGE_STAFF)
def area_list(request):
    areas = Area.objects.visible_to(request.user).select_related("parent")
    query = request.GET.get("q", "").strip()
    if query:
        areas = areas.filter(name__icontains=query) | areas.filter(code__startswith=query)
    return render(request, "core/area_list.html", {"page": _page(request, areas, 100), "q": query})


@permission_required(Perm.MANAGE_STAFF)
def area_edit(request, pk=None):
    area = get_visible_or_404(Area, request.user, pk=pk) if pk else Area()
    form = AreaForm(request.POST or None, instance=area, actor=request.user)
    if request.method == "POST" and apply_form(
        request, form, lambda f: services.save_area(request.user, f.instance, f.cleaned_data.get("version"))
    ):
        return redirect("core:area_list")
    return render(request, "core/object_form.html", {"form": form, "object": area if pk else None,
                                                     "trail": trail_of(area) if pk else None,
                                                     "title": _("Area"), "back": "core:area_list"})


@permission_required(Perm.MANAGE_STAFF)
def department_list(request):
    departments = Department.objects.visible_to(request.user).select_related("town")
    return render(request, "core/department_list.html", {"page": _page(request, departments, 100)})


@permission_required(Perm.MANAGE_STAFF)
def department_edit(request, pk=None):
    department = get_visible_or_404(Department, request.user, pk=pk) if pk else Department()
    form = DepartmentForm(request.POST or None, instance=department, actor=request.user)
    if request.method == "POST" and apply_form(
        request, form, lambda f: services.save_department(request.user, f.instance, f.cleaned_data.get("version"))
    ):
        return redirect("core:department_list")
    return render(request, "core/object_form.html", {"form": form, "object": department if pk else None,
                                                     "trail": trail_of(department) if pk else None,
                                                     "title": _("Department"), "back": "core:department_list"})


@permission_required(Perm.REVIEW_REVEALS)
def access_log(request):
    entries = AuditEntry.objects.filter(
        action__in=[AuditAction.REVEAL, AuditAction.EXPORT, AuditAction.PURGE]).select_related(
        "content_type")
    page = _page(request, entries)
    return render(request, "core/access_log.html", {"page": page, "rows": access_rows(page)})
