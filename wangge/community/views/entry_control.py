"""Record an entry-control check of a compound (an inspection through the inspections engine)."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import BootstrapMixin
from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_or_404
from wangge.inspections.choices import ItemKind

from .. import entry_control
from ..models import Compound

YES_NO = [("yes", _("yes")), ("no", _("no"))]


class EntryCheckForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=entry_control.OUTCOMES)
    fixed_description = forms.CharField(label=_("fixed on the spot"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in reversed(items):
            field = (forms.ChoiceField(label=item.text, choices=YES_NO, widget=forms.RadioSelect)
                     if item.kind == ItemKind.YES_NO else forms.CharField(label=item.text, required=False))
            self.fields = {f"item_{item.code}": field, **self.fields}
        self.style_fields()

    def answers(self) -> dict[str, str]:
        return {i.code: self.cleaned_data.get(f"item_{i.code}") or "" for i in self.items}


@permission_required(Perm.INSPECT)
def entry_check(request, pk):
    import uuid

    compound = get_visible_or_404(Compound, request.user, pk=pk)
    items = list(entry_control.checklist().items.order_by("order"))
    form = EntryCheckForm(request.POST or None, items=items, initial={"client_id": uuid.uuid4()})

    def save(form):
        d = form.cleaned_data
        entry_control.record_check(request.user, compound, answers=form.answers(), outcome=d["outcome"],
                                   fixed_description=d["fixed_description"], notes=d["notes"],
                                   client_id=d["client_id"])

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("community:compound_detail", pk=compound.pk)
    return render(request, "community/simple_form.html", {
        "form": form, "section": "compounds", "title": f"{compound.name}：{entry_control.CHECKLIST[1]}",
        "cancel": f"/residents/compounds/{compound.pk}/"})
