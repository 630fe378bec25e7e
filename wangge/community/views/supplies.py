"""Supplies: sites with their stock and low-stock warnings, a site's ledger, receipts, issues,
distributions (special groups first), the item catalogue."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.models import Area, AreaLevel
from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_or_404

from ..forms_more import DistributionForm, IssueForm, ItemForm, LowLevelForm, ReceiptForm
from ..models import Compound, Stock, SupplyItem, SupplyMovement, SupplySite
from ..services import supplies as services


@permission_required(Perm.VIEW_RESIDENTS)
def supply_overview(request):
    user = request.user
    stocks = Stock.objects.visible_to(user).select_related("site", "item")
    sites = SupplySite.objects.visible_to(user).select_related("area", "compound")
    can_edit = user.can(Perm.EDIT_RESIDENTS)
    without = []
    if can_edit:
        # Places that may keep stock but have no site yet: the user's neighbourhoods and compounds.
        offices = set(sites.filter(compound__isnull=True).values_list("area_id", flat=True))
        compounds = set(sites.values_list("compound_id", flat=True))
        without = [("office", h) for h in Area.objects.visible_to(user).filter(level=AreaLevel.NEIGHBOURHOOD)
                   if h.pk not in offices]
        without += [("compound", c) for c in Compound.objects.visible_to(user).exclude(pk__in=compounds)[:50]]
    return render(request, "community/supply_overview.html", {
        "sites": sites, "low": services.low_stock(stocks), "stocks": stocks, "without": without,
        "section": "supplies", "can_edit": can_edit, "can_export": user.can(Perm.EXPORT)})


@require_POST
@permission_required(Perm.EDIT_RESIDENTS)
def site_open(request):
    try:
        if request.POST.get("compound"):
            site = services.open_site(request.user, compound=get_visible_or_404(
                Compound, request.user, pk=request.POST["compound"]))
        else:
            site = services.open_site(request.user, office_of=get_visible_or_404(
                Area, request.user, pk=request.POST.get("area")))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("community:supply_overview")
    return redirect("community:site_detail", pk=site.pk)


def _site(request, pk):
    return get_visible_or_404(SupplySite.objects.select_related("area", "compound"), request.user, pk=pk)


@permission_required(Perm.VIEW_RESIDENTS)
def site_detail(request, pk):
    site = _site(request, pk)
    movements = SupplyMovement.objects.visible_to(request.user).filter(stock__site=site).select_related(
        "stock__item", "resident", "recorded_by")
    return render(request, "community/site_detail.html", {
        "object": site, "stocks": site.stocks.select_related("item"), "section": "supplies",
        "page": Paginator(movements, 50).get_page(request.GET.get("page")),
        "can_edit": request.user.can(Perm.EDIT_RESIDENTS)})


@permission_required(Perm.EDIT_RESIDENTS)
def site_receive(request, pk):
    site = _site(request, pk)
    form = ReceiptForm(request.POST or None, initial={"on": timezone.localdate()})

    def save(form):
        d = form.cleaned_data
        services.receive(request.user, site, d["item"], d["quantity"], on=d["on"], counterparty=d["counterparty"],
                         note=d["note"])

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:site_detail", pk=site.pk)
    return render(request, "community/simple_form.html", {
        "form": form, "section": "supplies", "title": _("Receipt at %(site)s") % {"site": site.name},
        "cancel": f"/residents/supplies/sites/{site.pk}/"})


def _stock(request, pk):
    return get_visible_or_404(Stock.objects.select_related("site__area", "site__compound", "item"), request.user, pk=pk)


@permission_required(Perm.EDIT_RESIDENTS)
def stock_issue(request, pk):
    stock = _stock(request, pk)
    form = IssueForm(request.POST or None, initial={"on": timezone.localdate()})

    def save(form):
        d = form.cleaned_data
        services.issue(request.user, stock, d["quantity"], on=d["on"], counterparty=d["counterparty"], note=d["note"])

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:site_detail", pk=stock.site_id)
    return render(request, "community/simple_form.html", {
        "form": form, "section": "supplies", "title": _("Issue %(item)s") % {"item": stock},
        "cancel": f"/residents/supplies/sites/{stock.site_id}/"})


@permission_required(Perm.EDIT_RESIDENTS)
def stock_distribute(request, pk):
    stock = _stock(request, pk)
    recipients = services.recipients(stock.site, request.user).select_related("compound")
    form = DistributionForm(request.POST or None, recipients=recipients, initial={"on": timezone.localdate()})

    def save(form):
        d = form.cleaned_data
        services.distribute(request.user, stock, list(d["residents"]), d["quantity"], on=d["on"], note=d["note"])

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:site_detail", pk=stock.site_id)
    return render(request, "community/distribution_form.html", {
        "form": form, "stock": stock, "has_recipients": recipients.exists(), "section": "supplies"})


@permission_required(Perm.EDIT_RESIDENTS)
def stock_low_level(request, pk):
    stock = _stock(request, pk)
    form = LowLevelForm(request.POST or None, initial={"low_level": stock.low_level, "version": stock.version})

    def save(form):
        services.set_low_level(request.user, stock, form.cleaned_data["low_level"], form.cleaned_data["version"])

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:site_detail", pk=stock.site_id)
    return render(request, "community/simple_form.html", {
        "form": form, "section": "supplies", "title": _("Low-stock warning for %(item)s") % {"item": stock},
        "cancel": f"/residents/supplies/sites/{stock.site_id}/"})


@permission_required(Perm.VIEW_RESIDENTS)
def item_list(request):
    return render(request, "community/item_list.html", {
        "items": SupplyItem.objects.all(), "section": "supplies", "can_edit": request.user.can(Perm.EDIT_RESIDENTS)})


@permission_required(Perm.EDIT_RESIDENTS)
def item_edit(request, pk=None):
    item = get_visible_or_404(SupplyItem, request.user, pk=pk) if pk else SupplyItem()
    form = ItemForm(request.POST or None, instance=item)

    def save(form):
        services.save_item(request.user, form.instance, form.cleaned_data.get("version"))

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:item_list")
    return render(request, "community/simple_form.html", {
        "form": form, "section": "supplies", "title": item.name or _("New supply item"),
        "cancel": "/residents/supplies/items/"})
