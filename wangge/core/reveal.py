"""The htmx answer to "show this protected value in full": the value, or why not. Logged by the service."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from . import services
from .forms import RevealForm


def reveal_fragment(request, obj):
    form = RevealForm(request.POST)
    value, error = None, None
    if form.is_valid():
        try:
            value = services.reveal(request.user, obj, form.cleaned_data["field"], form.cleaned_data["reason"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Say why you need to see the full value.")
    response = render(request, "_revealed.html", {"value": value, "error": error})
    add_never_cache_headers(response)  # a revealed value must not stay in a browser's or a proxy's cache
    return response
